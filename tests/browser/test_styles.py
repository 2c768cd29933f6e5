"""Styles the pages rely on, measured in the browser: the tag chips, the "not recorded" mark, and the
public grid's small "more rooms" hint at 1366 px and 390 px. Screenshots of the screen as a visitor
sees it are kept ($PODIUM_BROWSER_ARTEFACTS, else a podium-browser-* temporary folder)."""

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from podium.events.models import Room
from podium.proposals.models import Proposal
from tests import factories
from tests.browser.actions import log_in
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
ROOMS = ["Auditorium", "Room 201", "Room 202", "Room 301", "Room 302", "Room 317", "Workshop"]


def _keep(page, name: str) -> None:
    folder = os.environ.get("PODIUM_BROWSER_ARTEFACTS") or tempfile.mkdtemp(prefix="podium-browser-")
    path = Path(folder) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path)  # the screen, not the whole page: the hint is fixed to the screen
    print(f"\nScreenshot kept: {path}")


def _style(page, selector: str, prop: str) -> str:
    return page.locator(selector).first.evaluate(f"(el) => getComputedStyle(el).{prop}")


@pytest.fixture
def program(event):
    scheduler = factories.team_member(event, name="Programme", can_schedule=True)
    for position, name in enumerate(ROOMS, start=2):
        Room.objects.create(event=event, name=name, capacity=100, position=position)
    for room in ["Hall A", "Room 101", *ROOMS]:
        placed_talk(event, f"{room} at 10", room, at(event, 10), scheduler)
    tagged = Proposal.objects.get(title="Hall A at 10")
    tag = event.tags.create(name="Beginner friendly", colour="#2e7d32", public=True)
    tagged.tags.add(tag)
    Proposal.objects.filter(pk=tagged.pk).update(do_not_record=True)
    release(event, scheduler, name="v1")
    return {"event": event, "talk": tagged, "scheduler": scheduler}


def _hint_box(page, viewport) -> dict:
    hint = page.locator("[data-more-rooms] span")
    expect(hint).to_be_visible()
    box = hint.bounding_box()
    # Small, in the bottom right corner, clear of the page's content column on a laptop.
    assert box["height"] <= 32, box
    assert box["width"] <= 320, box
    assert box["x"] + box["width"] <= viewport["width"], box
    assert box["y"] >= viewport["height"] - 60, box
    holder = page.locator("[data-more-rooms]").bounding_box()
    # No screen-high fade any more: the note alone.
    assert holder["height"] <= 40, holder
    assert holder["width"] <= 340, holder
    return box


def test_the_more_rooms_hint_is_a_small_note_in_the_corner(page, program):
    event = program["event"]
    page.set_viewport_size(LAPTOP)
    page.goto(f"/{event.slug}/schedule/")
    expect(page.locator("table.schedule-grid")).to_be_visible()
    _hint_box(page, LAPTOP)
    assert _style(page, "[data-more-rooms]", "pointerEvents") == "none"
    _keep(page, "styles-schedule-hint-1366")

    page.set_viewport_size(PHONE)
    page.goto(f"/{event.slug}/schedule/#grid-view")
    expect(page.locator("table.schedule-grid")).to_be_visible()
    _hint_box(page, PHONE)
    _keep(page, "styles-schedule-hint-390")


def test_tags_are_chips_and_not_recorded_is_marked_on_the_talk_page(page, program):
    event, talk = program["event"], program["talk"]
    page.set_viewport_size(LAPTOP)
    page.goto(f"/{event.slug}/talk/{talk.code}/")
    tags = page.locator("ul.talk-tags")
    expect(tags).to_contain_text("Beginner friendly")
    assert _style(page, "ul.talk-tags", "display") == "flex"
    assert _style(page, "ul.talk-tags li.tag", "listStyleType") == "none"
    assert _style(page, "ul.talk-tags li.tag", "borderTopStyle") == "solid"
    assert _style(page, "ul.talk-tags li.tag", "whiteSpace") == "nowrap"
    marked = page.locator(".not-recorded").first
    expect(marked).to_contain_text("Not recorded")
    assert _style(page, ".not-recorded", "borderLeftStyle") == "solid"
    _keep(page, "styles-talk-tags")


def test_tags_are_chips_in_the_back_office(page, program, live_url):
    event, talk = program["event"], program["talk"]
    organiser = factories.team_member(event, name="Organisers", can_edit_event=True, is_admin=True)
    log_in(page, email=organiser.email, password=factories.PASSWORD)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.set_viewport_size(LAPTOP)
    page.goto(f"/orga/event/{event.slug}/proposals/{talk.code}/")
    expect(page.locator("span.tag")).to_contain_text("Beginner friendly")
    assert _style(page, "span.tag", "display") == "inline-flex"
    assert _style(page, "strong.not-recorded", "backgroundColor") != "rgba(0, 0, 0, 0)"
