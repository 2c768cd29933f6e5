"""Sessions that need a booked seat, built through the real services: the event's "Tutorial" type with
seats, tutorials placed and released, and attendees with tickets."""

import datetime as dt

from django.utils import timezone

from podium.events.services import save_session_type
from podium.registration import services as registration_services
from tests import factories
from tests.program import at, placed_talk, release
from tests.registration import shop


def seated_type(event, seats: int = 3):
    """The event's "Tutorial" type, now booked seat by seat with `seats` seats per session."""
    tutorial = event.session_types.get(name="Tutorial")
    return save_session_type(
        event=event, by=None, data={"requires_seat": True, "seats": seats}, session_type=tutorial
    )


def tutorial(event, title: str, room_name: str, start, by, **kwargs):
    """A confirmed tutorial (180 minutes) placed in the draft."""
    return placed_talk(
        event, title, room_name, start, by, session_type=event.session_types.get(name="Tutorial"), **kwargs
    )


def tutorials(event=None, *, seats: int = 3) -> dict:
    """A released program with three tutorials of `seats` seats each and a talk:

    "Pandas from scratch" (Room 101, day one 9:00-12:00), "Async in depth" (Hall A, 10:00-13:00: it
    overlaps Pandas), "Testing with pytest" (Room 101, 14:00-17:00) and "A plain talk" (Hall A, 14:00,
    a talk: no seat). Release "v1".
    """
    event = event or factories.EventFactory()
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    seated_type(event, seats)
    program = {
        "event": event,
        "scheduler": scheduler,
        "pandas": tutorial(event, "Pandas from scratch", "Room 101", at(event, 9), scheduler),
        "async": tutorial(event, "Async in depth", "Hall A", at(event, 10), scheduler),
        "pytest": tutorial(event, "Testing with pytest", "Room 101", at(event, 14), scheduler),
        "talk": placed_talk(event, "A plain talk", "Hall A", at(event, 14), scheduler),
    }
    program["release"] = release(event, scheduler, name="v1")
    return program


def running_tutorials() -> dict:
    """A public event that began yesterday with one tutorial that has started ("Started", first day 9:00)
    and one still to come ("Tomorrow", third day 9:00), released."""
    today = timezone.localdate()
    event = factories.EventFactory(
        date_from=today - dt.timedelta(days=1), date_to=today + dt.timedelta(days=1)
    )
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    seated_type(event, 3)
    started = tutorial(event, "Started", "Room 101", at(event, 9), scheduler)
    tomorrow = tutorial(event, "Tomorrow", "Room 101", at(event, 9, day=2), scheduler)
    return {
        "event": event,
        "scheduler": scheduler,
        "started": started,
        "tomorrow": tomorrow,
        "release": release(event, scheduler, name="v1"),
    }


def people(count: int, prefix: str = "Learner") -> list:
    return [factories.UserFactory(name=f"{prefix} {n}") for n in range(1, count + 1)]


def sell_tickets(event):
    """Registration open with a free "Conference" ticket type: the event now sells tickets."""
    shop.open_registration(event)
    return shop.ticket_type(event, "Conference", price="0.00")


def give_ticket(event, user, ticket_type, *, attendee_email: str | None = None):
    """A paid (free) ticket bought by `user`, naming `attendee_email` (default: theirs)."""
    email = attendee_email or user.email
    return registration_services.place_order(
        event=event, buyer=user, items=[(ticket_type, user.name, email, {})], email=user.email
    )
