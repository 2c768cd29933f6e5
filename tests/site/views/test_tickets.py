"""The ticket shop, the order form, a visitor's orders and tickets, and waiting-list offers."""

import datetime as dt
import html
import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.registration import services, waiting_list
from podium.registration.enums import Group, OrderState, QuestionKind, Visibility, WaitingState
from podium.registration.mails import offer_link
from podium.registration.models import Answer, Order, Ticket
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


def url(name, event, **kwargs) -> str:
    return reverse(f"site:{name}", kwargs={"event": event.slug, **kwargs})


def order_url(event, quantities: dict, voucher: str = "") -> str:
    query = "&".join(f"qty-{ticket_type.pk}={count}" for ticket_type, count in quantities.items())
    return url("ticket_order", event) + "?" + query + (f"&voucher={voucher}" if voucher else "")


@pytest.fixture
def registration(event):
    return shop.open_registration(event)


@pytest.fixture
def standard(event, registration):
    return shop.ticket_type(event, "Standard", price="100.00", quota=10)


@pytest.fixture
def free(event, registration):
    return shop.ticket_type(event, "Community", price="0.00", position=1)


@pytest.fixture
def buyer(client, db):
    user = factories.UserFactory(name="Siobhán O'Brien", email="siobhan@example.org")
    client.force_login(user)
    return user


def _form(quantity: int, **fields) -> dict:
    """The order form's fields for `quantity` tickets, attendee n named "Attendee n"."""
    data = {"idempotency_key": "key-1", "email": "siobhan@example.org"}
    for n in range(1, quantity + 1):
        data |= {
            f"t{n}-name": f"Attendee {n}",
            f"t{n}-email": f"attendee{n}@example.org",
            f"t{n}-company": "",
        }
    return data | fields


# --- The shop --------------------------------------------------------------------------------------


def test_anyone_sees_the_public_types_with_prices_seats_and_sale_window(client, event, standard, free):
    later = shop.ticket_type(event, "Late bird", sale_start=timezone.now() + dt.timedelta(days=3), position=2)
    shop.ticket_type(event, "Hidden", visibility=Visibility.VOUCHER)
    shop.ticket_type(event, "Crew", visibility=Visibility.GROUP, group=Group.TEAM)
    shop.ticket_type(event, "Retired", active=False)

    page = client.get(url("tickets", event)).content.decode()

    assert [
        name for name in ("Standard", "Community", "Late bird", "Hidden", "Crew", "Retired") if name in page
    ] == [
        "Standard",
        "Community",
        "Late bird",
    ]
    assert "100.00 EUR" in page
    assert "<strong>Free</strong>" in page
    assert "10 seats left" in page
    local = timezone.localtime(later.sale_start, event.tz)
    assert f"On sale from {local:%A} {local.day} {local:%B %Y, %H:%M}." in page
    assert f'name="qty-{standard.pk}"' in page
    assert f'name="qty-{later.pk}"' not in page
    assert "You log in (or sign up) before you fill in the attendees." in page


def test_a_sold_out_type_offers_the_waiting_list_to_logged_in_visitors(client, event, registration):
    dinner = shop.ticket_type(event, "Dinner", quota=1)
    shop.buy(event, factories.UserFactory(), dinner)

    anonymous = client.get(url("tickets", event)).content.decode()
    client.force_login(factories.UserFactory())
    logged_in = client.get(url("tickets", event)).content.decode()

    assert "Sold out" in anonymous
    assert "Log in to join the waiting list" in anonymous
    assert "Join the waiting list</button>" in logged_in
    assert f'name="qty-{dinner.pk}"' not in logged_in


def test_joining_the_waiting_list_from_the_shop(client, event, registration, buyer):
    dinner = shop.ticket_type(event, "Dinner", quota=1)
    shop.buy(event, factories.UserFactory(), dinner)

    response = client.post(url("waiting_list_join", event), {"ticket_type": dinner.pk}, follow=True)

    assert "You are on the waiting list for “Dinner”." in response.content.decode()
    assert "On the waiting list" in response.content.decode()
    assert list(dinner.waiting_list.values_list("user", "state")) == [(buyer.pk, WaitingState.WAITING)]


def test_closed_registration_says_so_and_sells_nothing(client, event, standard, buyer):
    shop.open_registration(event, is_open=False)

    page = client.get(url("tickets", event)).content.decode()
    response = client.get(order_url(event, {standard: 1}))

    assert f"Registration for {event.name} is closed." in page
    assert 'name="qty-' not in page
    assert response.status_code == 302
    assert response["Location"] == url("tickets", event)


