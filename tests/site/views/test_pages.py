"""The event's information pages on the public site: published and sanitised, drafts for the team only,
in the navigation in their order with one query however many there are."""

import pytest
from django.urls import reverse

from podium.events import pages
from podium.events.models import PageState
from tests import factories
from tests.querycount import assert_constant_queries, queries_for

pytestmark = pytest.mark.django_db

PUBLISHED = PageState.PUBLISHED


def _page(event, title, *, state=PUBLISHED, **data):
    return pages.save_page(event=event, by=None, data={"title": title, "state": state, **data})


def _url(event, page):
    return reverse("site:page", kwargs={"event": event.slug, "page": page.slug})


def test_published_page_renders_its_markdown(client, event):
    page = _page(
        event, "Venue", body="### Getting in\n\n- Doors open at **8:00**\n- [Map](https://map.example/)"
    )

    response = client.get(_url(event, page))

    content = response.content.decode()
    assert response.status_code == 200
    assert '<h1 dir="auto">Venue</h1>' in content
    assert "<h3>Getting in</h3>" in content
    assert "<li>Doors open at <strong>8:00</strong></li>" in content
    assert '<a href="https://map.example/" rel="noopener noreferrer nofollow">Map</a>' in content
    assert "Draft" not in content


def test_published_page_never_lets_the_bodys_html_through(client, event):
    body = (
        '<script>alert("body")</script>\n\n<img src=x onerror="alert(1)">\n\n'
        '[click](javascript:alert(2))\n\n<p style="color: red" onclick="alert(3)">styled</p>'
    )
    page = _page(event, "FAQ <script>title()</script>", slug="faq", body=body)

    content = client.get(_url(event, page)).content.decode()

    assert "<script>alert" not in content
    assert "<script>title" not in content
    assert "&lt;script&gt;title()&lt;/script&gt;" in content  # the title is text, escaped
    assert ("onerror" in content, "onclick" in content) == (False, False)
    assert "javascript:" not in content
    assert 'style="color' not in content


def test_draft_is_404_to_the_public_and_to_team_members_who_may_not_edit(client, event):
    page = _page(event, "Sprints", state=PageState.DRAFT)

    assert client.get(_url(event, page)).status_code == 404
    client.force_login(factories.team_member(event, name="Reviewers", can_review=True))
    assert client.get(_url(event, page)).status_code == 404


def test_draft_is_shown_to_the_team_that_edits_the_event_with_a_banner(client, event):
    page = _page(event, "Sprints", state=PageState.DRAFT, body="Not settled.")
    client.force_login(factories.team_member(event, name="Editors", can_edit_event=True))

    response = client.get(_url(event, page))

    assert response.status_code == 200
    assert '<p class="draft-banner" role="note"><strong>Draft</strong>' in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_unknown_page_and_another_events_page_are_404(client, event):
    other = factories.EventFactory(organiser=event.organiser)
    theirs = _page(other, "Theirs")

    assert client.get(reverse("site:page", kwargs={"event": event.slug, "page": "nope"})).status_code == 404
    assert client.get(_url(event, theirs)).status_code == 404


def test_a_non_public_events_page_is_404_to_the_public_and_shown_to_its_team(client, event):
    page = _page(event, "Venue")
    event.is_public = False
    event.save()

    assert client.get(_url(event, page)).status_code == 404
    client.force_login(factories.team_member(event, name="Editors", can_edit_event=True))
    assert client.get(_url(event, page)).status_code == 200


def _nav_titles(content: str, event) -> list[str]:
    nav = content.split('class="program-nav"', 1)[1].split("</nav>", 1)[0]
    prefix = f'href="/{event.slug}/pages/'
    return [chunk.split(">", 1)[1].split("<", 1)[0] for chunk in nav.split(prefix)[1:]]


def test_navigation_lists_the_published_pages_in_their_order(client, event):
    _page(event, "Travel", position=2)
    _page(event, "Venue", position=1)
    _page(event, "Sprints", position=0, state=PageState.DRAFT)
    faq = _page(event, "FAQ", position=3)

    response = client.get(_url(event, faq))

    content = response.content.decode()
    assert _nav_titles(content, event) == ["Venue", "Travel", "FAQ"]
    assert f'href="/{event.slug}/pages/faq/" aria-current="page"' in content


def test_event_home_links_the_published_pages(client, event):
    _page(event, "Code of conduct", position=1)
    _page(event, "Venue", position=0)
    _page(event, "Sprints", state=PageState.DRAFT)

    content = client.get(reverse("site:event", kwargs={"event": event.slug})).content.decode()

    about = content.split('aria-label="About the event"', 1)[1].split("</nav>", 1)[0]
    assert about.index("/pages/venue/") < about.index("/pages/code-of-conduct/")
    assert "/pages/sprints/" not in content


def test_navigation_takes_one_query_however_many_pages_there_are(client, event):
    first = _page(event, "Venue", position=0)
    count = [0]

    def grow(n):
        for _ in range(n):
            count[0] += 1
            _page(event, f"Page {count[0]}", position=count[0])

    assert_constant_queries(client, _url(event, first), grow)


def test_program_pages_navigation_asks_for_the_pages_in_one_query(client, program):
    event = program["event"]
    url = reverse("site:releases", kwargs={"event": event.slug})
    without = queries_for(client, url)
    _page(event, "Venue")
    _page(event, "Travel")

    assert queries_for(client, url) == without
    assert _nav_titles(client.get(url).content.decode(), event) == ["Venue", "Travel"]


def test_cached_program_page_shows_a_page_published_after_the_release(client, program):
    event = program["event"]
    url = reverse("site:schedule", kwargs={"event": event.slug})
    client.get(url)
    page = _page(event, "Venue")

    assert f"/pages/{page.slug}/" in client.get(url).content.decode()

    pages.save_page(event=event, by=None, page=page, data={"state": PageState.DRAFT})
    assert f"/pages/{page.slug}/" not in client.get(url).content.decode()
