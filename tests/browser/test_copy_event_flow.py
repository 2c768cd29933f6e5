"""An organiser starts next year's edition from this one, on a laptop and on a phone: the copy opens on
its dashboard and has the set-up (rooms, ticket types with their sale window) but none of the people."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.events.models import Event
from tests import factories
from tests.browser.actions import PASSWORD, field, log_in
from tests.registration import shop

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_an_organiser_copies_the_event_for_next_year(page, event, viewport):
    admin = factories.team_member(
        event,
        User.objects.create_user(email="ana@example.org", name="Ana Admin", password=PASSWORD),
        name="Administrators", is_admin=True, can_edit_event=True,
    )  # fmt: skip
    opens = dt.datetime.combine(event.date_from - dt.timedelta(days=60), dt.time(9), tzinfo=event.tz)
    shop.open_registration(event)
    standard = shop.ticket_type(event, "Standard", price="80.00", quota=200)
    shop.buy(event, factories.UserFactory(email="buyer@example.org"), standard)
    standard.sale_start = opens
    standard.save()
    page.set_viewport_size(viewport)
    log_in(page, email=admin.email)

    page.goto(f"/orga/event/{event.slug}/")
    page.get_by_role("link", name="Copy this event").click()
    expect(page.get_by_role("heading", name="Copy this event")).to_be_visible()
    expect(page.locator("main p", has_text="its registration set-up (ticket types")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the copy form scrolls sideways"
    field(page, "Name of the new edition").fill("PyConf next year")
    field(page, "Short name").fill("pyconf-next")
    next_year = event.date_from + dt.timedelta(days=364)
    field(page, "First day").fill(next_year.isoformat())
    page.get_by_role("button", name="Copy event").click()

    expect(page.get_by_text("PyConf next year was made from")).to_be_visible()
    assert page.url.endswith("/orga/event/pyconf-next/")
    copy = Event.objects.get(slug="pyconf-next")
    page.goto(f"/orga/event/{copy.slug}/registration/ticket-types/")
    expect(page.get_by_text("Standard")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL), "the ticket types page scrolls sideways"
    new = copy.ticket_types.get()
    assert (new.seats_taken, new.sale_start.astimezone(event.tz).time()) == (0, dt.time(9))
    assert new.sale_start.astimezone(event.tz).date() == opens.date() + dt.timedelta(days=364)
    assert not copy.orders.exists()
    assert not copy.registration_settings.is_open
