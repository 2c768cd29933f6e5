"""A member of the sponsors team logs a call with an organisation and a next step due this week, and
finds it on "due this week"; a colleague sees it under that member's name; on a phone the pipeline is
readable (stacked, nothing wider than the screen)."""

import pytest
from playwright.sync_api import expect

from podium.sponsors import queries, services
from podium.sponsors.models import Interaction
from tests import factories
from tests.browser.actions import PASSWORD, field, log_in
from tests.sponsoring import contact, level, organisation

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _member(event, name):
    user = factories.UserFactory(name=name)
    user.set_password(PASSWORD)
    user.save()
    return factories.team_member(event, user=user, name=f"Sponsors {name}", can_manage_sponsors=True)


def test_a_logged_call_is_due_this_week(page, event):
    ana = _member(event, "Ana Sponsors")
    ben = _member(event, "Ben Booths")
    sponsorship = organisation(event, ana, "Northwind Analytics With A Rather Long Name GmbH")
    contact(sponsorship, ana, name="Dana Lee", email="dana@northwind.example")
    services.set_level(sponsorship=sponsorship, level=level(event, ana), by=ana)
    organisation(event, ana, "Contoso")
    due = queries.today_at(event)  # the event's today: always within its week

    page.set_viewport_size(LAPTOP)
    log_in(page, email=ana.email)
    page.goto(f"/orga/event/{event.slug}/sponsors/")
    expect(page.get_by_role("heading", name="Sponsors", exact=True)).to_be_visible()
    page.get_by_role("link", name="Northwind Analytics With A Rather Long Name GmbH").click()
    page.get_by_text("Log an interaction").click()
    field(page, "Kind").select_option("call")
    field(page, "With").select_option(label="Dana Lee, Marketing")
    field(page, "What happened (one line)").fill("Called Dana about the Gold package")
    field(page, "Next step").fill("Send the booth floor plan")
    field(page, "Next step due").fill(due.isoformat())
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Logged.")).to_be_visible()
    expect(page.get_by_text("Called Dana about the Gold package")).to_be_visible()
    entry = Interaction.objects.get()
    assert (entry.assigned_to, entry.due, entry.contact.name) == (ana, due, "Dana Lee")

    page.get_by_role("link", name="Due this week").first.click()
    expect(page.get_by_role("heading", name="Due this week: mine")).to_be_visible()
    expect(page.get_by_text("Send the booth floor plan")).to_be_visible()

    # A colleague sees it under Ana's name on everyone's list, and nothing of their own.
    page.context.clear_cookies()
    log_in(page, email=ben.email)
    page.goto(f"/orga/event/{event.slug}/sponsors/due/")
    expect(page.get_by_text("Nothing due this week for you.")).to_be_visible()
    page.goto(f"/orga/event/{event.slug}/sponsors/due/everyone/")
    expect(page.get_by_role("heading", name="Ana Sponsors")).to_be_visible()
    expect(page.get_by_text("Send the booth floor plan")).to_be_visible()

    # On a phone the pipeline is stacked cards that fit the screen.
    page.set_viewport_size(PHONE)
    page.goto(f"/orga/event/{event.slug}/sponsors/")
    card = page.get_by_role("row").filter(has_text="Northwind")
    expect(card).to_be_visible()
    expect(card.get_by_text("Gold", exact=True)).to_be_visible()
    # Each cell is a line of the card, labelled by its column's name.
    label = "getComputedStyle(document.querySelector('td[data-label=Level]'), '::before').content"
    assert page.evaluate(label) == '"Level: "'
    assert page.evaluate("getComputedStyle(document.querySelector('table.pipeline thead')).display") == "none"
    assert _fits_the_screen(page)
    page.get_by_role("link", name="Northwind Analytics With A Rather Long Name GmbH").click()
    expect(page.get_by_text("Send the booth floor plan")).to_be_visible()
    assert _fits_the_screen(page)
