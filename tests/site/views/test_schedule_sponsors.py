"""The schedule page and its sponsors: small logos in its footer linked to the sponsors page, and the
"Sponsored by" mark on sessions in a sponsored track, in the grid and the list."""

import pytest
from django.urls import reverse

from podium.sponsors.models import Stage
from tests.public_sponsors import sponsor

pytestmark = pytest.mark.django_db


def _schedule(client, event, query: str = "") -> str:
    response = client.get(reverse("site:schedule", kwargs={"event": event.slug}) + query)
    assert response.status_code == 200
    return response.content.decode()


def _footer(content: str) -> str:
    if 'class="sponsors-footer"' not in content:
        return ""
    return content.split('class="sponsors-footer"', 1)[1].split("</footer>", 1)[0]


def _card(content: str, title: str) -> str:
    """The schedule card of the session `title` (from its title to the end of its cell or item)."""
    start = content.index(title)
    ends = [i for i in (content.find("</td>", start), content.find("</li>", start)) if i != -1]
    return content[start : min(ends)]


def test_the_footer_shows_the_public_sponsors_logos_linked_to_the_sponsors_page(client, program, manager):
    event = program["event"]
    pictured = sponsor(event, manager, "Acme Cloud", logo=True)
    sponsor(event, manager, "Plain Name Ltd")
    sponsor(event, manager, "Hopeful Prospect", stage=Stage.CONTACTED)

    footer = _footer(_schedule(client, event))

    page = reverse("site:sponsors", kwargs={"event": event.slug})
    assert f'<img src="/media/{pictured.organisation.logo.name}" alt="Acme Cloud"' in footer
    assert f'href="{page}#sponsor-{pictured.organisation_id}"' in footer
    assert "Plain Name Ltd" in footer
    assert "Hopeful Prospect" not in footer


def test_no_footer_without_public_sponsors(client, program, manager):
    sponsor(program["event"], manager, "Hopeful Prospect", stage=Stage.PROSPECT)

    assert _footer(_schedule(client, program["event"])) == ""


@pytest.mark.parametrize("view", ["", "&view=list"])
def test_sessions_in_a_sponsored_track_say_who_sponsors_them(client, program, manager, view):
    event = program["event"]
    sponsor(event, manager, "Acme Cloud", track=event.tracks.get(name="Web"))
    sponsor(event, manager, "Prospect Data", track=event.tracks.get(name="Data"), stage=Stage.PROSPECT)

    content = _schedule(client, event, f"?day={event.date_from.isoformat()}{view}")

    assert "Sponsored by <bdi>Acme Cloud</bdi>" in _card(content, "Alpha talk")  # Web
    assert "Sponsored by" not in _card(content, "Beta talk")  # Data: only a prospect
    assert "Sponsored by" not in _card(content, "Lunch")


def test_a_cache_hit_asks_nothing_more_for_the_sponsors(
    client, program, manager, django_assert_max_num_queries
):
    event = program["event"]
    sponsor(event, manager, "Acme Cloud", track=event.tracks.get(name="Web"))
    url = reverse("site:schedule", kwargs={"event": event.slug})
    client.get(url)

    # As without sponsors: the event, its latest release, the seats left, the published pages.
    with django_assert_max_num_queries(4):
        response = client.get(url)

    assert response.templates == []
    assert "Sponsored by <bdi>Acme Cloud</bdi>" in response.content.decode()
