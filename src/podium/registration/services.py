"""Order use cases: place an order, mark it paid, cancel, refund, expire unpaid orders, change a
ticket's attendee, save the event's registration settings.

Every use case is one transaction. Seats and voucher uses are taken and given back only through
seats.py (conditional UPDATEs), so no ticket type is ever oversold; every state change of an order is
a conditional UPDATE on its state, so two cancellations at once free its seats once. A use case the
database was too busy to take is tried again (seats.retry_when_busy). Tickets issued by hand and the
CSV import are in issuing.py, the waiting list in waiting_list.py, speakers' tickets in
speaker_tickets.py.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.events.models import Event
from podium.registration import mails, orders, rules, seats
from podium.registration.answers import (
    at,
    clean_answers,
    clean_attendee,
    event_questions,
    questions_for,
)
from podium.registration.enums import HOLDING, OrderState, Visibility, new_ticket_secret
from podium.registration.models import Order, RegistrationSettings, Ticket, TicketType, Voucher
from podium.registration.queries import settings_for, usable_voucher

SETTINGS_FIELDS = (
    "is_open",
    "payment_deadline_hours",
    "name_change_until",
    "cancellation_until",
    "offer_hours",
    "max_tickets_per_order",
    "currency",
)


@dataclass
class OrderItem:
    """One ticket a buyer asks for: its type, who attends, their answers ({question or id: value})."""

    ticket_type: TicketType
    attendee_name: str
    attendee_email: str
    answers: dict = field(default_factory=dict)
    attendee_company: str = ""


def _as_item(item) -> OrderItem:
    if isinstance(item, OrderItem):
        return item
    return OrderItem(*item)


def _when(moment: dt.datetime, event: Event) -> str:
    return dateformat.format(moment.astimezone(event.tz), "d F Y, H:i")


# --- Placing an order ------------------------------------------------------------------------------


def _voucher(event: Event, code: str | None, now: dt.datetime) -> Voucher | None:
    return usable_voucher(event, code, now=now)


def _check_voucher_fits(voucher: Voucher | None, lines: list[orders.Line]) -> None:
    """A voucher for one ticket type is refused for an order without a ticket of that type (it would
    use it up for nothing)."""
    if voucher is None or voucher.ticket_type_id is None:
        return
    if all(line.ticket_type.pk != voucher.ticket_type_id for line in lines):
        raise ServiceError(
            _("This voucher is for “%(ticket_type)s” tickets only.")
            % {"ticket_type": voucher.ticket_type.name},
            field="voucher_code",
        )


def _check_on_sale(ticket_type: TicketType, *, buyer, voucher: Voucher | None, now: dt.datetime) -> None:
    """Refuse a type that is not for sale now, or not to this buyer (visibility)."""
    event = ticket_type.event
    if not ticket_type.active:
        raise NotAllowed(
            _("“%(ticket_type)s” tickets are not on sale.") % {"ticket_type": ticket_type.name}, field="items"
        )
    if ticket_type.sale_start is not None and now < ticket_type.sale_start:
        raise NotAllowed(
            _("“%(ticket_type)s” tickets are on sale from %(when)s.")
            % {"ticket_type": ticket_type.name, "when": _when(ticket_type.sale_start, event)},
            field="items",
        )
    if ticket_type.sale_end is not None and now >= ticket_type.sale_end:
        raise NotAllowed(
            _("The sale of “%(ticket_type)s” tickets has ended.") % {"ticket_type": ticket_type.name},
            field="items",
        )
    if ticket_type.visibility == Visibility.VOUCHER and (
        voucher is None or voucher.ticket_type_id != ticket_type.pk
    ):
        raise NotAllowed(
            _("“%(ticket_type)s” tickets need a voucher.") % {"ticket_type": ticket_type.name},
            field="voucher_code",
        )
    if ticket_type.visibility == Visibility.GROUP:
        rules.check_may_buy_group(buyer, ticket_type)


def _lines(event: Event, items: list[OrderItem], *, buyer, voucher, answers, now) -> list[orders.Line]:
    """The checked lines of an order, or a ServiceError about the first item that is wrong."""
    ids = {item.ticket_type.pk for item in items if isinstance(item.ticket_type, TicketType)}
    types = {t.pk: t for t in TicketType.objects.filter(event=event, pk__in=ids).select_related("event")}
    questions = event_questions(event)
    lines = []
    for number, item in enumerate(items, start=1):
        where = _("Ticket %(number)s") % {"number": number} if len(items) > 1 else ""
        ticket_type = types.get(getattr(item.ticket_type, "pk", None))
        if ticket_type is None:
            # Translators: a sentence; its first letter becomes upper case where it stands alone.
            raise ServiceError(at(where, _("choose a ticket type of this event.")), field="items")
        _check_on_sale(ticket_type, buyer=buyer, voucher=voucher, now=now)
        name, email = clean_attendee(item.attendee_name, item.attendee_email, where=where)
        asked = {question.pk for question in questions_for(questions, ticket_type)}
        given = {key: value for key, value in (answers or {}).items() if getattr(key, "pk", key) in asked}
        given.update(item.answers or {})
        lines.append(
            orders.Line(
                ticket_type=ticket_type,
                name=name,
                email=email,
                company=" ".join(str(item.attendee_company or "").split())[:200],
                price=orders.discounted(ticket_type.price, voucher, ticket_type),
                answers=clean_answers(questions, ticket_type, given, where=where),
            )
        )
    return lines


def _clean_email(email: str) -> str:
    email = " ".join(str(email or "").split()).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(_("Enter the e-mail address the tickets are sent to."), field="email") from None
    return email


def _existing_order(event: Event, buyer, key: str | None) -> Order | None:
    if not key:
        return None
    return Order.objects.filter(event=event, buyer=buyer, idempotency_key=key).first()


def place_order(
    *,
    event: Event,
    buyer,
    items: Iterable,
    email: str,
    voucher_code: str | None = None,
    answers: dict | None = None,
    idempotency_key: str | None = None,
) -> Order:
    """A logged-in buyer orders tickets: `items` are `OrderItem`s or (ticket type, attendee name,
    attendee address[, answers[, company]]) tuples; `answers` ({question or id: value}) apply to every
    ticket whose type asks the question, unless its item answers it itself.

    Refused (ServiceError, nothing booked) when registration is closed, the order has no ticket or
    more than the event allows, a type is not on sale now (inactive, sale window) or not to this buyer
    (a `voucher` type without its voucher, a `group` type to a non-member), an attendee or answer is
    wrong, the voucher is unknown, expired or used up, or any one type has too few seats left: the
    seats of all items are taken together or not at all. A voucher counts one use per order, and one
    for a ticket type only with a ticket of that type. An order that costs nothing is paid at once;
    others are pending until the payment deadline. The same idempotency key from the same buyer
    returns the order placed first.

    Side effects: audit entry, `order.placed` (and, when free, `order.paid`) webhook deliveries, the
    order mail (tickets as PDF when paid, else how to pay).
    """
    if buyer is None or not buyer.is_authenticated:
        raise NotAllowed(_("Log in to order tickets."))
    existing = _existing_order(event, buyer, idempotency_key)
    if existing is not None:
        return existing
    settings = settings_for(event)
    if not settings.is_open:
        raise NotAllowed(_("Registration for %(event)s is not open.") % {"event": event.name})
    items = [_as_item(item) for item in items]
    if not items:
        raise ServiceError(_("Choose at least one ticket."), field="items")
    if len(items) > settings.max_tickets_per_order:
        raise ServiceError(
            _("An order has at most %(count)s tickets.") % {"count": settings.max_tickets_per_order},
            field="items",
        )
    email = _clean_email(email)
    now = timezone.now()
    voucher = _voucher(event, voucher_code, now)
    lines = _lines(event, items, buyer=buyer, voucher=voucher, answers=answers, now=now)
    _check_voucher_fits(voucher, lines)
    try:
        return _place(
            event=event, buyer=buyer, email=email, lines=lines, voucher=voucher, key=idempotency_key
        )
    except IntegrityError:
        # A concurrent request with the same key won the race (and took the seats); answer with its order.
        existing = _existing_order(event, buyer, idempotency_key)
        if existing is not None:
            return existing
        raise


@seats.retry_when_busy
@transaction.atomic
def _place(*, event, buyer, email, lines, voucher, key) -> Order:
    orders.reserve(lines)
    if voucher is not None and not seats.use_voucher(voucher.pk):
        raise ServiceError(_("This voucher has been used up."), field="voucher_code")
    return orders.write(
        event=event, buyer=buyer, email=email, lines=lines, voucher=voucher, idempotency_key=key
    )


# --- Payment, cancellation, refund, expiry ---------------------------------------------------------


def _locked(order: Order) -> Order:
    return (
        Order.objects.select_for_update(of=("self",))
        .select_related("event", "buyer")
        .get(pk=order.pk, event_id=order.event_id)
    )


def _state_label(order: Order) -> str:
    """The order's state as said inside a sentence ("this order is paid")."""
    labels = {
        OrderState.PENDING: pgettext("order state, inside a sentence", "pending payment"),
        OrderState.PAID: pgettext("order state, inside a sentence", "paid"),
        OrderState.CANCELLED: pgettext("order state, inside a sentence", "cancelled"),
        OrderState.REFUNDED: pgettext("order state, inside a sentence", "refunded"),
    }
    return labels.get(order.state) or order.get_state_display().lower()


