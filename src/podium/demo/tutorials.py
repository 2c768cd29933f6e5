"""The demo conference's tutorials are booked seat by seat: the "Tutorial" session type requires a seat,
one tutorial is sold out with a waiting list, and a few more have seats taken.

Everything goes through the services (the session type, a session's own seats, tickets issued by hand,
bookings and waiting-list places), after the program's last release. The people are accounts of their
own under the demo's domain ("learner<n>@…"), so this works whether or not the demo has other
attendees; when the event sells tickets, each learner is first given one by hand (seats are for ticket
holders).
"""

import random
from dataclasses import dataclass

from podium.accounts.models import User
from podium.attendance import seat_queries, seats
from podium.attendance.models import SeatBooking, SeatState
from podium.demo import words
from podium.demo.shape import DOMAIN
from podium.events import services as event_services
from podium.events.models import Event
from podium.registration import setup as registration_setup
from podium.registration.enums import Visibility
from podium.registration.issuing import issue_tickets
from podium.registration.models import TicketType
from podium.schedule.queries import latest_release

TYPE_NAME = "Tutorial"
TYPE_MINUTES = 180
SEATS_PER_TUTORIAL = 40
# The sold-out tutorial is small (a workshop with hardware on every table): its seats, and who waits.
SOLD_OUT_SEATS = 12
WAITING = 4
# Seats taken at the other tutorials, from the learners who have none in the same block.
OTHER_BOOKINGS = 3
LEARNERS = SOLD_OUT_SEATS + WAITING + 8
GUEST_TYPE = "Tutorial guests"


@dataclass(frozen=True)
class TutorialSummary:
    sold_out: str  # the title of the sold-out tutorial
    booked: int
    waiting: int


def learner_email(number: int) -> str:
    return f"learner{number}@{DOMAIN}"


def _seat_type(event: Event, admin):
    """The event's "Tutorial" type, made to require a seat (created when the event has none)."""
    found = event.session_types.filter(name=TYPE_NAME).first()
    data = {"requires_seat": True, "seats": SEATS_PER_TUTORIAL}
    if found is None:
        data.update({"name": TYPE_NAME, "duration_minutes": TYPE_MINUTES})
    return event_services.save_session_type(event=event, by=admin, data=data, session_type=found)


def _learners(rng: random.Random, password_hash: str) -> list:
    emails = [learner_email(number) for number in range(1, LEARNERS + 1)]
    User.objects.bulk_create(
        [
            User(
                email=email,
                name=f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}",
                password=password_hash,
            )
            for email in emails
        ]
    )
    by_email = {user.email: user for user in User.objects.filter(email__in=emails)}
    return [by_email[email] for email in emails]


def _ticket_type_for(event: Event, admin, count: int) -> TicketType:
    """A ticket type with `count` seats left for the learners' tickets: the first public one, else a
    hidden one made for them (issuing by hand ignores visibility)."""
    for ticket_type in TicketType.objects.filter(event=event, active=True).order_by("position", "pk"):
        if ticket_type.visibility == Visibility.PUBLIC and (
            ticket_type.seats_left is None or ticket_type.seats_left >= count
        ):
            return ticket_type
    return registration_setup.save_ticket_type(
        event=event,
        by=admin,
        data={
            "name": GUEST_TYPE,
            "price": 0,
            "visibility": Visibility.VOUCHER,
            "description": "Given by hand.",
        },
    )


def _give_tickets(event: Event, admin, people: list) -> None:
    """When the event sells tickets, each person gets one by hand (no mail: the demo sends none)."""
    if not seat_queries.sells_tickets(event):
        return
    without = [person for person in people if not seat_queries.holds_ticket(person, event)]
    if without:
        issue_tickets(
            event=event,
            ticket_type=_ticket_type_for(event, admin, len(without)),
            people=[(person.name, person.email) for person in without],
            by=admin,
            send_mail=False,
        )


def build_tutorials(*, event: Event, admin, seed: int) -> TutorialSummary:
    """Seats at `event`'s tutorials, acting as `admin` (after the program's last release).

    Side effects: as the services called (audit entries; the learners' ticket orders when the event
    sells tickets).
    """
    rng = random.Random(seed)
    _seat_type(event, admin)
    release = latest_release(event)
    codes = list(
        seat_queries.released_seat_sessions(release)
        .filter(session_type=TYPE_NAME)
        .order_by("start", "room_name")
        .values_list("code", flat=True)
    )
    tutorials = {
        p.code: p for p in event.proposals.filter(code__in=codes).select_related("event", "session_type")
    }
    ordered = [tutorials[code] for code in codes if code in tutorials]
    sold_out, others = ordered[0], ordered[1:]
    learners = _learners(rng, admin.password)
    _give_tickets(event, admin, learners)

    seats.set_seat_capacity(proposal=sold_out, capacity=SOLD_OUT_SEATS, by=admin)
    for person in learners[:SOLD_OUT_SEATS]:
        seats.book_seat(proposal=sold_out, by=person)
    for person in learners[SOLD_OUT_SEATS : SOLD_OUT_SEATS + WAITING]:
        seats.join_seat_waiting_list(proposal=sold_out, by=person)
    free = learners[SOLD_OUT_SEATS + WAITING :]
    for tutorial in others:
        takers = [
            person
            for person in free
            if seat_queries.clashing_seat(person, _session(release, tutorial)) is None
        ]
        for person in takers[:OTHER_BOOKINGS]:
            seats.book_seat(proposal=tutorial, by=person)
    bookings = SeatBooking.objects.filter(event=event)
    return TutorialSummary(
        sold_out=sold_out.title,
        booked=bookings.filter(state=SeatState.BOOKED).count(),
        waiting=bookings.filter(state=SeatState.WAITING).count(),
    )


def _session(release, proposal):
    session = seat_queries.released_seat_sessions(release).get(code=proposal.code)
    session.release = release
    return session
