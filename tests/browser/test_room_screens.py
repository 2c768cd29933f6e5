"""A room screen after a session changed rooms: the new room says where it came from, the room it left
says where it went, and the screen's own clock (rooms.js, every 30 s) keeps saying so, with the date."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories
from tests.program import at, place, placed_talk, release

pytestmark = pytest.mark.browser

SCREEN = {"width": 1920, "height": 1080}


def test_room_screens_say_where_a_moved_session_went(page, event, monkeypatch):
    scheduler = factories.team_member(event, can_schedule=True)
    talk = placed_talk(event, "Alpha talk", "Hall A", at(event, 16, 10), scheduler)
    release(event, scheduler)
    place(event, talk, "Room 101", at(event, 16, 40), scheduler)
    release(event, scheduler)
    moment = at(event, 16)
    monkeypatch.setattr(timezone, "now", lambda: moment)  # the live server runs in this process
    page.clock.install(time=moment)
    page.set_viewport_size(SCREEN)
    hall, small = event.rooms.get(name="Hall A"), event.rooms.get(name="Room 101")
    today = moment.strftime("%A %-d %B")

    page.goto(reverse("site:room_now", kwargs={"event": event.slug, "room": small.uuid}))
    page.clock.run_for(31_000)  # rooms.js redraws the panels from the page's data

    upcoming = page.locator('[data-slot="next"]')
    expect(upcoming.locator("[data-title]")).to_have_text("Alpha talk")
    expect(upcoming.locator("[data-late]")).to_have_text(
        "Moved here from \N{FIRST STRONG ISOLATE}Hall A\N{POP DIRECTIONAL ISOLATE} (was 16:10)"
    )
    expect(upcoming.locator("[data-late]")).to_be_visible()
    expect(page.locator("[data-today]")).to_have_text(today)

    page.goto(reverse("site:room_now", kwargs={"event": event.slug, "room": hall.uuid}))
    page.clock.run_for(31_000)

    moved_away = page.locator("li.late-notice")
    expect(moved_away).to_have_text(
        "“\N{FIRST STRONG ISOLATE}Alpha talk\N{POP DIRECTIONAL ISOLATE}” (16:10) moved to "
        "\N{FIRST STRONG ISOLATE}Room 101\N{POP DIRECTIONAL ISOLATE}, 16:40"
    )
    expect(moved_away).to_be_visible()
    expect(page.locator('[data-slot="next"] [data-empty]')).to_have_text("Nothing more in this room")
    page.clock.run_for(41 * 60_000)  # past the end of its old time in Hall A

    expect(moved_away).to_be_hidden()
