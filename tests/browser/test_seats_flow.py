"""On a phone, an attendee with a ticket books the last seat of a tutorial, sees the tutorial full at once,
and finds the seat in their agenda with the room."""

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.attendance import seats
from podium.attendance.models import SeatBooking, SeatState
from tests import factories
from tests.browser.actions import PASSWORD, log_in
from tests.seating import give_ticket, sell_tickets, tutorials

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_attendee_books_the_last_seat_on_a_phone_and_sees_it_in_the_agenda(page, event):
    conf = tutorials(event, seats=2)
    conference = sell_tickets(event)
    early = factories.UserFactory()
    give_ticket(event, early, conference)
    seats.book_seat(proposal=conf["pandas"], by=early)
    attendee = User.objects.create_user(email="ines@example.org", name="Inès Attendee", password=PASSWORD)
    give_ticket(event, attendee, conference)
    page.set_viewport_size(PHONE)
    log_in(page, email=attendee.email)

    page.goto(f"/{event.slug}/talk/{conf['pandas'].code}/")
    expect(page.get_by_text("1 seat left")).to_be_visible()
    assert _fits_the_screen(page)
    page.get_by_role("button", name="Book a seat").click()

    expect(
        page.get_by_text("You have a seat at “Pandas from scratch”. It is in your agenda.")
    ).to_be_visible()
    expect(page.get_by_text("Full – waiting list")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel my seat")).to_be_visible()
    assert SeatBooking.objects.get(user=attendee).state == SeatState.BOOKED
    assert _fits_the_screen(page)

    page.get_by_role("link", name="your agenda").click()
    expect(page.get_by_role("heading", name="My agenda")).to_be_visible()
    card = page.locator(f'[data-session="{conf["pandas"].code}"]')
    expect(card.get_by_text("Pandas from scratch")).to_be_visible()
    expect(card.get_by_text("Seat booked")).to_be_visible()
    expect(card.locator(".seat-booked")).to_contain_text("Room 101")
    assert _fits_the_screen(page)
