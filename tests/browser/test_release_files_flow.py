"""A logged-in visitor on a page served from the release's files (the same bytes as an anonymous
visitor's) sees their own stars and links, filled in from me.json, and stars another session."""

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.attendance import services as attendance
from podium.attendance.models import Star
from podium.site import release_files
from tests import factories
from tests.browser.actions import PASSWORD, log_in
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.browser


@pytest.fixture
def published(event, settings, tmp_path):
    settings.PODIUM_RELEASE_FILES = True
    settings.PODIUM_RELEASE_DIR = tmp_path / "releases"
    release_files._manifest.cache_clear()
    scheduler = factories.team_member(event, can_schedule=True)
    alpha = placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler)
    beta = placed_talk(event, "Beta talk", "Room 101", at(event, 10), scheduler)
    first = release(event, scheduler)
    release_files.render_release(event, first)
    return {"alpha": alpha, "beta": beta, "release": first}


def test_a_logged_in_visitor_sees_their_stars_on_a_stored_page(page, event, published):
    visitor = User.objects.create_user(email="vera@example.org", name="Vera Visitor", password=PASSWORD)
    alpha, beta = published["alpha"], published["beta"]
    attendance.set_star(event=event, user=visitor, code=alpha.code, starred=True)
    day = published["release"].sessions.order_by("day").first().day.isoformat()
    stored = release_files.release_dir(event.slug, published["release"])
    assert f"pages/schedule/{day}/grid.html" in stored.files

    log_in(page, email=visitor.email)
    answer = page.goto(f"/{event.slug}/schedule/?day={day}")
    assert answer.headers["cache-control"] == release_files.LATEST_CACHE_CONTROL  # the stored file

    expect(page.locator(f"button.star[data-star='{alpha.code}']").first).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator(f"button.star[data-star='{beta.code}']").first).to_have_attribute(
        "aria-pressed", "false"
    )
    expect(page.get_by_role("link", name="My agenda")).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.get_by_role("link", name="Log in")).to_be_hidden()

    page.locator(f"button.star[data-star='{beta.code}']").first.click()
    expect(page.locator(f"button.star[data-star='{beta.code}']").first).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(page.locator("[data-stars-status]")).to_have_text("Starred.")
    assert Star.objects.filter(user=visitor, proposal=beta).exists()

    page.get_by_role("button", name="Log out").click()
    page.goto(f"/{event.slug}/schedule/?day={day}")
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    expect(page.locator(f"button.star[data-star='{alpha.code}']").first).to_have_attribute(
        "aria-pressed", "false"
    )
