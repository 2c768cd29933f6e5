"""Registration rows written in bulk, as the services write them one by one: the demo's about 1,000
orders and their check-ins in a second rather than minutes.

Through the services an order takes some twenty queries and a paid one a PDF of each ticket for its
mail. `write_sales` and `write_scans` write, for a history given in full (who
ordered what when, what became of each order, which codes were scanned where and when), the rows
`place_order`, a speaker's grant, `mark_paid`, `cancel_order`, `expire_orders`, `refund_order` and
`checkin.services.check_in` write for it (tests/demo/test_bulk.py holds them side by side):

- orders with their codes, totals, versions and deadlines; tickets with their random secrets; the
  answers as given (checked beforehand with `answers.clean_answers`);
- the seats and voucher uses taken through `registration.seats`, so the counters match the rows;
- an audit entry for every step, dated when it happened: placed, paid, cancelled, expired, refunded,
  checked in;
- the order mails rendered from their templates into the outbox, queued (the demo marks them sent
  with all its mail); a paid order's mail carries each ticket as a PDF, as `registration.mails` attaches
  them (made when a mail is sent, so writing them costs nothing);
- for every scan a `Scan` with what the desk was told, and a `CheckIn` for the first valid one.

No webhook deliveries are written: the demo's events have no endpoints.
"""

import datetime as dt
from collections import Counter
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection

from podium.base.models import AuditEntry
from podium.checkin.models import CheckIn, Scan, ScanResult
from podium.events.models import Event
from podium.mail import about
from podium.mail.models import MailStatus, OutboxMail
from podium.mail.services import render, undeliverable
from podium.mail.system import fill_text, text_for
from podium.registration import seats
from podium.registration.enums import HOLDING, OrderOrigin, OrderState, new_order_code
from podium.registration.mails import order_paid_values, ticket_file
from podium.registration.models import Answer, Order, Ticket, Voucher
from podium.registration.queries import settings_for

# What became of an order that was not simply paid.
CANCELLED, EXPIRED, REFUNDED = "cancelled", "expired", "refunded"


@dataclass
class Sale:
    """One order as it happened: placed for `buyer` (None: a person without an account, whose tickets
    the organisers issued) at `placed_at`, by `placed_by` (an organiser issuing it; None: the buyer, as
    for a speaker's grant), to `email` (default: the buyer's); then, if it costs something, paid (by
    `paid_by`), or ended: `CANCELLED` by `ended_by` while pending, `EXPIRED` unpaid, `REFUNDED` by
    `ended_by` after it was paid. `lines` are `orders.Line`s, checked as the services check them."""

    buyer: object
    lines: list
    placed_at: dt.datetime
    origin: str = OrderOrigin.PURCHASE
    placed_by: object = None
    email: str = ""
    voucher: Voucher | None = None
    idempotency_key: str | None = None
    paid_at: dt.datetime | None = None
    paid_by: object = None
    ended: str = ""
    ended_at: dt.datetime | None = None
    ended_by: object = None
    order: Order | None = field(default=None, repr=False)
    tickets: list = field(default_factory=list, repr=False)

    @property
    def total(self) -> Decimal:
        return sum((line.price for line in self.lines), Decimal(0))

    @property
    def free(self) -> bool:
        return self.total == 0 or self.origin == OrderOrigin.ISSUED

    @property
    def state(self) -> str:
        if self.ended == REFUNDED:
            return OrderState.REFUNDED
        if self.ended in (CANCELLED, EXPIRED):
            return OrderState.CANCELLED
        return OrderState.PAID if self.free or self.paid_at else OrderState.PENDING


class _Rows:
    """Audit entries and mails collected with their moments, written in time order."""

    def __init__(self, event: Event):
        self.event = event
        self.currency = settings_for(event).currency
        self.audit: list[tuple[dt.datetime, AuditEntry]] = []
        self.mails: list[tuple[dt.datetime, OutboxMail]] = []
        self.tickets_text: tuple[str, str] | None = None  # the event's words for "order_paid", read once

    def record(self, moment, *, action: str, actor, target, **data) -> None:
        self.audit.append(
            (
                moment,
                AuditEntry(
                    action=action,
                    actor=actor if actor is not None and actor.is_authenticated else None,
                    event_id=self.event.pk,
                    content_type=ContentType.objects.get_for_model(target),
                    object_id=str(target.pk),
                    data=data,
                ),
            )
        )

    def mail(self, moment, order: Order, template: str, tickets: list, attachments=(), **context) -> None:
        """The order mail `registration.mails` queues, with the order as it was then."""
        name = order.buyer.name if order.buyer_id and order.buyer.name else tickets[0].attendee_name
        if template == "order_paid":  # a system mail: in the event's words (mail.system)
            self.tickets_text = self.tickets_text or text_for(self.event, template)
            values = order_paid_values(order, tickets, name=name)
            subject, body = fill_text(*self.tickets_text, event=self.event, values=values)
        else:
            subject, body = render(
                template,
                {
                    "event": self.event,
                    "order": order,
                    "tickets": tickets,
                    "name": name,
                    "currency": self.currency,
                    **context,
                },
            )
        mail = OutboxMail(
            event=self.event,
            user=order.buyer,
            to=order.email,
            subject=subject[:300],
            body=body,
            template=template,
            about=about.order(order.pk),
            attachments=list(attachments),
            status=MailStatus.DISCARDED if undeliverable(order.email) else MailStatus.QUEUED,
        )
        self.mails.append((moment, mail))

    def write(self) -> None:
        """Insert the entries and mails in time order; the entries then get their moments (the
        timestamp is set on insert, as for every entry)."""
        audit = sorted(self.audit, key=lambda pair: pair[0])
        AuditEntry.objects.bulk_create([entry for _, entry in audit], batch_size=500)
        _date(AuditEntry, "timestamp", [(entry, moment) for moment, entry in audit])
        OutboxMail.objects.bulk_create(
            [mail for _, mail in sorted(self.mails, key=lambda pair: pair[0])], batch_size=500
        )


