"""The public schedule's layout on a laptop (1366 px) and a phone (390 px), measured in the browser.

A laptop reaches every room of a wide grid with the page's own scrollbars (no box scrolling inside the
page), sees a hint while rooms are off-screen, and keeps the room names and the times in view; a
phone gets the list first and the grid on request, with break titles on screen. Each test keeps
screenshots as test artefacts ($PODIUM_BROWSER_ARTEFACTS, else a podium-browser-* temporary folder).
"""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from podium.events.models import Room
from tests import factories
from tests.browser.actions import next_frames
from tests.program import at, lunch, placed_talk, release

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
EXTRA_ROOMS = ["Auditorium", "Room 201", "Room 202", "Room 301", "Room 302", "Room 317", "Workshop"]

# Every element (the page itself left out) that scrolls on its own: "x" sideways, "y" up and down.
SCROLL_BOXES = """(axis) => Array.from(document.querySelectorAll("body *")).filter((el) => {
  const style = getComputedStyle(el);
  const overflow = axis === "x" ? style.overflowX : style.overflowY;
  const more = axis === "x" ? el.scrollWidth > el.clientWidth + 1 : el.scrollHeight > el.clientHeight + 1;
  return ["auto", "scroll"].includes(overflow) && more && el.offsetParent !== null;
}).map((el) => el.tagName + "." + el.className)"""


def _keep(page, name: str) -> Path:
    folder = os.environ.get("PODIUM_BROWSER_ARTEFACTS") or tempfile.mkdtemp(prefix="podium-browser-")
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    print(f"\nScreenshot kept: {path}")
    return path


@pytest.fixture
def wide_program(event):
    """Nine rooms, a talk in each every hour from 9:00 to 16:00 (lunch at 12:00 in every room)."""
    scheduler = factories.team_member(event, name="Programme", can_schedule=True)
    for position, name in enumerate(EXTRA_ROOMS, start=2):
        Room.objects.create(event=event, name=name, capacity=100, position=position)
    rooms = ["Hall A", "Room 101", *EXTRA_ROOMS]
    for hour in (9, 10, 11, 13, 14, 15):
        for room in rooms:
            placed_talk(event, f"{room} at {hour}", room, at(event, hour), scheduler)
    lunch(event, scheduler)
    release(event, scheduler, name="v1")
    return {"event": event, "rooms": rooms}


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def test_laptop_reaches_every_room_with_the_pages_scrollbars(page, wide_program):
    event, rooms = wide_program["event"], wide_program["rooms"]
    page.set_viewport_size(LAPTOP)
    page.goto(f"/{event.slug}/schedule/")
    expect(page.locator("table.schedule-grid")).to_be_visible()
    _keep(page, "public-schedule-1366")

    # One vertical scrollbar (the page's) and one sideways (the page's too): no box scrolls inside it.
    assert page.evaluate(SCROLL_BOXES, "y") == []
    assert page.evaluate(SCROLL_BOXES, "x") == []
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") > width  # the grid is wider than the screen

    # Rooms off-screen: a hint says so.
    last_room = page.locator("table.schedule-grid thead th", has_text=rooms[-1])
    assert _box(page, "table.schedule-grid thead th >> nth=-1")["x"] > width
    hint = page.locator("[data-more-rooms]")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("more rooms")

    # Down the page: the room names stay at the top.
    page.evaluate("window.scrollTo(0, document.querySelector('table.schedule-grid').offsetTop + 600)")
    next_frames(page)
    assert abs(_box(page, "table.schedule-grid thead th >> nth=1")["y"]) <= 2

    # Sideways to the end: the last room is on screen, the times stay at the left, the hint goes.
    page.evaluate("window.scrollTo(document.documentElement.scrollWidth, window.scrollY)")
    next_frames(page)
    header = last_room.bounding_box()
    assert header["x"] >= 0
    assert header["x"] + header["width"] <= width + 1
    assert abs(_box(page, "table.schedule-grid tbody th[scope=row]")["x"]) <= 2
    expect(hint).to_be_hidden()
    _keep(page, "public-schedule-1366-scrolled")


def test_phone_shows_the_list_first_and_the_grid_on_request(page, wide_program):
    event = wide_program["event"]
    page.set_viewport_size(PHONE)
    page.goto(f"/{event.slug}/schedule/")
    expect(page.locator("section.timeslot").first).to_be_visible()
    expect(page.locator("table.schedule-grid")).to_be_hidden()
    assert page.evaluate(SCROLL_BOXES, "y") == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    lunch_title = page.locator("section.timeslot li.break .title", has_text="Lunch")
    box = lunch_title.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]
    _keep(page, "public-schedule-390-list")

    page.locator(".view-switch a", has_text="Grid").click()
    expect(page.locator("table.schedule-grid")).to_be_visible()
    expect(page.locator("section.timeslot").first).to_be_hidden()
    assert page.evaluate(SCROLL_BOXES, "y") == []
    # The break's title is on screen, also after scrolling sideways.
    title = page.locator("table.schedule-grid td.break .title", has_text="Lunch")
    title.scroll_into_view_if_needed()
    for scroll_x in (0, 600):
        page.evaluate(f"window.scrollTo({scroll_x}, window.scrollY)")
        next_frames(page)
        box = title.bounding_box()
        assert box["x"] >= 0, scroll_x
        assert box["x"] + box["width"] <= PHONE["width"], scroll_x
    expect(page.locator("[data-more-rooms]")).to_be_visible()
    _keep(page, "public-schedule-390-grid")
