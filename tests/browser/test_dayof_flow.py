"""The day-of page on a phone: its stylesheet applies under the Content-Security-Policy (large targets,
one column, nothing wider than the screen), and every page's icon loads."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from podium.accounts.models import User
from tests import factories
from tests.browser.actions import PASSWORD, log_in
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_dayof_page_on_a_phone_gets_its_styles(page, event):
    user = User.objects.create_user(email="sam@example.org", name="Sam Scheduler", password=PASSWORD)
    factories.team_member(event, user=user, can_schedule=True)
    placed_talk(event, "Alpha talk", "Hall A", at(event, 10), user)
    release(event, user)
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security" in message.text else None,
    )
    page.set_viewport_size(PHONE)
    log_in(page, email=user.email)

    page.goto(reverse("orga:dayof", kwargs={"event": event.slug}))
    expect(page.get_by_role("heading", name="Day of")).to_be_visible()
    show = page.get_by_role("button", name="Show")
    late = page.get_by_role("button", name="Hall A is running late…")

    assert refused == []
    assert show.evaluate("element => getComputedStyle(element).minHeight") == "48px"  # 3rem: a thumb's target
    assert late.bounding_box()["width"] >= PHONE["width"] - 80  # the whole width, not a small pill
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    icon = page.request.get("/favicon.ico")
    assert (icon.status, icon.headers["content-type"]) == (200, "image/vnd.microsoft.icon")
