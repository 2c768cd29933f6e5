"""From the editor to the attendee: an organiser drags a session into the grid and releases it; a visitor
finds it on the public schedule, stars it without an account, and keeps the star across a reload and a
log-in."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.attendance.models import Star
from podium.schedule.models import Release, Slot
from tests import factories
from tests.browser.actions import PASSWORD, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def scheduler(event):
    return factories.team_member(
        event,
        User.objects.create_user(email="sam@example.org", name="Sam Scheduler", password=PASSWORD),
        name="Programme",
        can_schedule=True,
    )


@pytest.fixture
def talk(event):
    return factories.ProposalFactory(
        event=event,
        title="Typing the untyped",
        state="confirmed",
        speakers=[factories.UserFactory(name="Tess Types")],
        track=event.tracks.get(name="Web"),
    )


def _cell_start(event, hour: int) -> str:
    """The grid cell's data-start for `hour` on the first day (the editor's cells are in UTC ISO 8601)."""
    moment = dt.datetime.combine(event.date_from, dt.time(hour), tzinfo=event.tz)
    return moment.astimezone(dt.UTC).isoformat()


def test_organiser_drags_and_releases_then_a_visitor_stars_and_keeps_the_star(page, event, scheduler, talk):
    hall = event.rooms.get(name="Hall A")
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_viewport_size({"width": 1400, "height": 2400})  # the whole day's grid in view for the drag
    log_in(page, email=scheduler.email)

    page.goto(f"/orga/event/{event.slug}/schedule/")
    card = page.locator(f"section.unscheduled li[data-code='{talk.code}']")
    expect(card).to_be_visible()
    card.drag_to(
        page.locator(f"td.drop-target[data-room='{hall.pk}'][data-start='{_cell_start(event, 10)}']")
    )

    placed = page.locator(f"td.session-cell[data-code='{talk.code}']")
    expect(placed).to_contain_text("Typing the untyped")
    expect(placed).to_contain_text("10:00")
    expect(page.locator(f"section.unscheduled li[data-code='{talk.code}']")).to_have_count(0)
    slot = Slot.objects.get(proposal=talk)
    assert (slot.room, slot.start.astimezone(event.tz).time()) == (hall, dt.time(10))

    page.goto(f"/orga/event/{event.slug}/schedule/release/")
    expect(page.get_by_text("Typing the untyped")).to_be_visible()  # the preview of the changelog
    page.get_by_role("button", name="Publish release").click()
    expect(page.get_by_text(re.compile(r"Release .+ published: 1 new"))).to_be_visible()
    assert Release.objects.filter(event=event).count() == 1

    # A visitor, not logged in.
    page.context.clear_cookies()
    page.goto(f"/{event.slug}/schedule/")
    session = page.locator(f"[data-session='{talk.code}']").first
    expect(session).to_contain_text("Typing the untyped")
    expect(session).to_contain_text("Tess Types")
    star = page.locator(f"button.star[data-star='{talk.code}']").first
    expect(star).to_have_attribute("aria-pressed", "false")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")
    assert not Star.objects.exists()  # kept in the browser only

    page.reload()
    expect(page.locator(f"button.star[data-star='{talk.code}']").first).to_have_attribute(
        "aria-pressed", "true"
    )

    # Logging in from the page's own link comes back to the schedule and moves the star into the account.
    attendee = User.objects.create_user(email="ada@example.org", name="Ada Attendee", password=PASSWORD)
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail").fill(attendee.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"/{event.slug}/schedule/"))
    expect(page.locator("[data-stars-status]")).to_have_text(re.compile("now in your account"))
    assert list(Star.objects.filter(user=attendee).values_list("proposal__code", flat=True)) == [talk.code]

    # Served from the account now: the browser's copy is gone and the page still shows the star.
    assert page.evaluate(f"localStorage.getItem('podium:stars:{event.slug}')") is None
    page.reload()
    expect(page.locator(f"button.star[data-star='{talk.code}']").first).to_have_attribute(
        "aria-pressed", "true"
    )
    page.goto(f"/{event.slug}/schedule/?starred=1")
    expect(page.locator(f"[data-session='{talk.code}']").first).to_be_visible()