def _check_version(order: Order, version: int | None) -> None:
    """Refuse an action on an order that changed since the organiser looked at it (`version`)."""
    if version is not None and order.version != version:
        raise StaleEdit(
            _(
                "Order %(code)s changed while you were looking at it (it is %(state)s now). "
                "Here is what is stored now; act again if you still want to."
            )
            % {"code": order.code, "state": _state_label(order)}
        )


@seats.retry_when_busy
@transaction.atomic
def mark_paid(*, order: Order, by, version: int | None = None) -> Order:
    """An organiser records the payment of a pending order (refused for any other state, and for users
    without `can_edit_event`). An order past its deadline that is not yet expired can still be paid.
    A stale `version` (the order changed since the organiser saw it) is refused.

    Side effects: audit entry, `order.paid` webhook deliveries, the tickets mail (each as PDF).
    """
    rules.check_can_manage_orders(by, order.event)
    now = timezone.now()
    still = {"version": version} if version is not None else {}
    changed = Order.objects.filter(
        pk=order.pk, event_id=order.event_id, state=OrderState.PENDING, **still
    ).update(state=OrderState.PAID, paid_at=now, expires_at=None, version=F("version") + 1)
    order = Order.objects.select_related("event", "buyer").get(pk=order.pk)
    if not changed:
        if order.state == OrderState.PENDING:
            _check_version(order, version)
        raise ServiceError(
            _("Only a pending order can be marked paid; this one is %(state)s.")
            % {"state": _state_label(order)}
        )
    audit.record(action="order.paid", actor=by, target=order, event_id=order.event_id, code=order.code)
    orders.tell(order, "order.paid")
    mails.order_paid(order)
    return order