def _date(model, name: str, rows: list[tuple]) -> None:
    """Give inserted rows the moments they happened at: `name` is set to the time of the insert
    (`auto_now_add`), and bulk_update's one CASE per row costs seconds for thousands of rows, so this
    runs one prepared UPDATE for all of them."""
    field, quote = model._meta.get_field(name), connection.ops.quote_name
    table, column, key = quote(model._meta.db_table), quote(field.column), quote(model._meta.pk.column)
    sql = f"UPDATE {table} SET {column} = %s WHERE {key} = %s"  # noqa: S608 (our table and column names)
    with connection.cursor() as cursor:
        cursor.executemany(
            sql, [(field.get_db_prep_value(moment, connection), obj.pk) for obj, moment in rows]
        )
    for obj, moment in rows:
        setattr(obj, name, moment)


def _as_then(order: Order, **state) -> Order:
    """The order as it was at an earlier step (for that step's mail), without touching the order."""
    then = copy(order)
    for name, value in state.items():
        setattr(then, name, value)
    return then


def write_sales(*, event: Event, sales: list[Sale]) -> list[Sale]:
    """Write the orders of `sales` as `place_order` (or a speaker's grant), `mark_paid`, `cancel_order`,
    `expire_orders` and `refund_order` would have, at the sales' moments; the seats and voucher uses of
    the orders that hold them are taken through registration.seats (ValueError when a quota or a
    voucher would not allow it). Returns the sales with their `order` and `tickets`.

    Side effects: the orders with their tickets and answers, an audit entry per step, the order mails
    (queued; a paid order's with its tickets as PDF files).
    """
    hours = dt.timedelta(hours=settings_for(event).payment_deadline_hours)
    taken = set(Order.objects.filter(event=event).values_list("code", flat=True))
    for sale in sales:
        code = new_order_code()
        while code in taken:
            code = new_order_code()
        taken.add(code)
        state = sale.state
        paid_at = sale.placed_at if sale.free else sale.paid_at
        steps = 1 + (not sale.free and sale.paid_at is not None) + bool(sale.ended)
        sale.order = Order(
            event=event,
            code=code,
            buyer=sale.buyer,
            email=(sale.email or sale.buyer.email).lower(),
            state=state,
            origin=sale.origin,
            total=sale.total,
            voucher=sale.voucher,
            idempotency_key=sale.idempotency_key,
            paid_at=paid_at if state in (OrderState.PAID, OrderState.REFUNDED) else None,
            expires_at=sale.placed_at + hours if state == OrderState.PENDING else None,
            cancelled_at=sale.ended_at if sale.ended else None,
            version=steps,
        )
    Order.objects.bulk_create([sale.order for sale in sales], batch_size=500)
    for sale in sales:
        sale.tickets = [
            Ticket(
                order=sale.order,
                ticket_type=line.ticket_type,
                attendee_name=line.name,
                attendee_email=line.email,
                attendee_company=line.company,
                price=line.price,
            )
            for line in sale.lines
        ]
    tickets = [ticket for sale in sales for ticket in sale.tickets]
    Ticket.objects.bulk_create(tickets, batch_size=500)
    _date(Order, "created_at", [(sale.order, sale.placed_at) for sale in sales])
    _date(Ticket, "created_at", [(ticket, sale.placed_at) for sale in sales for ticket in sale.tickets])
    Answer.objects.bulk_create(
        [
            Answer(ticket=ticket, question_id=pk, value=value)
            for sale in sales
            for ticket, line in zip(sale.tickets, sale.lines, strict=True)
            for pk, value in line.answers.items()
            if value
        ],
        batch_size=500,
    )
    rows = _Rows(event)
    for sale in sales:
        _history(rows, sale, hours)
    rows.write()
    _take_seats(sales)
    return sales


