"""Order use cases: placing (every refusal), paying, cancelling, refunding, expiring, attendees, settings."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.mail.models import OutboxMail
from podium.registration import services
from podium.registration.enums import Group, OrderOrigin, OrderState, QuestionKind, Visibility
from podium.registration.models import Answer, Order, Ticket, TicketType
from podium.registration.seats import SoldOut
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


def _taken(ticket_type) -> int:
    return TicketType.objects.get(pk=ticket_type.pk).seats_taken


# --- Placing an order ------------------------------------------------------------------------------


def test_place_order_holds_seats_and_waits_for_payment(event, standard, buyer):
    before = timezone.now()

    order = shop.buy(event, buyer, standard, 2)

    assert (order.state, order.total, order.origin, order.buyer) == (
        OrderState.PENDING,
        Decimal("200.00"),
        OrderOrigin.PURCHASE,
        buyer,
    )
    assert len(order.code) == 8
    assert set(order.code) <= set("ACDEFGHJKMNPQRTUVWXY34679")
    assert before + dt.timedelta(hours=72) <= order.expires_at <= timezone.now() + dt.timedelta(hours=72)
    assert [(t.attendee_name, t.price) for t in order.tickets.all()] == [
        ("Attendee 1", Decimal("100.00")),
        ("Attendee 2", Decimal("100.00")),
    ]
    assert _taken(standard) == 2
    mail = OutboxMail.objects.get(template="order_pending")
    assert (mail.to, mail.attachments) == ("siobhan@example.org", [])
    assert AuditEntry.objects.filter(action="order.placed", object_id=str(order.pk)).count() == 1
    shop.assert_seats_add_up(event)


def test_a_free_order_is_paid_at_once_with_its_tickets_attached(event, registration, buyer):
    free = shop.ticket_type(event, "Community", price="0")

    order = shop.buy(event, buyer, free, 2)

    assert (order.state, order.expires_at, order.total) == (OrderState.PAID, None, Decimal("0"))
    assert order.paid_at is not None
    mail = OutboxMail.objects.get(template="order_paid")
    assert [item["content_type"] for item in mail.attachments] == ["application/pdf", "application/pdf"]


def test_place_order_emits_placed_and_for_a_free_order_paid(event, registration, buyer, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    WebhookEndpoint.objects.create(
        event=event,
        url="https://hooks.example.org/in",
        kinds=["order.placed", "order.paid", "order.cancelled"],
    )
    free = shop.ticket_type(event, "Community", price="0")

    shop.buy(event, buyer, free)

    assert sorted(WebhookDelivery.objects.values_list("kind", flat=True)) == ["order.paid", "order.placed"]
    body = WebhookDelivery.objects.get(kind="order.placed").body
    assert '"tickets":[{"ticket_type":"Community","price":"0.00"}]' in body
    assert "Attendee 1" not in body


def test_same_idempotency_key_gives_one_order(event, standard, buyer):
    first = shop.buy(event, buyer, standard, idempotency_key="k-1")
    second = shop.buy(event, buyer, standard, idempotency_key="k-1")

    assert first.pk == second.pk
    assert (Order.objects.count(), _taken(standard)) == (1, 1)


def test_names_and_answers_are_stored_as_typed(event, standard, buyer):
    talk = shop.question(event, 'Q&A "panic"', kind=QuestionKind.TEXT)
    items = [(standard, "  Siobhán   O'Brien ", "Siobhan@Example.org", {talk: 'Don\'t "panic" <now>'})]

    order = services.place_order(event=event, buyer=buyer, items=items, email=buyer.email)

    ticket = order.tickets.get()
    assert (ticket.attendee_name, ticket.attendee_email) == ("Siobhán O'Brien", "siobhan@example.org")
    assert Answer.objects.get(ticket=ticket).value == 'Don\'t "panic" <now>'


def test_order_wide_answers_apply_to_the_tickets_whose_type_asks(event, standard, buyer, registration):
    other = shop.ticket_type(event, "Workshop", price="10")
    shirt = shop.question(event, "Shirt", kind=QuestionKind.CHOICE, choices=["S", "M"], types=[standard])

    order = services.place_order(
        event=event,
        buyer=buyer,
        items=[(standard, "A", "a@example.org"), (other, "B", "b@example.org")],
        email=buyer.email,
        answers={shirt.pk: "M"},
    )

    assert list(Answer.objects.filter(ticket__order=order).values_list("question__label", "value")) == [
        ("Shirt", "M")
    ]


def test_refused_when_registration_is_closed(event, standard, buyer, registration):
    registration.is_open = False
    registration.save()

    with pytest.raises(NotAllowed, match="not open"):
        shop.buy(event, buyer, standard)
    assert (Order.objects.count(), _taken(standard)) == (0, 0)


def test_refused_for_an_anonymous_buyer(event, standard):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotAllowed, match="Log in"):
        services.place_order(
            event=event, buyer=AnonymousUser(), items=shop.items(standard), email="a@example.org"
        )


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"sale_start": dt.timedelta(days=1)}, "on sale from"),
        ({"sale_end": dt.timedelta(days=-1)}, "has ended"),
        ({"sale_start": dt.timedelta(days=-2), "sale_end": dt.timedelta(seconds=-1)}, "has ended"),
    ],
)
def test_refused_outside_the_sale_window(event, registration, buyer, window, message):
    now = timezone.now()
    closed = shop.ticket_type(event, "Early bird", **{name: now + delta for name, delta in window.items()})

    with pytest.raises(NotAllowed, match=message):
        shop.buy(event, buyer, closed)
    assert _taken(closed) == 0


def test_refused_for_an_inactive_type(event, registration, buyer):
    retired = shop.ticket_type(event, "Retired", active=False)

    with pytest.raises(NotAllowed, match="not on sale"):
        shop.buy(event, buyer, retired)


def test_refused_for_another_events_ticket_type(event, registration, buyer):
    other = factories.EventFactory()
    shop.open_registration(other)
    foreign = shop.ticket_type(other, "Standard")

    with pytest.raises(ServiceError, match="ticket type of this event"):
        shop.buy(event, buyer, foreign)
    assert _taken(foreign) == 0


def test_voucher_type_needs_its_voucher(event, registration, buyer):
    hidden = shop.ticket_type(event, "Sponsor", visibility=Visibility.VOUCHER, price="0")
    shop.voucher(event, "SPONSOR-ACME", ticket_type=hidden, max_usages=3)
    shop.voucher(event, "OTHER")

    with pytest.raises(NotAllowed, match="need a voucher"):
        shop.buy(event, buyer, hidden)
    with pytest.raises(NotAllowed, match="need a voucher"):
        shop.buy(event, buyer, hidden, voucher_code="OTHER")
    order = shop.buy(event, buyer, hidden, voucher_code="sponsor-acme")

    assert order.voucher.code == "SPONSOR-ACME"
    shop.assert_seats_add_up(event)


@pytest.mark.parametrize(
    ("group", "message"),
    [
        (Group.SPEAKERS, "“Crew” tickets are only for speakers."),
        (Group.TEAM, "“Crew” tickets are only for the event's team."),
        (Group.VOLUNTEERS, "“Crew” tickets are issued by the organisers."),
    ],
)
def test_group_type_refused_to_a_non_member(event, registration, buyer, group, message):
    members_only = shop.ticket_type(event, "Crew", visibility=Visibility.GROUP, group=group, price="0")
    factories.ProposalFactory(event=event, speakers=[buyer], state="submitted")  # not accepted: no speaker

    with pytest.raises(NotAllowed) as caught:
        shop.buy(event, buyer, members_only)
    assert caught.value.message == message
    assert (Order.objects.count(), _taken(members_only)) == (0, 0)


def test_group_types_sold_to_confirmed_speakers_and_team_members(event, registration, buyer):
    speakers = shop.ticket_type(
        event, "Speaker", visibility=Visibility.GROUP, group=Group.SPEAKERS, price="0"
    )
    team = shop.ticket_type(event, "Team", visibility=Visibility.GROUP, group=Group.TEAM, price="0")
    factories.ProposalFactory(event=event, speakers=[buyer], state="confirmed")
    member = factories.team_member(event, can_review=True)

    assert shop.buy(event, buyer, speakers).state == OrderState.PAID
    assert shop.buy(event, member, team).state == OrderState.PAID
    with pytest.raises(NotAllowed):
        shop.buy(event, member, speakers)


def test_refused_above_the_tickets_per_order(event, standard, buyer, registration):
    registration.max_tickets_per_order = 2
    registration.save()

    with pytest.raises(ServiceError, match="at most 2 tickets"):
        shop.buy(event, buyer, standard, 3)


@pytest.mark.parametrize(
    ("kind", "extra", "value", "message"),
    [
        (QuestionKind.TEXT, {"required": True}, "   ", "needs an answer"),
        (
            QuestionKind.CHOICE,
            {"choices": ["Vegan", "Omnivore"]},
            "Carnivore",
            "choose one of Vegan, Omnivore",
        ),
        (QuestionKind.BOOLEAN, {"required": True}, "no", "must be answered yes"),
        (QuestionKind.BOOLEAN, {}, "perhaps", "answer yes or no"),
    ],
)
def test_wrong_answers_are_refused(event, standard, buyer, kind, extra, value, message):
    asked = shop.question(event, "Food", kind=kind, **extra)

    with pytest.raises(ServiceError, match=message):
        services.place_order(
            event=event,
            buyer=buyer,
            items=[(standard, "A", "a@example.org", {asked.pk: value})],
            email=buyer.email,
        )
    assert _taken(standard) == 0


def test_a_required_question_left_out_is_refused(event, standard, buyer):
    shop.question(event, "Code of conduct", kind=QuestionKind.BOOLEAN, required=True)

    with pytest.raises(ServiceError, match="must be answered yes"):
        shop.buy(event, buyer, standard)


def test_a_question_of_another_type_is_refused(event, standard, buyer):
    workshop = shop.ticket_type(event, "Workshop")
    laptop = shop.question(event, "Laptop", types=[workshop])

    with pytest.raises(ServiceError, match="not asked for “Standard”"):
        services.place_order(
            event=event,
            buyer=buyer,
            items=[(standard, "A", "a@example.org", {laptop: "yes"})],
            email=buyer.email,
        )


@pytest.mark.parametrize(("name", "email"), [("", "a@example.org"), ("Ann", "not an address"), ("Ann", "")])
def test_attendees_without_name_or_address_are_refused(event, standard, buyer, name, email):
    with pytest.raises(ServiceError):
        services.place_order(event=event, buyer=buyer, items=[(standard, name, email)], email=buyer.email)


def test_sold_out_type_reserves_nothing_of_the_others(event, registration, buyer):
    plenty = shop.ticket_type(event, "Conference", quota=100)
    scarce = shop.ticket_type(event, "Dinner", quota=1)
    items = [(plenty, "A", "a@example.org"), (scarce, "A", "a@example.org"), (scarce, "B", "b@example.org")]

    with pytest.raises(SoldOut, match="Only 1 “Dinner” ticket left; you asked for 2"):
        services.place_order(event=event, buyer=buyer, items=items, email=buyer.email)

    assert (_taken(plenty), _taken(scarce), Order.objects.count()) == (0, 0, 0)


def test_the_last_seat_then_sold_out(event, registration, buyer):
    scarce = shop.ticket_type(event, "Dinner", quota=1)
    shop.buy(event, buyer, scarce)

    with pytest.raises(SoldOut, match="“Dinner” is sold out"):
        shop.buy(event, buyer, scarce)
    assert _taken(scarce) == 1


@pytest.mark.parametrize(
    ("kind", "value", "limited", "totals"),
    [
        ("percent", "25", False, ["75.00", "7.50"]),
        ("fixed", "30", False, ["70.00", "0.00"]),
        ("percent", "100", True, ["0.00", "10.00"]),
    ],
)
def test_voucher_discounts(event, standard, buyer, kind, value, limited, totals):
    workshop = shop.ticket_type(event, "Workshop", price="10")
    shop.voucher(
        event,
        "SAVE",
        discount_kind=kind,
        discount_value=Decimal(value),
        ticket_type=standard if limited else None,
    )
    items = [(standard, "A", "a@example.org"), (workshop, "B", "b@example.org")]

    order = services.place_order(
        event=event, buyer=buyer, items=items, email=buyer.email, voucher_code="save"
    )

    assert [str(t.price) for t in order.tickets.order_by("pk")] == totals
    assert order.total == sum(Decimal(total) for total in totals)


def test_a_voucher_counts_once_per_order_and_is_used_up(event, standard, buyer):
    voucher = shop.voucher(event, "TWICE", max_usages=2)

    shop.buy(event, buyer, standard, 3, voucher_code="TWICE")
    shop.buy(event, buyer, standard, 1, voucher_code="TWICE")
    with pytest.raises(ServiceError, match="used up"):
        shop.buy(event, buyer, standard, 1, voucher_code="TWICE")

    voucher.refresh_from_db()
    assert voucher.times_used == 2
    assert _taken(standard) == 4
    shop.assert_seats_add_up(event)


def test_a_voucher_for_one_type_is_refused_without_that_type(event, standard, buyer, registration):
    workshop = shop.ticket_type(event, "Workshop")
    voucher = shop.voucher(
        event, "WORKSHOP-50", ticket_type=workshop, discount_kind="percent", discount_value=50
    )

    with pytest.raises(ServiceError, match="for “Workshop” tickets only"):
        shop.buy(event, buyer, standard, voucher_code="WORKSHOP-50")
    voucher.refresh_from_db()
    assert (voucher.times_used, _taken(standard)) == (0, 0)


@pytest.mark.parametrize(("code", "message"), [("NOPE", "There is no voucher “NOPE”"), ("OLD", "expired")])
def test_unknown_and_expired_vouchers_are_refused(event, standard, buyer, code, message):
    shop.voucher(event, "OLD", valid_until=timezone.now() - dt.timedelta(minutes=1))

    with pytest.raises(ServiceError, match=message):
        shop.buy(event, buyer, standard, voucher_code=code)


# --- Payment ----------------------------------------------------------------------------------------


def test_mark_paid_sends_the_tickets(event, standard, buyer, organiser):
    order = shop.buy(event, buyer, standard, 2)

    paid = services.mark_paid(order=order, by=organiser)

    assert (paid.state, paid.expires_at, paid.version) == (OrderState.PAID, None, 2)
    mail = OutboxMail.objects.get(template="order_paid")
    assert [item["filename"] for item in mail.attachments] == [
        f"ticket-{paid.code}-{ticket.pk}.pdf" for ticket in paid.tickets.order_by("pk")
    ]


def test_mark_paid_is_for_organisers_and_pending_orders(event, standard, buyer, organiser):
    order = shop.buy(event, buyer, standard)
    reviewer = factories.team_member(event, can_review=True)

    with pytest.raises(NotAllowed):
        services.mark_paid(order=order, by=buyer)
    with pytest.raises(NotAllowed):
        services.mark_paid(order=order, by=reviewer)
    services.mark_paid(order=order, by=organiser)
    with pytest.raises(ServiceError, match="this one is paid"):
        services.mark_paid(order=order, by=organiser)


# --- Cancellation and refund -----------------------------------------------------------------------


def test_buyer_cancels_a_pending_order_and_the_seats_come_back(event, standard, buyer):
    order = shop.buy(event, buyer, standard, 3)

    cancelled = services.cancel_order(order=order, by=buyer)

    assert (cancelled.state, _taken(standard)) == (OrderState.CANCELLED, 0)
    assert cancelled.cancelled_at is not None
    assert OutboxMail.objects.filter(template="order_cancelled", to=buyer.email).count() == 1
    shop.assert_seats_add_up(event)


def test_cancelling_twice_frees_the_seats_once(event, standard, buyer, organiser):
    order = shop.buy(event, buyer, standard, 2)
    shop.buy(event, buyer, standard, 1)
    services.cancel_order(order=order, by=organiser)

    with pytest.raises(ServiceError, match="cancelled already"):
        services.cancel_order(order=order, by=organiser)

    assert _taken(standard) == 1
    shop.assert_seats_add_up(event)


def test_the_voucher_use_comes_back_with_a_cancellation(event, standard, buyer):
    voucher = shop.voucher(event, "ONCE")
    order = shop.buy(event, buyer, standard, voucher_code="ONCE")

    services.cancel_order(order=order, by=buyer)

    voucher.refresh_from_db()
    assert voucher.times_used == 0
    assert shop.buy(event, buyer, standard, voucher_code="ONCE").voucher == voucher


def test_buyer_cannot_cancel_a_paid_order_after_the_deadline(event, standard, buyer, organiser, registration):
    registration.cancellation_until = timezone.now() - dt.timedelta(minutes=1)
    registration.save()
    order = services.mark_paid(order=shop.buy(event, buyer, standard), by=organiser)

    with pytest.raises(NotAllowed, match="no longer be cancelled"):
        services.cancel_order(order=order, by=buyer)

    assert (Order.objects.get(pk=order.pk).state, _taken(standard)) == (OrderState.PAID, 1)
    assert services.cancel_order(order=order, by=organiser).state == OrderState.CANCELLED


def test_buyer_cancels_a_paid_order_within_the_period(event, standard, buyer, organiser, registration):
    registration.cancellation_until = timezone.now() + dt.timedelta(days=1)
    registration.save()
    order = services.mark_paid(order=shop.buy(event, buyer, standard), by=organiser)

    assert services.cancel_order(order=order, by=buyer).state == OrderState.CANCELLED


def test_without_a_cancellation_period_paid_orders_are_cancelled_by_organisers(
    event, standard, buyer, organiser
):
    order = services.mark_paid(order=shop.buy(event, buyer, standard), by=organiser)

    with pytest.raises(NotAllowed, match="cancelled by the organisers"):
        services.cancel_order(order=order, by=buyer)


def test_someone_else_cannot_cancel(event, standard, buyer):
    order = shop.buy(event, buyer, standard)

    with pytest.raises(NotAllowed, match="Only the buyer or the organisers"):
        services.cancel_order(order=order, by=factories.UserFactory())


def test_refund_is_for_organisers_and_paid_orders(event, standard, buyer, organiser):
    order = shop.buy(event, buyer, standard, 2)
    with pytest.raises(ServiceError, match="Only a paid order can be refunded"):
        services.refund_order(order=order, by=organiser)
    services.mark_paid(order=order, by=organiser)
    with pytest.raises(NotAllowed):
        services.refund_order(order=order, by=buyer)

    refunded = services.refund_order(order=order, by=organiser)

    assert (refunded.state, _taken(standard)) == (OrderState.REFUNDED, 0)
    with pytest.raises(ServiceError, match="this one is refunded"):
        services.refund_order(order=order, by=organiser)
    shop.assert_seats_add_up(event)


# --- Expiry ----------------------------------------------------------------------------------------


def test_expire_orders_cancels_unpaid_orders_past_their_deadline(event, standard, buyer, organiser):
    late = shop.buy(event, buyer, standard, 2)
    paid = services.mark_paid(order=shop.buy(event, buyer, standard), by=organiser)
    on_time = shop.buy(event, buyer, standard)

    assert services.expire_orders(now=late.expires_at - dt.timedelta(seconds=1)) == 0
    count = services.expire_orders(now=on_time.expires_at - dt.timedelta(microseconds=1))

    assert count == 1
    states = dict(Order.objects.values_list("pk", "state"))
    assert (states[late.pk], states[paid.pk], states[on_time.pk]) == (
        OrderState.CANCELLED,
        OrderState.PAID,
        OrderState.PENDING,
    )
    assert _taken(standard) == 2
    mail = OutboxMail.objects.get(template="order_cancelled")
    assert "was not paid in time" in mail.body
    assert AuditEntry.objects.filter(action="order.expired").count() == 1
    shop.assert_seats_add_up(event)


def test_a_paid_order_past_its_deadline_is_not_expired(event, standard, buyer, organiser):
    order = shop.buy(event, buyer, standard)
    services.mark_paid(order=order, by=organiser)

    assert services.expire_orders(now=order.expires_at + dt.timedelta(days=1)) == 0
    assert Order.objects.get(pk=order.pk).state == OrderState.PAID


# --- Attendees -------------------------------------------------------------------------------------


def test_buyer_changes_the_attendee_and_the_ticket_is_reissued(event, standard, buyer, organiser):
    order = services.mark_paid(order=shop.buy(event, buyer, standard), by=organiser)
    ticket = order.tickets.get()
    old_secret = ticket.secret

    changed = services.change_attendee(
        ticket=ticket, name='Zoë "Z" D\'Arcy', email="zoe@example.org", by=buyer
    )

    assert (changed.attendee_name, changed.attendee_email) == ('Zoë "Z" D\'Arcy', "zoe@example.org")
    assert changed.secret != old_secret
    assert len(changed.secret) == 32
    assert Order.objects.get(pk=order.pk).version == 3
    mail = OutboxMail.objects.get(template="ticket_reissued")
    assert 'Zoë "Z" D\'Arcy' in mail.body
    assert [item["content_type"] for item in mail.attachments] == ["application/pdf"]
    assert AuditEntry.objects.get(action="ticket.attendee_changed").data["fields"] == ["name", "email"]


def test_after_the_cut_off_only_organisers_change_names(event, standard, buyer, organiser, registration):
    registration.name_change_until = timezone.now() - dt.timedelta(minutes=1)
    registration.save()
    ticket = shop.buy(event, buyer, standard).tickets.get()

    with pytest.raises(NotAllowed, match="no longer be changed"):
        services.change_attendee(ticket=ticket, name="Other", email="o@example.org", by=buyer)
    with pytest.raises(NotAllowed):
        services.change_attendee(
            ticket=ticket, name="Other", email="o@example.org", by=factories.UserFactory()
        )

    changed = services.change_attendee(ticket=ticket, name="Other", email="o@example.org", by=organiser)
    assert changed.attendee_name == "Other"


def test_change_attendee_refuses_a_stale_version_and_a_cancelled_order(event, standard, buyer):
    order = shop.buy(event, buyer, standard)
    ticket = order.tickets.get()
    services.change_attendee(ticket=ticket, name="First", email="f@example.org", by=buyer, version=1)

    with pytest.raises(StaleEdit):
        services.change_attendee(ticket=ticket, name="Second", email="s@example.org", by=buyer, version=1)
    services.cancel_order(order=order, by=buyer)
    with pytest.raises(ServiceError, match="cancelled order cannot be changed"):
        services.change_attendee(ticket=ticket, name="Third", email="t@example.org", by=buyer)
    assert Ticket.objects.get(pk=ticket.pk).attendee_name == "First"


# --- Settings --------------------------------------------------------------------------------------


def test_save_registration_settings(event, organiser):
    saved = services.save_registration_settings(
        event=event, by=organiser, values={"is_open": True, "currency": " usd ", "offer_hours": 12}
    )

    assert (saved.is_open, saved.currency, saved.offer_hours, saved.version) == (True, "USD", 12, 2)
    with pytest.raises(StaleEdit):
        services.save_registration_settings(event=event, by=organiser, values={"is_open": False}, version=1)
    with pytest.raises(ServiceError, match="three letters"):
        services.save_registration_settings(event=event, by=organiser, values={"currency": "EURO"})
    with pytest.raises(ServiceError):
        services.save_registration_settings(event=event, by=organiser, values={"payment_deadline_hours": 0})
    with pytest.raises(NotAllowed):
        services.save_registration_settings(
            event=event, by=factories.UserFactory(), values={"is_open": False}
        )


def test_order_actions_refuse_a_stale_version(event, standard, buyer, organiser):
    order = shop.buy(event, buyer, standard)
    shown = order.version
    services.change_attendee(
        ticket=order.tickets.get(), name="Someone Else", email="else@example.org", by=buyer
    )

    with pytest.raises(StaleEdit):
        services.mark_paid(order=order, by=organiser, version=shown)
    with pytest.raises(StaleEdit):
        services.cancel_order(order=order, by=organiser, version=shown)
    paid = services.mark_paid(order=order, by=organiser, version=shown + 1)
    with pytest.raises(StaleEdit):
        services.refund_order(order=paid, by=organiser, version=shown + 1)
    refunded = services.refund_order(order=paid, by=organiser, version=paid.version)

    assert (paid.version, refunded.state) == (shown + 2, OrderState.REFUNDED)
    shop.assert_seats_add_up(event)
