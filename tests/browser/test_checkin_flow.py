"""Two desks at the doors, on phones: desk 1 checks a ticket in, desk 2 is told it is already in (when
and at which desk); desk 1 loses the network, checks a third ticket against its copy of the attendee
list, queues it, and sends it when the network is back."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from podium.checkin.models import CheckIn
from podium.checkin.services import check_in
from podium.registration import services
from podium.registration.tickets import token_for
from tests import factories
from tests.browser.actions import log_in, open_desk
from tests.registration import shop

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _free_tickets(event, *people: tuple[str, str]):
    """The door team member and one order of free tickets for `people` (name, address)."""
    shop.open_registration(event)
    free = shop.ticket_type(event, "Full conference", price="0")
    door = factories.team_member(event, name="Door", can_check_in=True)
    items = [(free, name, email) for name, email in people]
    order = services.place_order(
        event=event, buyer=factories.UserFactory(), items=items, email="buyer@example.org"
    )
    return door, order


def _type_code(page, code: str) -> None:
    page.get_by_label("Ticket code").fill(code)
    page.get_by_role("button", name="Check in", exact=True).click()


def test_two_desks_check_in_online_and_offline(browser, live_url, event):
    door, order = _free_tickets(
        event,
        ("Siobhán O'Brien", "siobhan@example.org"),
        ("Zoë Ångström", "zoe@example.org"),
        ("Ada Lovelace", "ada@example.org"),
    )
    siobhan, zoe, ada = order.tickets.order_by("pk")
    check_in(event=event, code=token_for(zoe), desk="Desk 3", by=door)  # yesterday, at another desk
    CheckIn.objects.filter(ticket=zoe).update(scanned_at=timezone.now() - dt.timedelta(days=1))

    first_context, desk_one = open_desk(browser, live_url, event, door, "Desk 1")
    second_context, desk_two = open_desk(browser, live_url, event, door, "Desk 2")
    try:
        _type_code(desk_one, token_for(siobhan))
        result = desk_one.locator("#checkin-result .checkin-result")
        expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
        expect(result).to_contain_text("Valid")
        expect(result).to_contain_text("Checked in: Siobhán O'Brien — Full conference")

        _type_code(desk_two, token_for(siobhan))
        answer = desk_two.locator("#checkin-result .checkin-result")
        expect(answer).to_have_class(re.compile(r"\bresult-already\b"))
        expect(answer).to_contain_text(re.compile(r"Already checked in at \d\d:\d\d at Desk 1"))
        assert CheckIn.objects.filter(ticket=siobhan).count() == 1

        status = desk_one.locator("#checkin-status")
        expect(status).to_contain_text("list of 3 tickets")
        first_context.set_offline(True)
        expect(status).to_contain_text("Offline")
        _type_code(desk_one, token_for(ada))
        expect(result).to_have_class(re.compile(r"\bresult-ok\b"))
        expect(result).to_contain_text("Valid (offline)")
        expect(result).to_contain_text("Checked in: Ada Lovelace — Full conference")
        expect(status).to_contain_text("1 scan waits to be sent")
        _type_code(desk_one, token_for(zoe))  # the offline list dates a check-in of another day
        expect(result).to_have_class(re.compile(r"\bresult-already\b"))
        expect(result).to_contain_text(
            re.compile(r"Already checked in at \d{1,2} [A-Z][a-z]+ \d\d:\d\d at Desk 3")
        )
        assert not CheckIn.objects.filter(ticket=ada).exists()

        first_context.set_offline(False)
        expect(status).to_contain_text("0 scans wait to be sent")
        stored = CheckIn.objects.get(ticket=ada)
        assert (stored.desk, stored.offline, stored.by) == ("Desk 1", True, door)
        assert stored.scanned_at < stored.received_at
        assert desk_one.errors + desk_two.errors == []
    finally:
        first_context.close()
        second_context.close()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "laptop"])
def test_the_desk_names_the_badges_that_cannot_print_as_written(browser, live_url, event, viewport):
    """A name in a script no font here has (Devanagari) is named above the badge links, with a link to
    that one badge, on a phone as on a laptop; a Chinese or Arabic name prints and is not named."""
    door, _order = _free_tickets(
        event,
        ("Priya प्रिया", "priya@example.org"),
        ("王小明", "wang@example.org"),
        ("سارة Haddad", "sara@example.org"),
    )
    context = browser.new_context(base_url=live_url, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        log_in(page, email=door.email, password=factories.PASSWORD)
        page.goto(f"/orga/event/{event.slug}/checkin/")

        warning = page.locator("#unprintable-badges")
        expect(warning).to_be_visible()
        expect(warning).to_contain_text("One badge holds words the badges cannot print as written")
        expect(warning).to_contain_text("(प्रिया)")
        expect(warning).not_to_contain_text("王小明")
        expect(warning).not_to_contain_text("Haddad")
        link = warning.get_by_role("link", name="Priya प्रिया")
        href = link.get_attribute("href")
        assert re.fullmatch(rf"/orga/event/{event.slug}/checkin/badges\.pdf\?ticket=\d+", href)
        box = warning.bounding_box()
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= viewport["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        badge = page.request.get(href)
        assert badge.status == 200
        assert badge.headers["content-type"] == "application/pdf"
    finally:
        context.close()