def _end(order: Order, *, to: str, now: dt.datetime, **still) -> Order | None:
    """Move the order to `to` if it still matches `still` (e.g. `state=…`: one conditional UPDATE), and
    give back its seats and voucher use. None when another change ended it first."""
    changed = Order.objects.filter(pk=order.pk, **still).update(
        state=to, cancelled_at=now, expires_at=None, version=F("version") + 1
    )
    if not changed:
        return None
    order = Order.objects.select_related("event", "buyer").get(pk=order.pk)
    orders.give_back(order, now=now)
    return order


@seats.retry_when_busy
@transaction.atomic
def cancel_order(*, order: Order, by, version: int | None = None) -> Order:
    """Cancel a pending or paid order: by an organiser (`can_edit_event`) at any time, by its buyer
    while it is pending, when it cost nothing, or within the event's cancellation period. Its seats go
    to the waiting list or become free, its voucher use is counted back. A second cancellation is
    refused, and the seats are freed once; so is a stale `version` (the order changed since it was shown).

    Side effects: audit entry, `order.cancelled` webhook deliveries, the cancellation mail, offer mails
    to people on the waiting list.
    """
    locked = _locked(order)
    rules.check_can_cancel(by, locked, settings_for(locked.event))
    if locked.holds_seats:
        _check_version(locked, version)
    ended = _end(locked, to=OrderState.CANCELLED, now=timezone.now(), state__in=HOLDING)
    if ended is None:
        raise ServiceError(_("This order is %(state)s already.") % {"state": _state_label(locked)})
    audit.record(action="order.cancelled", actor=by, target=ended, event_id=ended.event_id, code=ended.code)
    orders.tell(ended, "order.cancelled")
    mails.order_ended(ended)
    return ended


@seats.retry_when_busy
@transaction.atomic
def refund_order(*, order: Order, by, version: int | None = None) -> Order:
    """An organiser (`can_edit_event`) refunds a paid order (the money is returned outside Podium):
    it becomes refunded, its seats go to the waiting list or become free. A stale `version` is refused.

    Side effects: audit entry, `order.cancelled` webhook deliveries (state "refunded"), the mail
    saying so, offer mails to people on the waiting list.
    """
    rules.check_can_manage_orders(by, order.event)
    locked = _locked(order)
    if locked.state == OrderState.PAID:
        _check_version(locked, version)
    ended = _end(locked, to=OrderState.REFUNDED, now=timezone.now(), state=OrderState.PAID)
    if ended is None:
        raise ServiceError(
            _("Only a paid order can be refunded; this one is %(state)s.") % {"state": _state_label(locked)}
        )
    audit.record(action="order.refunded", actor=by, target=ended, event_id=ended.event_id, code=ended.code)
    orders.tell(ended, "order.cancelled")
    mails.order_ended(ended)
    return ended


