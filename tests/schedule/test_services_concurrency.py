"""Two organisers moving the same session, or two sessions into one room, at the same moment.

Each move runs in its own thread and database connection, released together. This runs on SQLite
and, in the PostgreSQL pass of the suite, on PostgreSQL (where the exclusion constraint is the guard).
"""

import datetime as dt

import pytest

from podium.base.errors import ServiceError, StaleEdit
from podium.schedule import services
from podium.schedule.models import Slot
from tests import factories
from tests.races import race


def _at(event, hour):
    return dt.datetime.combine(event.date_from, dt.time(hour), tzinfo=event.tz)


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_moves_of_one_session_give_one_success_and_one_refusal():
    event = factories.EventFactory()
    scheduler = factories.team_member(event, can_schedule=True)
    hall, small = event.rooms.order_by("position")
    proposal = factories.ProposalFactory(event=event, state="confirmed")
    services.place_session(
        event=event, proposal=proposal, room=hall, start=_at(event, 9), version=0, by=scheduler
    )

    def move(room, hour):
        return lambda: services.place_session(
            event=event, proposal=proposal, room=room, start=_at(event, hour), version=1, by=scheduler
        )

    results = race(move(hall, 11), move(small, 14))

    outcomes = sorted(type(result).__name__ for result in results)
    assert outcomes == ["Slot", "StaleEdit"], results
    winner = next(result for result in results if isinstance(result, Slot))
    stored = Slot.objects.get(proposal=proposal)
    assert (stored.room_id, stored.start, stored.version) == (winner.room_id, winner.start, 2)


@pytest.mark.django_db(transaction=True)
def test_two_sessions_placed_in_one_room_at_once_give_one_success_and_one_refusal():
    event = factories.EventFactory()
    scheduler = factories.team_member(event, can_schedule=True)
    hall = event.rooms.order_by("position").first()
    first, second = (factories.ProposalFactory(event=event, state="confirmed") for _ in range(2))

    def put(proposal):
        return lambda: services.place_session(
            event=event, proposal=proposal, room=hall, start=_at(event, 10), version=0, by=scheduler
        )

    results = race(put(first), put(second))

    assert sorted(type(result).__name__ for result in results) == ["ServiceError", "Slot"], results
    refusal = next(result for result in results if isinstance(result, ServiceError))
    assert not isinstance(refusal, StaleEdit)
    assert "Hall A is taken" in refusal.message
    assert Slot.objects.filter(event=event, room=hall, start__isnull=False).count() == 1