def test_buying_needs_a_log_in_that_comes_back_to_the_order(client, event, standard):
    target = order_url(event, {standard: 2})

    response = client.get(target)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={quote(target, safe='/')}"


def test_a_voucher_unlocks_its_hidden_type_and_shows_its_price(client, event, standard):
    hidden = shop.ticket_type(event, "Friends", price="80.00", visibility=Visibility.VOUCHER)
    shop.voucher(event, "FRIENDS", ticket_type=hidden, discount_kind="percent", discount_value="50")

    plain = client.get(url("tickets", event)).content.decode()
    unlocked = client.get(url("tickets", event) + "?voucher=friends").content.decode()
    wrong = client.get(url("tickets", event) + "?voucher=NOPE").content.decode()

    assert "Friends" not in plain
    assert "Friends" in unlocked
    assert "40.00 EUR" in unlocked
    assert "80.00 EUR" in unlocked
    assert 'name="voucher" value="FRIENDS"' in unlocked
    assert "There is no voucher “NOPE”." in wrong
    assert "Friends" not in wrong.replace("There is no voucher", "")


def test_a_voucher_order_is_placed_with_the_voucher(client, event, buyer, registration):
    hidden = shop.ticket_type(event, "Friends", price="80.00", visibility=Visibility.VOUCHER)
    shop.voucher(event, "FRIENDS", ticket_type=hidden)

    response = client.post(order_url(event, {hidden: 1}, voucher="FRIENDS"), _form(1))

    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.voucher.code, order.total) == ("FRIENDS", 80)


def test_a_group_type_is_hidden_from_outsiders_and_shown_to_its_members(client, event, registration):
    shop.ticket_type(event, "Speaker pass", price="0", visibility=Visibility.GROUP, group=Group.SPEAKERS)
    speaker = factories.UserFactory()
    factories.ProposalFactory(event=event, speakers=[speaker], state="confirmed")

    client.force_login(factories.UserFactory())
    outsider = client.get(url("tickets", event)).content.decode()
    client.force_login(speaker)
    member = client.get(url("tickets", event)).content.decode()

    assert "Speaker pass" not in outsider
    assert "Speaker pass" in member


def test_an_outsider_cannot_order_a_group_type_by_its_id(client, event, registration, buyer):
    crew = shop.ticket_type(event, "Crew", visibility=Visibility.GROUP, group=Group.TEAM)

    response = client.get(order_url(event, {crew: 1}), follow=True)

    assert "One of these ticket types is not on sale to you." in response.content.decode()
    assert Order.objects.count() == 0


# --- The order form --------------------------------------------------------------------------------


def test_the_order_form_has_one_block_per_ticket_the_first_prefilled_with_the_buyer(
    client, event, standard, buyer
):
    diet = shop.question(event, 'Q&A "panic"', required=True)

    page = client.get(order_url(event, {standard: 2})).content.decode()

    assert "Ticket 1: Standard" in page
    assert "Ticket 2: Standard" in page
    assert 'name="t1-name" value="Siobhán O&#x27;Brien"' in page
    assert 'name="t1-email" value="siobhan@example.org"' in page
    assert 'name="t2-name"' in page
    assert 'name="t2-name" value' not in page
    assert f'<label for="id_t1-q{diet.pk}" class="required">Q&amp;A &quot;panic&quot;' in page
    assert 'Q&A "panic"' not in page
    assert "200.00 EUR" in page
    assert 'name="idempotency_key"' in page


