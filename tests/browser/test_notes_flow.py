"""On a phone, an attendee writes a note under a talk, finds it among their notes and in the Markdown
file they download."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.attendance.models import Note
from tests import factories
from tests.browser.actions import PASSWORD, log_in
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_attendee_writes_a_note_on_a_phone_and_finds_it_in_the_markdown_export(page, event, tmp_path):
    scheduler = factories.team_member(event, can_schedule=True)
    talk = placed_talk(
        event,
        "Ça marche: « typed » Python",
        "Hall A",
        at(event, 10),
        scheduler,
        speakers=[factories.UserFactory(name="Renée Speaker")],
    )
    release(event, scheduler)
    attendee = User.objects.create_user(email="ines@example.org", name="Inès Attendee", password=PASSWORD)
    page.set_viewport_size(PHONE)
    log_in(page, email=attendee.email)

    page.goto(f"/{event.slug}/talk/{talk.code}/")
    expect(page.get_by_role("heading", name="Your note")).to_be_visible()
    note = page.get_by_role("textbox", name="Your note")
    note.fill("Ask about **gradual typing**.\n\n- slides on the site")
    page.get_by_role("button", name="Save note").click()

    expect(page.get_by_text("Your note was saved. Only you can see it.")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your note")).to_have_value(
        "Ask about **gradual typing**.\n\n- slides on the site"
    )
    assert Note.objects.get(user=attendee).proposal == talk
    assert _fits_the_screen(page)

    page.get_by_role("link", name=f"All your notes on {event.name}").click()
    expect(page.get_by_role("heading", name="My notes")).to_be_visible()
    expect(page.locator(".note-entry strong")).to_have_text("gradual typing")
    assert _fits_the_screen(page)

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download as Markdown").click()
    download = download_info.value
    assert download.suggested_filename == f"{event.slug}-notes.md"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = Path(path).read_text(encoding="utf-8")
    assert "## Ça marche: « typed » Python" in text
    assert "Speakers: Renée Speaker" in text
    assert re.search(r"When: \w+ \d+ \w+ \d{4}, 10:00–10:30 \(America/Chicago\) · Hall A", text)
    assert "Ask about **gradual typing**.\n\n- slides on the site" in text
