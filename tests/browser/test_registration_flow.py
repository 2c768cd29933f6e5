"""On a phone, a visitor buys a free ticket (logging in on the way), answers a required question,
finds it under "My tickets" and downloads it; an organiser marks a pending order paid."""

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.registration.enums import OrderState, QuestionKind
from podium.registration.models import Order
from tests import factories
from tests.browser.actions import PASSWORD, field, log_in
from tests.registration import shop

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_visitor_buys_a_free_ticket_on_a_phone_and_downloads_it(page, event, tmp_path):
    shop.open_registration(event)
    free = shop.ticket_type(event, "Community", price="0.00", quota=20)
    shop.question(event, "T-shirt size", kind=QuestionKind.CHOICE, choices=["S", "M", "L"], required=True)
    visitor = User.objects.create_user(email="siobhan@example.org", name="Siobhán O'Brien", password=PASSWORD)
    page.set_viewport_size(PHONE)

    page.goto(f"/{event.slug}/tickets/")
    expect(page.get_by_role("heading", name="Community")).to_be_visible()
    expect(page.get_by_text("20 seats left")).to_be_visible()
    assert _fits_the_screen(page)
    page.get_by_label("How many").fill("1")
    page.get_by_role("button", name="Continue").click()

    # Buying needs an account: the log-in page brings the visitor back to the order form.
    page.get_by_label("E-mail").fill(visitor.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Your order")).to_be_visible()
    expect(field(page, "Attendee's name")).to_have_value("Siobhán O'Brien")
    assert _fits_the_screen(page)

    page.get_by_role("button", name="Get 1 ticket").click()
    expect(page.get_by_text("This field is required.")).to_be_visible()
    assert Order.objects.count() == 0
    field(page, "T-shirt size").select_option("M")
    page.get_by_role("button", name="Get 1 ticket").click()

    order = Order.objects.get()
    expect(page.get_by_role("heading", name=f"Order {order.code}")).to_be_visible()
    expect(page.get_by_text("Thank you!")).to_be_visible()
    assert (order.state, order.tickets.get().answers.get().value) == (OrderState.PAID, "M")
    assert _fits_the_screen(page)

    page.get_by_role("link", name="My tickets", exact=True).click()
    expect(page.get_by_role("heading", name="My tickets")).to_be_visible()
    expect(page.get_by_text("Community: Siobhán O'Brien")).to_be_visible()
    page.get_by_role("link", name=f"Order {order.code}").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download ticket (PDF)").click()
    download = download_info.value
    ticket = order.tickets.get()
    assert download.suggested_filename == f"ticket-{order.code}-{ticket.pk}.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
    assert free.pk == ticket.ticket_type_id


def test_organiser_marks_a_pending_order_paid_on_a_phone(page, event):
    shop.open_registration(event)
    standard = shop.ticket_type(event, "Standard", price="100.00", quota=20)
    order = shop.buy(event, factories.UserFactory(name="Ada Buyer"), standard)
    organiser = factories.team_member(event, can_edit_event=True)
    organiser.set_password(PASSWORD)
    organiser.save()
    page.set_viewport_size(PHONE)
    log_in(page, email=organiser.email)

    page.goto(f"/orga/event/{event.slug}/orders/")
    page.get_by_role("link", name=order.code).click()
    expect(page.get_by_role("heading", name=f"Order {order.code}")).to_be_visible()
    page.get_by_role("button", name="Mark paid").click()
    expect(page.get_by_text("Mark paid only when the money has arrived")).to_be_visible()
    page.get_by_role("button", name="Mark paid").click()

    expect(page.get_by_text(f"Order {order.code} was marked paid")).to_be_visible()
    order.refresh_from_db()
    assert order.state == OrderState.PAID
    assert _fits_the_screen(page)
