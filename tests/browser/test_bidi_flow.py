"""Hebrew and Arabic titles and names in an English program, as Chromium lays them out: a title reads
right to left (its question mark at its left end), and two right-to-left speaker names keep their order
in the list instead of swapping places; on a talk page (phone and laptop), on a room screen, whose
script redraws the names, and at a check-in desk working offline."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from podium.registration import services as registration
from tests import factories
from tests.browser.actions import open_desk
from tests.program import at, place, release
from tests.registration import shop

pytestmark = pytest.mark.browser

TITLE = "מה חדש ב-Python 3.13?"
SARAH = "שרה כהן"
DANA = "دانا الحسن"
ATTENDEE = "יעל לוי"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def _first_before_second(page, first, second) -> bool:
    """In the reading order of a left-to-right list: `first` on an earlier line, or on the same line
    and to the left of `second`."""
    a, b = first.bounding_box(), second.bounding_box()
    if abs(a["y"] - b["y"]) > a["height"] / 2:
        return a["y"] < b["y"]
    return a["x"] + a["width"] <= b["x"] + 1


@pytest.fixture
def talk(event):
    scheduler = factories.team_member(event, can_schedule=True)
    sarah = factories.UserFactory(name=SARAH)
    dana = factories.UserFactory(name=DANA)
    proposal = factories.ProposalFactory(event=event, title=TITLE, speakers=[sarah, dana], state="confirmed")
    place(event, proposal, "Hall A", at(event, 16, 10), scheduler)
    release(event, scheduler)
    return proposal


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_hebrew_title_and_two_speakers_read_in_their_own_order(page, event, talk, viewport):
    page.set_viewport_size(viewport)
    page.goto(reverse("site:talk", kwargs={"event": event.slug, "code": talk.code}))

    title = page.locator("h1")
    expect(title).to_have_text(TITLE)
    assert title.evaluate("element => element.matches(':dir(rtl)')")
    # Right to left, the question mark ends the title on its left: the title's first letter is
    # further right than its last character.
    first, last = title.evaluate(
        """element => {
            const text = element.firstChild, range = document.createRange();
            const box = (start) => { range.setStart(text, start); range.setEnd(text, start + 1);
                                     return range.getBoundingClientRect().x; };
            return [box(0), box(text.length - 1)];
        }"""
    )
    assert last < first
    speakers = page.locator("article .speakers a")
    expect(speakers).to_have_text([SARAH, DANA])
    assert _first_before_second(page, speakers.nth(0), speakers.nth(1))
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"]


def test_a_room_screen_redraws_the_names_in_their_order(page, event, talk, monkeypatch):
    moment = at(event, 16)
    monkeypatch.setattr(timezone, "now", lambda: moment)  # the live server runs in this process
    page.clock.install(time=moment)
    page.set_viewport_size({"width": 1920, "height": 1080})
    room = event.rooms.get(name="Hall A")

    page.goto(reverse("site:room_now", kwargs={"event": event.slug, "room": room.uuid}))
    page.clock.run_for(31_000)  # rooms.js redraws the panels from the page's data

    upcoming = page.locator('[data-slot="next"]')
    expect(upcoming.locator("[data-title]")).to_have_text(TITLE)
    assert upcoming.locator("[data-title]").evaluate("element => element.matches(':dir(rtl)')")
    names = upcoming.locator("[data-speakers] bdi")
    expect(names).to_have_text([SARAH, DANA])
    assert _first_before_second(page, names.nth(0), names.nth(1))


def test_a_desk_offline_shows_a_hebrew_name_in_its_own_direction(browser, live_url, event):
    """Offline, the desk's script draws the search results and the scan log itself: the name in the
    results reads right to left, and in the log line it is isolated from the line's English."""
    shop.open_registration(event)
    free = shop.ticket_type(event, "Full conference", price="0")
    door = factories.team_member(event, name="Door", can_check_in=True)
    registration.place_order(
        event=event,
        buyer=factories.UserFactory(),
        items=[(free, ATTENDEE, "yael@example.org")],
        email="buyer@example.org",
    )
    context, page = open_desk(browser, live_url, event, door, "Desk 1")
    try:
        expect(page.locator("#checkin-status")).to_contain_text("list of 1 ticket")
        context.set_offline(True)
        page.get_by_label("Name, e-mail or order code").fill("יעל")
        page.get_by_label("Name, e-mail or order code").press("Enter")

        name = page.locator("#checkin-found strong")
        expect(name).to_have_text(ATTENDEE)
        assert name.evaluate("element => element.matches(':dir(rtl)')")
        page.locator("#checkin-found").get_by_role("button").click()
        expect(page.locator("#checkin-log li").first).to_contain_text(
            f"\N{FIRST STRONG ISOLATE}{ATTENDEE}\N{POP DIRECTIONAL ISOLATE}"
        )
        assert page.errors == []
    finally:
        context.close()