@seats.retry_when_busy
@transaction.atomic
def _expire(order_id: int, now: dt.datetime) -> bool:
    order = Order.objects.get(pk=order_id)
    ended = _end(order, to=OrderState.CANCELLED, now=now, state=OrderState.PENDING, expires_at__lte=now)
    if ended is None:  # paid (or cancelled) meanwhile
        return False
    audit.record(action="order.expired", target=ended, event_id=ended.event_id, code=ended.code)
    orders.tell(ended, "order.cancelled")
    mails.order_ended(ended, expired=True)
    return True


def expire_orders(*, now: dt.datetime | None = None) -> int:
    """Cancel every pending order whose payment deadline has passed (one transaction each), passing
    its seats to the waiting list or freeing them. Returns how many expired. Run by `podium cleanup`
    (sweeps.py); an order paid meanwhile is left alone.

    Side effects per order: audit entry, `order.cancelled` webhook deliveries, the mail saying the
    order expired, offer mails to people on the waiting list.
    """
    now = now or timezone.now()
    due = Order.objects.filter(state=OrderState.PENDING, expires_at__lte=now).order_by("expires_at", "pk")
    return sum(_expire(pk, now) for pk in list(due.values_list("pk", flat=True)))


# --- Attendees -------------------------------------------------------------------------------------


@seats.retry_when_busy
@transaction.atomic
def change_attendee(
    *, ticket: Ticket, name: str, email: str, by, company: str | None = None, version: int | None = None
) -> Ticket:
    """Put another name (and address, company) on a ticket of a pending or paid order: its buyer until
    the event's name-change cut-off, an organiser any time. The ticket is issued again: a new secret,
    so the old QR code stops working. A stale `version` of the order is refused.

    Side effects: audit entry (which fields changed), the re-issued ticket by mail when the order is paid.
    """
    order = _locked(ticket.order)
    ticket = Ticket.objects.select_related("ticket_type").get(pk=ticket.pk, order=order)
    rules.check_can_change_attendee(by, order, settings_for(order.event))
    if order.state not in HOLDING:
        raise ServiceError(
            _("Tickets of a %(state)s order cannot be changed.") % {"state": _state_label(order)}
        )
    if version is not None and order.version != version:
        raise StaleEdit(
            _("Someone else changed this order while you were editing. Here is what is stored now.")
        )
    name, email = clean_attendee(name, email)
    company = ticket.attendee_company if company is None else " ".join(str(company).split())[:200]
    changed = [
        label
        for label, old, new in (
            ("name", ticket.attendee_name, name),
            ("email", ticket.attendee_email, email),
            ("company", ticket.attendee_company, company),
        )
        if old != new
    ]
    if not changed:
        return ticket
    ticket.attendee_name, ticket.attendee_email, ticket.attendee_company = name, email, company
    ticket.secret = new_ticket_secret()
    ticket.save(update_fields=["attendee_name", "attendee_email", "attendee_company", "secret"])
    Order.objects.filter(pk=order.pk).update(version=F("version") + 1)
    ticket.order = order
    audit.record(
        action="ticket.attendee_changed",
        actor=by,
        target=ticket,
        event_id=order.event_id,
        code=order.code,
        fields=changed,
    )
    if order.state == OrderState.PAID:
        mails.ticket_reissued(ticket)
    return ticket


# --- Settings --------------------------------------------------------------------------------------


@transaction.atomic
def save_registration_settings(
    *, event: Event, by, values: dict, version: int | None = None
) -> RegistrationSettings:
    """Change the event's registration settings (`SETTINGS_FIELDS`); refused for users without
    `can_edit_event` and for a stale `version`. Side effects: audit entry with the changed fields."""
    rules.check_can_manage_orders(by, event)
    current, _created = RegistrationSettings.objects.select_for_update().get_or_create(event=event)
    if version is not None and current.version != version:
        raise StaleEdit(
            _("Someone else saved the registration settings meanwhile. Here is what is stored now.")
        )
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ServiceError(_("Unknown setting: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    if "currency" in values:
        values = {**values, "currency": str(values["currency"] or "").strip().upper()}
        if len(values["currency"]) != 3 or not values["currency"].isalpha():
            raise ServiceError(_("A currency is three letters, like EUR or USD."), field="currency")
    changed = sorted(name for name, value in values.items() if getattr(current, name) != value)
    for name in changed:
        setattr(current, name, values[name])
    try:
        current.full_clean(exclude=["event"])
    except ValidationError as exc:
        name, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(" ".join(messages), field=name) from None
    current.version += 1
    current.save()
    audit.record(
        action="registration.settings_saved", actor=by, target=current, event_id=event.pk, fields=changed
    )
    return current