def _history(rows: _Rows, sale: Sale, hours: dt.timedelta) -> None:
    """The audit entries and mails of one order, step by step."""
    order, tickets = sale.order, sale.tickets
    placed_state = OrderState.PAID if sale.free else OrderState.PENDING
    rows.record(
        sale.placed_at,
        action="order.placed",
        actor=sale.placed_by if sale.placed_by is not None else sale.buyer,
        target=order,
        code=order.code,
        state=placed_state,
        origin=sale.origin,
        total=str(sale.total),
        tickets=len(tickets),
        voucher=sale.voucher.code if sale.voucher else None,
    )
    if sale.free:
        rows.mail(
            sale.placed_at, _as_then(order, state=OrderState.PAID), "order_paid", tickets, _files(tickets)
        )
    else:
        pending = _as_then(order, state=OrderState.PENDING, expires_at=sale.placed_at + hours)
        rows.mail(sale.placed_at, pending, "order_pending", tickets)
        if sale.paid_at is not None:
            rows.record(sale.paid_at, action="order.paid", actor=sale.paid_by, target=order, code=order.code)
            paid = _as_then(order, state=OrderState.PAID, expires_at=None)
            rows.mail(sale.paid_at, paid, "order_paid", tickets, _files(tickets))
    if sale.ended:
        action = {CANCELLED: "order.cancelled", EXPIRED: "order.expired", REFUNDED: "order.refunded"}
        actor = None if sale.ended == EXPIRED else sale.ended_by
        rows.record(sale.ended_at, action=action[sale.ended], actor=actor, target=order, code=order.code)
        ended = _as_then(order, expires_at=None)
        rows.mail(sale.ended_at, ended, "order_cancelled", tickets, expired=sale.ended == EXPIRED)


def _files(tickets: list[Ticket]) -> list[dict]:
    """The tickets as the PDF files a paid order's mail carries (`registration.mails.order_paid`)."""
    return [ticket_file(ticket) for ticket in tickets]


def _take_seats(sales: list[Sale]) -> None:
    """The seats of the tickets in pending and paid orders, and one voucher use per such order."""
    holding = [sale for sale in sales if sale.state in HOLDING]
    counts = Counter(ticket.ticket_type_id for sale in holding for ticket in sale.tickets)
    for type_id, count in sorted(counts.items()):
        if not seats.reserve_seats(type_id, count):
            raise ValueError(f"The demo sells more tickets of type {type_id} than its quota.")
    for sale in holding:
        if sale.voucher is not None and not seats.use_voucher(sale.voucher.pk):
            raise ValueError(f"The demo uses the voucher {sale.voucher.code} more often than it allows.")


@dataclass
class Scanned:
    """One scan at a desk: of `ticket`'s code, or (ticket None) of a code that names no ticket of the
    event, `refusal` saying which (unknown or forged)."""

    at: dt.datetime
    desk: str
    by: object
    ticket: Ticket | None
    refusal: str = ScanResult.UNKNOWN


def write_scans(*, event: Event, scans: list[Scanned]) -> Counter:
    """Write what `checkin.services.check_in` writes for `scans` made online at the desks, in time order:
    a Scan for each (ok, already, cancelled, unpaid, or the refusal of a code that names no ticket),
    and a CheckIn with its audit entry for the first valid scan of a ticket. Returns the results counted.
    """
    rows = _Rows(event)
    made = set(CheckIn.objects.filter(event=event).values_list("ticket_id", flat=True))
    check_ins, logged = [], []
    for scan in sorted(scans, key=lambda scan: scan.at):
        ticket, result = scan.ticket, scan.refusal
        if ticket is not None:
            state = ticket.order.state
            if state in (OrderState.CANCELLED, OrderState.REFUNDED):
                result = ScanResult.CANCELLED
            elif state != OrderState.PAID:
                result = ScanResult.UNPAID
            elif ticket.pk in made:
                result = ScanResult.ALREADY
            else:
                result = ScanResult.OK
                made.add(ticket.pk)
                check_ins.append(
                    CheckIn(
                        ticket=ticket,
                        event=event,
                        desk=scan.desk,
                        scanned_at=scan.at,
                        received_at=scan.at,
                        by=scan.by,
                    )
                )
        logged.append(
            Scan(
                event=event,
                ticket=ticket,
                result=result,
                desk=scan.desk,
                scanned_at=scan.at,
                received_at=scan.at,
                by=scan.by,
            )
        )
    CheckIn.objects.bulk_create(check_ins, batch_size=500)
    for entry in check_ins:
        rows.record(
            entry.received_at,
            action="checkin.created",
            actor=entry.by,
            target=entry,
            ticket=entry.ticket.pk,
            order=entry.ticket.order.code,
            desk=entry.desk,
            offline=False,
        )
    rows.write()
    Scan.objects.bulk_create(logged, batch_size=500)
    return Counter(scan.result for scan in logged)
