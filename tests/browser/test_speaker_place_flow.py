"""A confirmed speaker opens their proposal and sees when and where they speak, with the public
talk page and a calendar file one click away (phone and desktop)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from podium.accounts.models import User
from tests import factories
from tests.browser.actions import PASSWORD, log_in
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 768}])
def test_a_confirmed_speaker_sees_day_time_room_and_gets_the_calendar_file(page, event, viewport):
    page.set_viewport_size(viewport)
    grace = User.objects.create_user(email="grace@example.org", name="Grace Speaker", password=PASSWORD)
    scheduler = factories.team_member(event, can_schedule=True)
    talk = placed_talk(
        event, "Async without tears", "Room 101", at(event, 14, 30), scheduler, speakers=[grace]
    )
    release(event, scheduler)
    log_in(page, email=grace.email)

    page.goto(reverse("cfp:proposal", kwargs={"event": event.slug, "code": talk.code}))

    place = page.get_by_role("region", name="When and where you speak")
    expect(place).to_be_visible()
    expect(place).to_contain_text("14:30–15:00")
    expect(place).to_contain_text("Room 101")
    with page.expect_download() as download:
        place.get_by_role("link", name="Add to your calendar (.ics)").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert re.search(r"^SUMMARY[^:]*:Async without tears", content, flags=re.M)
    assert "STATUS:CONFIRMED" in content
    place.get_by_role("link", name="Your talk's public page").click()
    expect(page.get_by_role("heading", name="Async without tears")).to_be_visible()
