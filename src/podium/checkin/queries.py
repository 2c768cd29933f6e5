"""What the desks and the organisers read: the search, the attendee list a desk keeps for offline
use, the desks' log, and the live figures (checked in against sold, check-ins per quarter hour)."""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Value, When

from podium.base.pdf import unprintable
from podium.checkin.models import CheckIn, Scan
from podium.registration.enums import OrderState
from podium.registration.models import Ticket, TicketType
from podium.registration.tickets import token_for

SEARCH_LIMIT = 20
BUCKET = dt.timedelta(minutes=15)


def checked_in(ticket: Ticket) -> CheckIn | None:
    """The ticket's check-in, or None (read from `select_related("check_in")` when loaded so)."""
    return ticket.check_in if hasattr(ticket, "check_in") else None


def _event_tickets(event):
    return Ticket.objects.filter(order__event=event).select_related("order", "ticket_type", "check_in")


def find_attendees(event, query: str, *, limit: int = SEARCH_LIMIT) -> list[Ticket]:
    """The event's tickets whose attendee name or address contains `query`, or whose order code it is;
    in every order state (a cancelled or unpaid ticket is found, to show why it admits nobody), paid
    ones first. Each with its order, type and check-in loaded."""
    query = " ".join(str(query or "").split())
    if len(query) < 2:
        return []
    paid_first = Case(
        When(order__state=OrderState.PAID, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    found = (
        _event_tickets(event)
        .filter(
            Q(attendee_name__icontains=query)
            | Q(attendee_email__icontains=query)
            | Q(order__code__iexact=query)
        )
        .order_by(paid_first, "attendee_name", "pk")
    )
    return list(found[:limit])


def attendee_list(event) -> list[dict]:
    """Every ticket of the event as a desk keeps it for checking codes offline: id, attendee, company,
    type, order code and state, the ticket's current token (its QR code's, see docs/checkin.md), and
    when and where it was checked in. One query, whatever the number of tickets."""
    rows = []
    for ticket in _event_tickets(event).order_by("pk"):
        entry = checked_in(ticket)
        rows.append(
            {
                "id": ticket.pk,
                "name": ticket.attendee_name,
                "company": ticket.attendee_company,
                "type": ticket.ticket_type.name,
                "order": ticket.order.code,
                "state": ticket.order.state,
                "token": token_for(ticket),
                "checked_in_at": entry.scanned_at.isoformat() if entry else None,
                "desk": entry.desk if entry else None,
            }
        )
    return rows


def recent_scans(event, *, limit: int = 20):
    """The event's latest scans, newest first, with their tickets."""
    return (
        Scan.objects.filter(event=event)
        .select_related("ticket__ticket_type")
        .order_by("-received_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class TypeFigures:
    name: str
    sold: int
    checked_in: int

    @property
    def percent(self) -> int:
        return round(100 * self.checked_in / self.sold) if self.sold else 0


@dataclass(frozen=True)
class Bar:
    start: dt.datetime  # local time of the quarter hour
    count: int


@dataclass(frozen=True)
class DayChart:
    day: dt.date
    bars: list[Bar]

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def highest(self) -> int:
        return max((bar.count for bar in self.bars), default=0)


def figures_by_type(event) -> list[TypeFigures]:
    """Per ticket type: tickets of paid orders (sold) and how many of them are checked in."""
    types = (
        TicketType.objects.filter(event=event)
        .annotate(
            sold=Count("tickets", filter=Q(tickets__order__state=OrderState.PAID), distinct=True),
            arrived=Count(
                "tickets__check_in",
                filter=Q(tickets__order__state=OrderState.PAID),
                distinct=True,
            ),
        )
        .order_by("position", "name")
    )
    return [TypeFigures(name=t.name, sold=t.sold, checked_in=t.arrived) for t in types]


def _quarter(moment: dt.datetime) -> dt.datetime:
    return moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)


def check_ins_per_quarter(event, *, first_hour: int = 8, last_hour: int = 18) -> list[DayChart]:
    """Check-ins per 15 minutes (by when the desk scanned, in the event's time zone), one chart per day
    of the event and per other day with check-ins; each day from `first_hour` to `last_hour`, widened
    to its first and last check-in."""
    tz = event.tz
    moments = [
        m.astimezone(tz) for m in CheckIn.objects.filter(event=event).values_list("scanned_at", flat=True)
    ]
    counts = Counter(_quarter(moment) for moment in moments)
    days = sorted(set(event.days) | {moment.date() for moment in moments})
    charts = []
    for day in days:
        quarters = [q for q in counts if q.date() == day]
        start_hour = min([first_hour, *(q.hour for q in quarters)])
        end = max([dt.datetime.combine(day, dt.time(last_hour), tzinfo=tz), *(q + BUCKET for q in quarters)])
        moment = dt.datetime.combine(day, dt.time(start_hour), tzinfo=tz)
        bars = []
        while moment < end:
            bars.append(Bar(start=moment, count=counts.get(moment, 0)))
            moment += BUCKET
        charts.append(DayChart(day=day, bars=bars))
    return charts


@dataclass(frozen=True)
class Unprintable:
    """A badge that cannot print as written: whose, and the words it cannot print."""

    ticket_id: int
    name: str
    words: list[str]


def unprintable_badges(event) -> list[Unprintable]:
    """The badges of badge_tickets(event) holding letters no font of the PDF has (base.pdf
    `unprintable`), by name; the badges still print, and the desk page names these so they can be
    written by hand."""
    found = []
    rows = badge_tickets(event).values_list("pk", "attendee_name", "attendee_company", "ticket_type__name")
    for pk, name, company, ticket_type in rows:
        shown = f"{name} {company} {ticket_type}"
        if not shown.isascii() and (words := unprintable(shown)):
            found.append(Unprintable(pk, name, words))
    return found


def badge_tickets(event, ticket_id: int | None = None):
    """The tickets of the event's paid orders (or the one with `ticket_id`), by attendee name, with
    what a badge prints loaded."""
    found = (
        Ticket.objects.filter(order__event=event, order__state=OrderState.PAID)
        .select_related("order__event", "ticket_type")
        .order_by("attendee_name", "pk")
    )
    return found.filter(pk=ticket_id) if ticket_id is not None else found
