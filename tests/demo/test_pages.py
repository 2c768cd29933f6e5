"""The demo conference's information pages: four published in order, one draft, all on the site.

The demo is built once per test session (the `demo_output` fixture, tests/conftest.py).
"""

from django.test import Client
from django.urls import reverse

from podium.demo import pages
from podium.events.models import PageState
from podium.events.queries import published_pages


def test_the_demo_publishes_venue_travel_conduct_and_faq_and_keeps_one_draft(pycon):
    stored = list(pycon.pages.order_by("position"))

    assert [(page.title, page.state) for page in stored] == [
        (title, state) for title, _, state in pages.PAGES
    ]
    assert [page.slug for page in published_pages(pycon)] == [
        "venue",
        "travel-and-hotels",
        "code-of-conduct",
        "faq",
    ]
    published = [page.body for page in stored if page.is_published]
    assert all("### " in body for body in published)  # headings in every page; lists and links in some
    assert sum("\n- " in body for body in published) >= 3
    assert sum("](https://" in body for body in published) >= 1


def test_the_demo_pages_are_on_the_site_and_the_draft_is_not(pycon):
    client = Client()
    home = client.get(reverse("site:event", kwargs={"event": pycon.slug})).content.decode()
    venue = client.get(reverse("site:page", kwargs={"event": pycon.slug, "page": "venue"}))
    draft = pycon.pages.get(state=PageState.DRAFT)

    assert "/pages/code-of-conduct/" in home
    assert (venue.status_code, "<h3>Accessibility</h3>" in venue.content.decode()) == (200, True)
    assert (
        client.get(reverse("site:page", kwargs={"event": pycon.slug, "page": draft.slug})).status_code == 404
    )
