"""Writing and ending orders: the one place an order with its tickets and answers is written, and
the one place an ended order gives back its seats and its voucher. The services (services.py,
issuing.py, waiting_list.py, speaker_tickets.py) check who may act and hold the seats first; these
helpers run inside their transaction.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.base import audit
from podium.registration import mails, offers, seats
from podium.registration.enums import DiscountKind, OrderOrigin, OrderState, new_order_code
from podium.registration.models import Answer, Order, Ticket, TicketType, Voucher
from podium.registration.queries import settings_for
from podium.webhooks import payloads as webhook_payloads
from podium.webhooks.services import emit as emit_webhook

CENT = Decimal("0.01")


@dataclass
class Line:
    """One ticket of an order, checked: its type, attendee, price and answers ({question id: value})."""

    ticket_type: TicketType
    name: str
    email: str
    price: Decimal
    company: str = ""
    answers: dict = field(default_factory=dict)


def discounted(price: Decimal, voucher: Voucher | None, ticket_type: TicketType) -> Decimal:
    """The price of one ticket with the voucher's discount (never below zero)."""
    if voucher is None or voucher.discount_kind == DiscountKind.NONE:
        return price
    if voucher.ticket_type_id is not None and voucher.ticket_type_id != ticket_type.pk:
        return price
    if voucher.discount_kind == DiscountKind.PERCENT:
        off = (price * voucher.discount_value / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    else:
        off = voucher.discount_value
    return max(price - off, Decimal(0)).quantize(CENT)


def seat_counts(lines) -> list[tuple[int, int]]:
    """[(ticket type id, seats)] in id order: seats are always taken in this order, so two orders
    never wait for each other's rows."""
    return sorted(Counter(line.ticket_type.pk for line in lines).items())


def sold_out(ticket_type_id: int, wanted: int) -> seats.SoldOut:
    """The refusal for an order that wanted more seats of the type than are left."""
    ticket_type = TicketType.objects.get(pk=ticket_type_id)
    left = ticket_type.seats_left or 0
    if left == 0:
        return seats.SoldOut(
            _("“%(ticket_type)s” is sold out.") % {"ticket_type": ticket_type.name}, field="items"
        )
    return seats.SoldOut(
        ngettext(
            "Only %(left)s “%(ticket_type)s” ticket left; you asked for %(wanted)s.",
            "Only %(left)s “%(ticket_type)s” tickets left; you asked for %(wanted)s.",
            left,
        )
        % {"left": left, "ticket_type": ticket_type.name, "wanted": wanted},
        field="items",
    )


def reserve(lines) -> None:
    """Take the seats of every line, all or none (raise SoldOut; the caller's transaction rolls back)."""
    for type_id, count in seat_counts(lines):
        if not seats.reserve_seats(type_id, count):
            raise sold_out(type_id, count)


def _new_code(event) -> str:
    while True:
        code = new_order_code()
        if not Order.objects.filter(event=event, code=code).exists():
            return code


def write(
    *,
    event,
    buyer,
    email: str,
    lines: list[Line],
    origin: str = OrderOrigin.PURCHASE,
    voucher: Voucher | None = None,
    idempotency_key: str | None = None,
    by=None,
    send_mail: bool = True,
) -> Order:
    """Write a placed order whose seats (and voucher use) are held: paid at once when it costs
    nothing (or the organisers issued it), else pending until the payment deadline.

    Side effects: audit entry, `order.placed` (and `order.paid`) webhook deliveries, the order mail
    (unless `send_mail` is false).
    """
    now = timezone.now()
    total = sum((line.price for line in lines), Decimal(0))
    paid = total == 0 or origin == OrderOrigin.ISSUED
    hours = settings_for(event).payment_deadline_hours
    order = Order.objects.create(
        event=event,
        code=_new_code(event),
        buyer=buyer if buyer is not None and buyer.is_authenticated else None,
        email=email,
        state=OrderState.PAID if paid else OrderState.PENDING,
        origin=origin,
        total=total,
        voucher=voucher,
        idempotency_key=idempotency_key or None,
        paid_at=now if paid else None,
        expires_at=None if paid else now + dt.timedelta(hours=hours),
    )
    answers = []
    for line in lines:
        ticket = Ticket.objects.create(
            order=order,
            ticket_type=line.ticket_type,
            attendee_name=line.name,
            attendee_email=line.email,
            attendee_company=line.company,
            price=line.price,
        )
        answers += [
            Answer(ticket=ticket, question_id=pk, value=value) for pk, value in line.answers.items() if value
        ]
    Answer.objects.bulk_create(answers)
    audit.record(
        action="order.placed",
        actor=by if by is not None else buyer,
        target=order,
        event_id=event.pk,
        code=order.code,
        state=order.state,
        origin=origin,
        total=str(total),
        tickets=len(lines),
        voucher=voucher.code if voucher else None,
    )
    tell(order, "order.placed")
    if paid:
        tell(order, "order.paid")
    if send_mail:
        mails.order_placed(order)
    return order


def tell(order: Order, kind: str) -> None:
    """Emit an `order.*` webhook delivery about the order as it is now."""
    emit_webhook(
        event=order.event,
        kind=kind,
        payload=webhook_payloads.order(order, currency=settings_for(order.event).currency),
    )


def give_back(order: Order, *, now: dt.datetime | None = None) -> list:
    """An order stopped holding its seats (cancelled, refunded, expired): pass each seat to the waiting
    list or free it, and count its voucher use back. Call once per order, right after the conditional
    UPDATE that ended it. Returns the waiting-list entries that were offered a seat."""
    offered = []
    counts = Counter(order.tickets.values_list("ticket_type_id", flat=True))
    for type_id, count in sorted(counts.items()):
        ticket_type = TicketType.objects.select_related("event").get(pk=type_id)
        offered += offers.offer_freed_seats(ticket_type=ticket_type, count=count, now=now)
    seats.give_back_voucher(order.voucher_id)
    return offered
