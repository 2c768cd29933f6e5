"""The schedule editor as an organiser sees it on a laptop (1366 px) and on a phone (390 px): six rooms
with readable columns in a grid that scrolls sideways under sticky room headers and times, rows
proportional to time, conflicts named on the cards, the side panel beside or above the grid (never over
it), and pinning a session from its card and unpinning it from the side panel.

Each test keeps a screenshot of the editor as a test artefact (see `_keep`)."""

import datetime as dt
import os
import re
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.events.models import Room, SessionType
from podium.schedule import services
from podium.schedule.models import Slot
from tests import factories
from tests.browser.actions import PASSWORD, log_in, next_frames

pytestmark = pytest.mark.browser

ROOMS = ["Authentication", "Infrastructure", "Observability", "Accessibility", "Internationalisation"]
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def _keep(page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact: in $PODIUM_BROWSER_ARTEFACTS when set, else in a
    podium-browser-* directory of the system's temporary directory, as failed browser tests keep theirs."""
    folder = os.environ.get("PODIUM_BROWSER_ARTEFACTS") or tempfile.mkdtemp(prefix="podium-browser-")
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    print(f"\nScreenshot kept: {path}")
    return path


def _at(event, hour, minute=0) -> dt.datetime:
    return dt.datetime.combine(event.date_from, dt.time(hour, minute), tzinfo=event.tz)


@pytest.fixture
def scheduler(event):
    return factories.team_member(
        event,
        User.objects.create_user(email="sam@example.org", name="Sam Scheduler", password=PASSWORD),
        name="Programme",
        can_schedule=True,
    )


@pytest.fixture
def day(event):
    """Six rooms, a 30-minute talk, a 45-minute workshop, a 15-minute coffee break in every room and
    one speaker in two rooms at once."""
    for position, name in enumerate(ROOMS, start=2):
        Room.objects.create(event=event, name=name, capacity=120, position=position)
    workshop = SessionType.objects.create(event=event, name="Workshop", duration_minutes=45)
    rooms = list(event.rooms.order_by("position"))
    busy = factories.UserFactory(name="Busy Bee")
    talk = factories.ProposalFactory(event=event, title="Passwords considered harmful", state="confirmed")
    long = factories.ProposalFactory(
        event=event, title="Tracing in practice", state="confirmed", session_type=workshop
    )
    first = factories.ProposalFactory(
        event=event, title="Morning keynote-ish", state="confirmed", speakers=[busy]
    )
    second = factories.ProposalFactory(
        event=event,
        title="Same time elsewhere",
        state="confirmed",
        speakers=[busy],
        track=event.tracks.get(name="Web"),
    )
    for proposal, room, start in [
        (talk, rooms[2], _at(event, 10)),
        (long, rooms[3], _at(event, 10)),
        (first, rooms[0], _at(event, 11)),
        (second, rooms[5], _at(event, 11)),
    ]:
        services.place_session(event=event, proposal=proposal, room=room, start=start, version=0, by=None)
    services.save_break(
        event=event, by=None, title="Coffee", room=None, start=_at(event, 12), end=_at(event, 12, 15)
    )
    return {"talk": talk, "workshop": long, "first": first, "second": second}


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


def _editor(page, event, scheduler, viewport):
    page.set_viewport_size(viewport)
    log_in(page, email=scheduler.email)
    page.goto(f"/orga/event/{event.slug}/schedule/")
    grid = page.locator(".schedule-grid")
    expect(grid).to_be_visible()
    return grid


def test_editor_on_a_laptop_gives_rooms_readable_columns_in_a_grid_that_scrolls_with_sticky_headers(
    page, event, scheduler, day
):
    grid = _editor(page, event, scheduler, LAPTOP)

    # Every room's column is at least 10rem (160 px) wide: "Internationalisation" stays one word.
    for name in ["Hall A", "Room 101", *ROOMS]:
        header = grid.locator("thead th", has_text=name)
        assert _box(header)["width"] >= 160, name
    long_name = grid.locator("thead th", has_text="Internationalisation")
    assert long_name.evaluate("th => th.scrollWidth <= th.clientWidth + 1")

    # The grid scrolls sideways in its own box; the page itself does not.
    wrap = page.locator(".grid-wrap")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Room headers and times stay in view while the grid scrolls (sticky).
    wrap.scroll_into_view_if_needed()
    wrap_box = _box(wrap)
    time_cell = grid.locator("tbody th").first
    header = grid.locator("thead th", has_text="Observability")
    wrap.evaluate("w => { w.scrollLeft = 400; w.scrollTop = 300; }")
    next_frames(page)
    assert abs(_box(time_cell)["x"] - wrap_box["x"]) <= 2
    assert abs(_box(header)["y"] - wrap_box["y"]) <= 2
    wrap.evaluate("w => { w.scrollLeft = 0; w.scrollTop = 0; }")
    _keep(page, "editor-1366")


def test_editor_rows_are_proportional_to_time(page, event, scheduler, day):
    grid = _editor(page, event, scheduler, LAPTOP)

    # 45 minutes draw one and a half times as high as 30, a 15-minute break half as high.
    talk = _box(grid.locator(f"td.session-cell[data-code='{day['talk'].code}']"))["height"]
    workshop = _box(grid.locator(f"td.session-cell[data-code='{day['workshop'].code}']"))["height"]
    coffee = _box(grid.locator("td.break-cell", has_text="Coffee"))["height"]
    assert workshop / talk == pytest.approx(1.5, rel=0.04)
    assert coffee / talk == pytest.approx(0.5, rel=0.06)


def test_editor_cards_name_their_conflict(page, event, scheduler, day):
    grid = _editor(page, event, scheduler, LAPTOP)

    first = grid.locator(f"td.session-cell[data-code='{day['first'].code}']")
    expect(first).to_contain_text("Conflict: speaker double-booked with “Same time elsewhere”")
    second = grid.locator(f"td.session-cell[data-code='{day['second'].code}']")
    expect(second).to_contain_text("Conflict: speaker double-booked with “Morning keynote-ish”")
    expect(grid).not_to_contain_text("see above")


def test_editor_on_a_phone_stacks_the_side_panel_above_the_grid(page, event, scheduler, day):
    factories.ProposalFactory(event=event, title="Still unplaced", state="confirmed")
    page.set_viewport_size(PHONE)
    log_in(page, email=scheduler.email)
    page.goto(f"/orga/event/{event.slug}/schedule/")
    panel, wrap = page.locator("section.unscheduled"), page.locator(".grid-wrap")
    expect(panel).to_contain_text("Still unplaced")

    def apart() -> bool:
        a, b = _box(panel), _box(wrap)
        return (
            a["y"] + a["height"] <= b["y"] + 1
            or b["y"] + b["height"] <= a["y"] + 1
            or (a["x"] + a["width"] <= b["x"] + 1 or b["x"] + b["width"] <= a["x"] + 1)
        )

    assert apart()
    # Scrolled down to the grid, the panel does not float over it either.
    page.locator(f"td.session-cell[data-code='{day['talk'].code}']").scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    page.evaluate("window.scrollBy(0, 300)")
    page.wait_for_function("before => window.scrollY > before", arg=scrolled)
    next_frames(page)
    assert apart()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")  # the grid scrolls in its own box
    _keep(page, "editor-390")


def test_organiser_pins_from_the_card_and_unpins_from_the_side_panel(page, event, scheduler, day):
    talk = day["talk"]
    page.set_viewport_size(LAPTOP)
    log_in(page, email=scheduler.email)
    page.goto(f"/orga/event/{event.slug}/schedule/")
    card = page.locator(f"td.session-cell[data-code='{talk.code}']")

    card.get_by_role("button", name=f"Pin “{talk.title}”").click()

    expect(page.locator(".editor-notice")).to_contain_text("is pinned")
    card = page.locator(f"td.session-cell[data-code='{talk.code}']")
    expect(card).to_have_attribute("data-pinned", "1")
    expect(card).to_contain_text("Pinned")
    assert Slot.objects.get(proposal=talk).pinned
    side = page.locator(".pinned-list")
    expect(side).to_contain_text("Pinned (1)")
    expect(side).to_contain_text(talk.title)
    _keep(page, "editor-pinned-1366")

    side.get_by_role("button", name=f"Unpin “{talk.title}”").click()

    expect(page.locator(".editor-notice")).to_contain_text("is unpinned")
    expect(page.locator(".pinned-list")).to_contain_text("Pinned (0)")
    expect(page.locator(f"td.session-cell[data-code='{talk.code}']")).not_to_have_attribute(
        "data-pinned", "1"
    )
    assert not Slot.objects.get(proposal=talk).pinned


def test_organiser_pins_on_the_sessions_form_on_a_phone(page, event, scheduler, day):
    talk = day["talk"]
    page.set_viewport_size(PHONE)
    log_in(page, email=scheduler.email)
    page.goto(f"/orga/event/{event.slug}/schedule/session/{talk.code}/")

    page.get_by_role("button", name="Pin here").click()

    expect(page.get_by_text(re.compile("is pinned: automatic scheduling leaves it"))).to_be_visible()
    expect(page.locator(".pin-state")).to_contain_text("Pinned here")
    assert Slot.objects.get(proposal=talk).pinned
    _keep(page, "session-form-pinned-390")
    page.get_by_role("button", name="Unpin").click()
    expect(page.locator(".pin-state")).to_contain_text("Not pinned")
    assert not Slot.objects.get(proposal=talk).pinned
