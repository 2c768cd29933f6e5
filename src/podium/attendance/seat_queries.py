"""Reads of the seats at sessions that need one (tutorials): how many a session has and how many are
left, a person's seats and waiting-list places, who sits where, and the counters' invariant.

A session's capacity is its own (`SessionSeats.capacity`, set by the organisers), else the smaller of
its type's `seats` and the capacity of the room the latest release puts it in (as that release
published the room). The seats taken are the counter's (`SessionSeats.taken`), which always equals the
session's booked rows (`seat_count_drift`).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from podium.attendance.models import SeatBooking, SeatState, SessionSeats
from podium.events.models import Event
from podium.proposals.models import Proposal
from podium.proposals.states import SCHEDULABLE
from podium.registration.enums import OrderState
from podium.registration.models import Ticket, TicketType
from podium.schedule.models import Release, ReleasedSession, SlotKind


@dataclass(frozen=True)
class Seats:
    """A session's seats as last counted: its capacity, the seats booked, the people waiting."""

    capacity: int
    taken: int
    waiting: int

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.left == 0

    @property
    def key(self) -> str:
        """What a cached page showing these seats depends on (site.pagecache variants)."""
        return f"{self.capacity}:{self.taken}:{self.waiting}"


def default_capacity(type_seats: int | None, room_capacity: int | None) -> int:
    """The seats a session has without its own number: the smaller of its type's seats and its room's
    capacity (a room without a capacity does not limit it)."""
    known = [value for value in (type_seats, room_capacity) if value is not None]
    return min(known) if known else 0


def room_capacities(release: Release) -> dict[int, int | None]:
    """{room id: capacity} as the release published its rooms."""
    return {room["id"]: room.get("capacity") for room in release.rooms}


def released_seat_sessions(release: Release) -> QuerySet[ReleasedSession]:
    return release.sessions.filter(kind=SlotKind.SESSION)


