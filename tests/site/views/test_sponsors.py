"""The event's sponsors page: public stages only, by level, logos sized by the level, links marked as
sponsored, descriptions as sanitised Markdown; in the navigation only when there is someone to show."""

import pytest
from django.test import Client
from django.urls import reverse

from podium.sponsors import services
from podium.sponsors.models import LogoSize, Stage
from tests import factories
from tests.public_sponsors import sponsor
from tests.sponsoring import level

pytestmark = pytest.mark.django_db


def _url(event) -> str:
    return reverse("site:sponsors", kwargs={"event": event.slug})


def _nav(content: str) -> str:
    return content.split('class="program-nav"', 1)[1].split("</nav>", 1)[0]


def _section(content: str, heading: str) -> str:
    return content.split(f">{heading}</h2>", 1)[1].split("</section>", 1)[0]


def test_sponsors_by_level_with_logos_sized_by_the_level(client, event, manager):
    gold = level(event, manager, "Gold", position=0, logo_size=LogoSize.LARGE)
    community = level(event, manager, "Community", position=2, logo_size=LogoSize.SMALL)
    acme = sponsor(event, manager, "Acme Cloud", level=gold, logo=True, website="https://acme.example/")
    sponsor(event, manager, "Tiny Co-op", level=community)
    sponsor(event, manager, "Py Weekly", kind="media", website="https://weekly.example/")

    response = client.get(_url(event))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.index(">Gold</h2>") < content.index(">Community</h2>") < content.index(">Partners</h2>")
    gold_part = _section(content, "Gold")
    assert f'src="/media/{acme.organisation.logo.name}"' in gold_part
    assert "sponsor-logo-large" in gold_part
    assert '<a href="https://acme.example/" rel="noopener sponsored">Acme Cloud</a>' in gold_part
    assert "Tiny Co-op" in _section(content, "Community")
    assert "sponsor-logo" not in _section(content, "Community")  # no logo: the name alone
    assert '<a href="https://weekly.example/" rel="noopener sponsored">Py Weekly</a>' in _section(
        content, "Partners"
    )


def test_only_public_stages_are_shown(client, event, manager):
    for stage in Stage.values:
        sponsor(event, manager, f"Org {stage}", stage=stage)

    content = client.get(_url(event)).content.decode()

    shown = {stage for stage in Stage.values if f"Org {stage}" in content}
    assert shown == {Stage.COMMITTED, Stage.INVOICED, Stage.PAID}


def test_the_description_is_markdown_without_the_html_of_its_authors(client, event, manager):
    description = (
        "We make **clouds**. [Jobs](https://acme.example/jobs)\n\n"
        '<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">\n\n[click](javascript:alert(2))'
    )
    sponsor(event, manager, "Acme <b>Cloud</b>", description=description)

    content = client.get(_url(event)).content.decode()

    assert "We make <strong>clouds</strong>." in content
    assert '<a href="https://acme.example/jobs" rel="noopener noreferrer nofollow">Jobs</a>' in content
    assert "<script>alert" not in content
    assert "onerror" not in content
    assert "javascript:" not in content
    assert "Acme &lt;b&gt;Cloud&lt;/b&gt;" in content


def test_an_event_without_public_sponsors_has_no_sponsors_page(client, event, manager):
    sponsor(event, manager, "Still a prospect", stage=Stage.PROSPECT)

    assert client.get(_url(event)).status_code == 404


def test_a_hidden_event_answers_as_an_unknown_one(client, manager, event):
    sponsor(event, manager, "Acme Cloud")
    event.is_public = False
    event.save()

    hidden = client.get(_url(event))
    unknown = client.get(reverse("site:sponsors", kwargs={"event": "no-such-event"}))

    assert (hidden.status_code, unknown.status_code) == (404, 404)
    assert "Acme Cloud" not in hidden.content.decode()


def test_the_navigation_links_the_page_only_when_there_are_public_sponsors(client, event, manager):
    releases = reverse("site:releases", kwargs={"event": event.slug})
    prospect = sponsor(event, manager, "Acme Cloud", stage=Stage.PROSPECT)

    assert _url(event) not in _nav(client.get(releases).content.decode())
    assert _url(event) not in client.get(reverse("site:event", kwargs={"event": event.slug})).content.decode()

    services.move_stage(sponsorship=prospect, stage=Stage.COMMITTED, by=manager)

    assert f'href="{_url(event)}"' in _nav(client.get(releases).content.decode())
    assert (
        f'href="{_url(event)}"'
        in client.get(reverse("site:event", kwargs={"event": event.slug})).content.decode()
    )
    assert 'aria-current="page">Sponsors</a>' in _nav(client.get(_url(event)).content.decode())


def test_the_cached_pages_change_after_a_sponsor_edit(client, program, manager):
    event = program["event"]
    schedule = reverse("site:schedule", kwargs={"event": event.slug})
    shown = sponsor(event, manager, "Acme Cloud")
    for url in (schedule, _url(event)):
        first = client.get(url)
        assert "Acme Cloud" in first.content.decode()
        assert client.get(url).templates == []  # served from the page cache

    services.save_organisation(
        event=event, by=manager, organisation=shown.organisation, data={"name": "Acme Skies"}
    )

    for url in (schedule, _url(event)):
        content = client.get(url).content.decode()
        assert "Acme Skies" in content
        assert "Acme Cloud" not in content
    services.move_stage(sponsorship=shown, stage=Stage.DECLINED, by=manager)
    assert "Acme Skies" not in client.get(schedule).content.decode()
    assert client.get(_url(event)).status_code == 404


def test_the_page_is_served_from_the_cache_without_reading_the_sponsors_again(
    client, program, manager, django_assert_max_num_queries
):
    event = program["event"]
    sponsor(event, manager, "Acme Cloud")
    client.get(_url(event))

    with django_assert_max_num_queries(3):  # the event, its latest release, its information pages
        response = client.get(_url(event))

    assert response.templates == []


def test_logged_in_visitors_see_the_page_too(event, manager):
    sponsor(event, manager, "Acme Cloud")
    visitor = Client()
    visitor.force_login(factories.UserFactory())

    response = visitor.get(_url(event))

    assert response.status_code == 200
    assert "Acme Cloud" in response.content.decode()
