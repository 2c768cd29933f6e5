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


def _quarter(moment: dt.datetime, tz) -> dt.datetime:
    """The quarter hour of the event's clock that `moment` falls in, as an instant (UTC): in the night
    the clocks go back, each of the two 02:00 hours keeps its own four quarters."""
    local = moment.astimezone(tz)
    start = local.replace(minute=local.minute - local.minute % 15, second=0, microsecond=0)
    return start.astimezone(dt.UTC)


def _hour(quarter: dt.datetime, tz) -> dt.datetime:
    """The start of the clock's hour `quarter` is in (the first or the second 02:00, as it is)."""
    return quarter.astimezone(tz).replace(minute=0).astimezone(dt.UTC)


def _instant(day: dt.date, hour: int, tz) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz).astimezone(dt.UTC)


def check_ins_per_quarter(event, *, first_hour: int = 8, last_hour: int = 18) -> list[DayChart]:
    """Check-ins per 15 minutes (by when the desk scanned, in the event's time zone), one chart per day
    of the event and per other day with check-ins; each day from `first_hour` to `last_hour`, widened
    to its first and last check-in. The quarters follow the clock as it was: a night the clocks go
    back has an hour more of them, one they go forward an hour less."""
    tz = event.tz
    counts = Counter(
        _quarter(moment, tz)
        for moment in CheckIn.objects.filter(event=event).values_list("scanned_at", flat=True)
    )
    by_day: dict[dt.date, list[dt.datetime]] = {}
    for quarter in counts:
        by_day.setdefault(quarter.astimezone(tz).date(), []).append(quarter)
    charts = []
    for day in sorted(set(event.days) | set(by_day)):
        quarters = by_day.get(day, [])
        start = min([_instant(day, first_hour, tz), *(_hour(quarter, tz) for quarter in quarters)])
        end = max([_instant(day, last_hour, tz), *(quarter + BUCKET for quarter in quarters)])
        bars = []
        while start < end:
            bars.append(Bar(start=start.astimezone(tz), count=counts.get(start, 0)))
            start += BUCKET
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