def test_bad_input_is_refused_next_to_the_fields_and_everything_typed_is_kept(client, event, standard, buyer):
    size = shop.question(event, "Size", kind=QuestionKind.CHOICE, choices=["S", "M"], required=True)
    data = _form(2, **{"t2-email": "not an address", "t1-company": "Acme & Co", f"t1-q{size.pk}": "M"})

    response = client.post(order_url(event, {standard: 2}), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert Order.objects.count() == 0
    assert "Enter a valid email address." in page
    assert page.count("This field is required.") == 1  # ticket 2's size
    assert 'value="Acme &amp; Co"' in page
    assert 'value="not an address"' in page
    assert '<option value="M" selected>M</option>' in page
    assert 'name="idempotency_key" value="key-1"' in page


def test_a_free_order_is_paid_at_once_with_answers_and_lands_on_the_order(client, event, free, buyer):
    consent = shop.question(event, "I accept the code of conduct", kind=QuestionKind.BOOLEAN, required=True)

    response = client.post(order_url(event, {free: 1}), _form(1, **{f"t1-q{consent.pk}": "on"}))

    order = Order.objects.get()
    assert response["Location"] == url("my_order", event, code=order.code)
    assert (order.state, order.total, order.buyer) == (OrderState.PAID, 0, buyer)
    assert list(Answer.objects.values_list("question__label", "value")) == [
        ("I accept the code of conduct", "yes")
    ]
    page = client.get(response["Location"]).content.decode()
    assert f"Thank you! Your order {order.code} is complete" in page
    assert "Download ticket (PDF)" in page


def test_a_required_yes_no_question_left_unticked_is_refused(client, event, free, buyer):
    consent = shop.question(event, "I accept the code of conduct", kind=QuestionKind.BOOLEAN, required=True)

    response = client.post(order_url(event, {free: 1}), _form(1))

    assert response.status_code == 200
    assert Order.objects.count() == 0
    assert f'name="t1-q{consent.pk}"' in response.content.decode()
    assert "This field is required." in response.content.decode()


def test_a_double_submit_makes_one_order(client, event, standard, buyer):
    first = client.post(order_url(event, {standard: 2}), _form(2))
    second = client.post(order_url(event, {standard: 2}), _form(2))

    order = Order.objects.get()
    assert first["Location"] == second["Location"] == url("my_order", event, code=order.code)
    assert order.tickets.count() == 2
    standard.refresh_from_db()
    assert standard.seats_taken == 2


def test_sold_out_while_filling_in_books_nothing_and_keeps_the_form(client, event, registration, buyer):
    dinner = shop.ticket_type(event, "Dinner", quota=2)
    form_page = client.get(order_url(event, {dinner: 2}))
    shop.buy(event, factories.UserFactory(), dinner)  # someone else takes a seat meanwhile

    response = client.post(order_url(event, {dinner: 2}), _form(2, **{"t2-name": "Zoë Keeps"}))

    page = response.content.decode()
    assert form_page.status_code == 200
    assert response.status_code == 200
    assert "Only 1 “Dinner” ticket left; you asked for 2." in page
    assert 'value="Zoë Keeps"' in page
    assert Order.objects.filter(buyer=buyer).count() == 0
    shop.assert_seats_add_up(event)


def test_more_tickets_than_an_order_allows_go_back_to_the_shop(client, event, standard, buyer):
    shop.open_registration(event, max_tickets_per_order=2)

    response = client.get(order_url(event, {standard: 3}), follow=True)

    assert "An order has at most 2 tickets." in response.content.decode()


# --- The visitor's orders --------------------------------------------------------------------------


def test_my_orders_lists_the_visitors_orders_only_and_the_nav_links_them(client, event, standard, buyer):
    mine = shop.buy(event, buyer, standard, 2)
    theirs = shop.buy(event, factories.UserFactory(), standard)

    page = client.get(url("my_orders", event)).content.decode()

    assert f"Order {mine.code}" in page
    assert theirs.code not in page
    assert "Pending payment" in page
    assert "200.00 EUR" in page
    assert f'<a href="{url("my_orders", event)}" aria-current="page">My tickets</a>' in page


def test_the_nav_links_my_tickets_only_when_registration_is_open_or_one_has_orders(client, event, buyer):
    schedule = url("schedule", event)

    closed = client.get(schedule).content.decode()
    shop.open_registration(event)
    opened = client.get(schedule).content.decode()
    client.logout()
    anonymous = client.get(schedule).content.decode()

    visible = re.compile(r'<li><a href="[^"]+"[^>]*>My tickets</a>')
    assert not visible.search(closed)
    assert visible.search(opened)
    # An anonymous page (the same for everyone) only holds the hidden item its script may show.
    assert not visible.search(anonymous)
    assert "<li data-my-tickets hidden>" in anonymous


def test_an_order_page_is_only_for_its_buyer(client, event, standard, buyer):
    order = shop.buy(event, buyer, standard)

    own = client.get(url("my_order", event, code=order.code))
    client.force_login(factories.UserFactory())
    other = client.get(url("my_order", event, code=order.code))
    client.force_login(factories.team_member(event, can_edit_event=True))
    organiser = client.get(url("my_order", event, code=order.code))
    client.logout()
    anonymous = client.get(url("my_order", event, code=order.code))

    assert own.status_code == 200
    assert (other.status_code, organiser.status_code, anonymous.status_code) == (404, 404, 302)


def test_a_pending_order_shows_how_to_pay_and_no_download(client, event, standard, buyer):
    order = shop.buy(event, buyer, standard)

    page = client.get(url("my_order", event, code=order.code)).content.decode()

    deadline = timezone.localtime(order.expires_at, event.tz)
    assert "How to pay" in page
    assert f"{deadline.day} {deadline:%B %Y, %H:%M}" in page
    assert "Download ticket (PDF)" not in page
    assert "Cancel this order" in page


def test_names_with_quotes_and_accents_are_shown_escaped(client, event, standard, buyer):
    question = shop.question(event, 'Q&A "panic"')
    order = services.place_order(
        event=event,
        buyer=buyer,
        items=[(standard, "Siobhán O'Brien", "siobhan@example.org", {question: '<b>"yes"</b>'})],
        email=buyer.email,
    )

    page = client.get(url("my_order", event, code=order.code)).content.decode()

    assert '<h3 dir="auto">Siobhán O&#x27;Brien</h3>' in page
    assert "<dt>Q&amp;A &quot;panic&quot;</dt><dd>&lt;b&gt;&quot;yes&quot;&lt;/b&gt;</dd>" in page
    assert "<b>" not in page


def test_the_pdf_is_for_the_buyer_of_a_paid_order_only(client, event, standard, buyer):
    order = shop.buy(event, buyer, standard)
    ticket = order.tickets.get()
    pdf_url = url("ticket_pdf", event, code=order.code, pk=ticket.pk)

    unpaid = client.get(pdf_url)
    services.mark_paid(order=order, by=None)
    paid = client.get(pdf_url)
    client.force_login(factories.UserFactory())
    stranger = client.get(pdf_url)

    assert unpaid.status_code == 404
    assert (paid.status_code, paid["Content-Type"]) == (200, "application/pdf")
    assert paid.content.startswith(b"%PDF")
    assert paid["Content-Disposition"] == f'attachment; filename="ticket-{order.code}-{ticket.pk}.pdf"'
    assert stranger.status_code == 404


def test_a_ticket_of_another_order_is_not_served_through_ones_own(client, event, free, buyer):
    mine = shop.buy(event, buyer, free)
    theirs = shop.buy(event, factories.UserFactory(), free)

    response = client.get(url("ticket_pdf", event, code=mine.code, pk=theirs.tickets.get().pk))

    assert response.status_code == 404


def test_the_buyer_changes_an_attendee_and_the_ticket_is_issued_again(client, event, free, buyer):
    order = shop.buy(event, buyer, free)
    ticket = order.tickets.get()
    old_secret = ticket.secret

    response = client.post(
        url("my_order", event, code=order.code),
        {
            "ticket": ticket.pk,
            f"ticket-{ticket.pk}-name": "Zoë Müller",
            f"ticket-{ticket.pk}-email": "zoe@example.org",
            f"ticket-{ticket.pk}-company": "",
            f"ticket-{ticket.pk}-version": order.version,
        },
    )

    ticket.refresh_from_db()
    assert response.status_code == 302
    assert (ticket.attendee_name, ticket.attendee_email) == ("Zoë Müller", "zoe@example.org")
    assert ticket.secret != old_secret


def test_changing_an_attendee_after_the_cut_off_is_refused(client, event, free, buyer):
    order = shop.buy(event, buyer, free)
    ticket = order.tickets.get()
    shop.open_registration(event, name_change_until=timezone.now() - dt.timedelta(minutes=1))

    page = client.get(url("my_order", event, code=order.code)).content.decode()
    response = client.post(
        url("my_order", event, code=order.code),
        {
            "ticket": ticket.pk,
            f"ticket-{ticket.pk}-name": "Someone Else",
            f"ticket-{ticket.pk}-email": "else@example.org",
            f"ticket-{ticket.pk}-version": order.version,
        },
    )

    assert "Change attendee" not in page
    assert "Names can no longer be changed; please write to the organisers." in page
    assert response.status_code == 400
    assert "Names can no longer be changed" in response.content.decode()
    assert Ticket.objects.get().attendee_name == "Attendee 1"


def test_a_stale_attendee_change_is_refused(client, event, free, buyer):
    order = shop.buy(event, buyer, free)
    ticket = order.tickets.get()
    services.change_attendee(ticket=ticket, name="First Change", email="first@example.org", by=buyer)

    response = client.post(
        url("my_order", event, code=order.code),
        {
            "ticket": ticket.pk,
            f"ticket-{ticket.pk}-name": "Second Change",
            f"ticket-{ticket.pk}-email": "second@example.org",
            f"ticket-{ticket.pk}-version": order.version,
        },
    )

    assert "Someone else changed this order" in response.content.decode()
    assert Ticket.objects.get().attendee_name == "First Change"


def test_the_buyer_cancels_a_pending_order_after_a_confirm_step(client, event, standard, buyer):
    order = shop.buy(event, buyer, standard, 2)

    confirm = client.get(url("my_order_cancel", event, code=order.code))
    response = client.post(url("my_order_cancel", event, code=order.code), {"version": order.version})

    order.refresh_from_db()
    standard.refresh_from_db()
    assert "Yes, cancel the order</button>" in confirm.content.decode()
    assert response["Location"] == url("my_order", event, code=order.code)
    assert (order.state, standard.seats_taken) == (OrderState.CANCELLED, 0)


def test_a_paid_order_without_a_cancellation_period_is_not_cancelled_by_the_buyer(
    client, event, standard, buyer
):
    order = shop.buy(event, buyer, standard)
    services.mark_paid(order=order, by=None)

    page = client.get(url("my_order", event, code=order.code)).content.decode()
    confirm = client.get(url("my_order_cancel", event, code=order.code)).content.decode()
    response = client.post(url("my_order_cancel", event, code=order.code), {"version": 2}, follow=True)

    refusal = "Paid orders are cancelled by the organisers; please write to them."
    assert "Cancel this order" not in page
    assert refusal in page
    assert refusal in confirm
    assert "Yes, cancel" not in confirm
    assert refusal in response.content.decode()
    assert Order.objects.get().state == OrderState.PAID


def test_a_paid_order_can_be_cancelled_within_the_cancellation_period(client, event, standard, buyer):
    shop.open_registration(event, cancellation_until=timezone.now() + dt.timedelta(days=1))
    order = services.mark_paid(order=shop.buy(event, buyer, standard), by=None)

    client.post(url("my_order_cancel", event, code=order.code), {"version": order.version})

    assert Order.objects.get().state == OrderState.CANCELLED


# --- Waiting-list offers ---------------------------------------------------------------------------


@pytest.fixture
def offered(event, registration, buyer):
    """The buyer was offered the seat of a sold-out dinner."""
    dinner = shop.ticket_type(event, "Dinner", price="40.00", quota=1)
    first = shop.buy(event, factories.UserFactory(), dinner)
    waiting_list.join_waiting_list(ticket_type=dinner, user=buyer)
    services.cancel_order(order=first, by=None)
    return dinner.waiting_list.get(user=buyer)


def test_the_offer_page_shows_the_held_seat_and_taking_it_places_the_order(client, event, offered, buyer):
    page = client.get(url("ticket_offer", event, token=offered.token)).content.decode()
    response = client.post(
        url("ticket_offer", event, token=offered.token),
        {"email": buyer.email, "attendee_name": "Siobhán O'Brien", "attendee_email": buyer.email},
    )

    order = Order.objects.get(buyer=buyer)
    expiry = timezone.localtime(offered.offer_expires_at, event.tz)
    assert "A seat of “Dinner” is yours to take" in page
    assert f"{expiry.day} {expiry:%B %Y, %H:%M}" in page
    assert response["Location"] == url("my_order", event, code=order.code)
    assert (order.total, order.tickets.get().attendee_name) == (40, "Siobhán O'Brien")
    again = client.get(url("ticket_offer", event, token=offered.token))
    assert again["Location"] == url("my_order", event, code=order.code)


def test_an_expired_offer_says_so_and_an_unknown_one_is_404(client, event, offered):
    type(offered).objects.filter(pk=offered.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )

    expired = client.get(url("ticket_offer", event, token=offered.token))
    unknown = client.get(url("ticket_offer", event, token="not-a-token"))

    assert expired.status_code == 410
    assert "This offer has expired" in expired.content.decode()
    assert unknown.status_code == 404


def test_an_offer_is_refused_to_someone_else(client, event, offered):
    client.force_login(factories.UserFactory())

    response = client.get(url("ticket_offer", event, token=offered.token))

    assert response.status_code == 403
    assert "This offer was made to someone else." in response.content.decode()


def test_the_offer_mail_links_to_the_offer_page(event, offered):
    assert offer_link(offered) == f"https://podium.test{url('ticket_offer', event, token=offered.token)}"


def test_order_pages_do_not_exist_for_a_non_public_event(client, event, standard, buyer):
    order = shop.buy(event, buyer, standard)
    event.is_public = False
    event.save()

    answers = [
        client.get(url(name, event, **kwargs)).status_code
        for name, kwargs in (("tickets", {}), ("my_orders", {}), ("my_order", {"code": order.code}))
    ]

    assert answers == [404, 404, 404]


def test_a_ticket_type_name_with_markup_is_shown_escaped(client, event, standard):
    standard.name = "<script>alert(1)</script>"
    standard.save()

    page = client.get(url("tickets", event)).content.decode()

    assert html.escape("<script>alert(1)</script>") in page
    assert "<script>alert(1)</script>" not in page