def seats_by_code(event: Event, release: Release | None, codes=None) -> dict[str, Seats]:
    """{code: Seats} of the sessions on `release` whose type requires a seat (only `codes`, when given).
    One query, however many sessions."""
    if release is None:
        return {}
    sessions = released_seat_sessions(release)
    proposals = event.proposals.filter(session_type__requires_seat=True, code__in=sessions.values("code"))
    if codes is not None:
        proposals = proposals.filter(code__in=list(codes))
    rows = proposals.annotate(
        room=Subquery(sessions.filter(code=OuterRef("code")).values("room_id")[:1]),
        waiting=Coalesce(
            Subquery(
                SeatBooking.objects.filter(proposal=OuterRef("pk"), state=SeatState.WAITING)
                .order_by()
                .values("proposal")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            Value(0),
        ),
    ).values_list(
        "code", "session_type__seats", "seat_counter__capacity", "seat_counter__taken", "room", "waiting"
    )
    rooms = room_capacities(release)
    return {
        code: Seats(
            capacity=own if own is not None else default_capacity(type_seats, rooms.get(room)),
            taken=taken or 0,
            waiting=waiting,
        )
        for code, type_seats, own, taken, room, waiting in rows
    }


def seats_key(seats: dict[str, Seats]) -> str:
    """One text that changes whenever any of these sessions' seats change (a cached page's variant)."""
    return "|".join(f"{code}={seats[code].key}" for code in sorted(seats))


def mark_seats(items, seats: dict[str, Seats]):
    """Set `seats` (Seats or None) on each released session for the templates; returns them."""
    for item in items:
        item.seats = seats.get(item.code) if item.code else None
    return items


def program_session(proposal: Proposal) -> ReleasedSession | None:
    """The session as the event's latest release has it (public or not: for its organisers), or None."""
    release = Release.objects.filter(event_id=proposal.event_id).order_by("-version").first()
    if release is None:
        return None
    session = released_seat_sessions(release).filter(code=proposal.code).first()
    if session is not None:
        session.release = release
    return session


def capacity_of(proposal: Proposal, session: ReleasedSession | None, counter: SessionSeats | None) -> int:
    """The seats of `proposal` (a session whose type requires a seat), placed as `session` shows it."""
    if counter is not None and counter.capacity is not None:
        return counter.capacity
    room = room_capacities(session.release).get(session.room_id) if session is not None else None
    return default_capacity(proposal.session_type.seats, room)


def seats_of(proposal: Proposal, session: ReleasedSession | None) -> Seats:
    """The seats of one session that requires a seat (`session`: as the latest release has it, if it does)."""
    counter = SessionSeats.objects.filter(proposal=proposal).first()
    waiting = SeatBooking.objects.filter(proposal=proposal, state=SeatState.WAITING).count()
    return Seats(capacity_of(proposal, session, counter), counter.taken if counter else 0, waiting)


# --- A person's seats ----------------------------------------------------------------------------------


def _position():
    """The waiting-list place of each booking in the queryset (1 is next), as a subquery."""
    ahead = (
        SeatBooking.objects.filter(proposal=OuterRef("proposal"), state=SeatState.WAITING)
        .filter(Q(created__lt=OuterRef("created")) | Q(created=OuterRef("created"), pk__lte=OuterRef("pk")))
        .order_by()
        .values("proposal")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Subquery(ahead)


def bookings_of(event: Event, user) -> dict[str, SeatBooking]:
    """{code: booking} of `user`'s seats and waiting-list places in `event` (waiting ones with their
    `position`, 1 being next). Empty for anonymous visitors."""
    if not user.is_authenticated:
        return {}
    rows = (
        SeatBooking.objects.filter(event=event, user=user)
        .select_related("proposal")
        .annotate(position=_position())
        .order_by("created", "pk")
    )
    return {booking.proposal.code: booking for booking in rows}


def booked_codes(event: Event, user) -> set[str]:
    """The codes of the sessions where `user` has a seat (not those they wait for)."""
    return set(
        SeatBooking.objects.filter(event=event, user=user, state=SeatState.BOOKED).values_list(
            "proposal__code", flat=True
        )
    )


def waiting_position(booking: SeatBooking) -> int | None:
    """Where a waiting booking is on its session's list (1 is next); None for a booked seat."""
    if booking.state != SeatState.WAITING:
        return None
    return (
        SeatBooking.objects.filter(proposal_id=booking.proposal_id, state=SeatState.WAITING)
        .filter(Q(created__lt=booking.created) | Q(created=booking.created, pk__lte=booking.pk))
        .count()
    )


def clashing_seat(
    user, session: ReleasedSession, *, release: Release | None = None
) -> ReleasedSession | None:
    """The first session of the same release, other than `session`, where `user` has a seat and that
    overlaps it in time; None when there is none. Seats at sessions no longer on the program do not clash."""
    release = release or session.release
    held = SeatBooking.objects.filter(event_id=release.event_id, user=user, state=SeatState.BOOKED).values(
        "proposal__code"
    )
    return (
        released_seat_sessions(release)
        .filter(code__in=held, start__lt=session.end, end__gt=session.start)
        .exclude(code=session.code)
        .order_by("start", "pk")
        .first()
    )


def sells_tickets(event: Event) -> bool:
    """Whether the event has registration with ticket types: seats are then for ticket holders."""
    return TicketType.objects.filter(event=event).exists()


def holds_ticket(user, event: Event) -> bool:
    """Whether `user` holds a valid ticket of `event`: in a paid order (not cancelled or refunded) that
    they bought, or naming their e-mail address as the attendee's."""
    return (
        Ticket.objects.filter(order__event=event, order__state=OrderState.PAID)
        .filter(Q(order__buyer=user) | Q(attendee_email__iexact=user.email))
        .exists()
    )


# --- The organisers' lists -----------------------------------------------------------------------------


@dataclass
class SeatSession:
    """A session that requires a seat, for the organisers: where the latest release has it (`session`,
    None when it is not on the program) and its seats."""

    proposal: Proposal
    session: ReleasedSession | None
    seats: Seats

    @property
    def on_program(self) -> bool:
        return self.session is not None


def seat_sessions(event: Event, release: Release | None) -> list[SeatSession]:
    """The event's sessions whose type requires a seat, that are accepted or confirmed or hold bookings,
    in program order (those not on the program last, by title). A fixed number of queries."""
    proposals = list(
        event.proposals.filter(session_type__requires_seat=True)
        .filter(Q(state__in=SCHEDULABLE) | Q(seat_bookings__isnull=False))
        .distinct()
        .select_related("session_type", "seat_counter")
        .annotate(
            waiting=Count("seat_bookings", filter=Q(seat_bookings__state=SeatState.WAITING), distinct=True)
        )
        .order_by("title", "code")
    )
    sessions = {}
    if release is not None:
        sessions = {
            session.code: session
            for session in released_seat_sessions(release).filter(code__in=[p.code for p in proposals])
        }
        for session in sessions.values():
            session.release = release  # capacity_of reads the release's rooms
    rows = []
    for proposal in proposals:
        counter = getattr(proposal, "seat_counter", None)
        session = sessions.get(proposal.code)
        seats = Seats(
            capacity_of(proposal, session, counter), counter.taken if counter else 0, proposal.waiting
        )
        rows.append(SeatSession(proposal, session, seats))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    rows.sort(key=lambda row: (row.session is None, row.session.start if row.session else far))
    return rows


def session_people(proposal: Proposal) -> tuple[list[SeatBooking], list[SeatBooking]]:
    """(the seats booked, in the order they were booked; the waiting list, in its order), with the people."""
    bookings = list(SeatBooking.objects.filter(proposal=proposal).select_related("user"))
    booked = sorted((b for b in bookings if b.state == SeatState.BOOKED), key=lambda b: (b.booked_at, b.pk))
    waiting = [b for b in bookings if b.state == SeatState.WAITING]  # the model's order: first come first
    for position, booking in enumerate(waiting, start=1):
        booking.position = position
    return booked, waiting


def seat_count_drift(event: Event) -> dict[str, tuple[int, int]]:
    """{code: (taken, booked rows)} of every session of the event whose counter disagrees with its
    booked rows; empty when the invariant holds."""
    counters = SessionSeats.objects.filter(event=event).annotate(
        booked=Count("proposal__seat_bookings", filter=Q(proposal__seat_bookings__state=SeatState.BOOKED))
    )
    drift = {row.proposal.code: (row.taken, row.booked) for row in counters.select_related("proposal")}
    drift = {code: pair for code, pair in drift.items() if pair[0] != pair[1]}
    # Booked rows without a counter at all would be seats nobody counted.
    uncounted = (
        SeatBooking.objects.filter(event=event, state=SeatState.BOOKED, proposal__seat_counter__isnull=True)
        .values_list("proposal__code")
        .annotate(count=Count("pk"))
        .order_by()
    )
    drift.update({code: (0, count) for code, count in uncounted})
    return drift
