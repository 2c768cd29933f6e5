"""Room screens thank the event's public sponsors under the program: their logos, or their names."""

import pytest
from django.urls import reverse

from podium.sponsors.models import Stage
from tests.public_sponsors import sponsor

pytestmark = pytest.mark.django_db


def _footer(response) -> str:
    content = response.content.decode()
    if 'class="screen-sponsors"' not in content:
        return ""
    return content.split('class="screen-sponsors"', 1)[1].split("</footer>", 1)[0]


def _screens(event):
    room = event.rooms.order_by("position").first()
    return [
        reverse("site:rooms_now", kwargs={"event": event.slug}),
        reverse("site:room_now", kwargs={"event": event.slug, "room": room.uuid}),
    ]


def test_both_screens_show_the_public_sponsors(client, program, manager):
    event = program["event"]
    pictured = sponsor(event, manager, "Acme Cloud", logo=True)
    sponsor(event, manager, "Plain Name Ltd")
    sponsor(event, manager, "Hopeful Prospect", stage=Stage.CONTACTED)

    for url in _screens(event):
        footer = _footer(client.get(url))
        assert f'<img src="/media/{pictured.organisation.logo.name}" alt="Acme Cloud">' in footer
        assert "Plain Name Ltd" in footer
        assert "Hopeful Prospect" not in footer
        assert reverse("site:sponsors", kwargs={"event": event.slug}) in footer


def test_screens_without_public_sponsors_have_no_footer(client, program):
    for url in _screens(program["event"]):
        assert _footer(client.get(url)) == ""


def test_the_sponsors_are_outside_the_region_a_release_replaces(client, program, manager):
    sponsor(program["event"], manager, "Acme Cloud")

    content = client.get(_screens(program["event"])[0]).content.decode()

    assert content.index("</main>") < content.index('class="screen-sponsors"')


def test_the_lobby_reads_the_sponsors_in_one_query(client, program, manager, django_assert_max_num_queries):
    event = program["event"]
    for number in range(5):
        sponsor(event, manager, f"Org {number}", logo=number % 2 == 0)

    # The screen's six (tests/site/views/test_rooms.py) and the sponsors: one query, however many.
    with django_assert_max_num_queries(7):
        client.get(_screens(event)[0])
