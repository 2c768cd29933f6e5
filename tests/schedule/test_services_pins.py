"""A pin means "keep it where it is": every way a session leaves the grid drops its pin."""

import datetime as dt

import pytest

from podium.proposals.services import set_state_as_organiser
from podium.schedule import dayof, services
from podium.schedule.models import Slot
from tests import factories
from tests.program import at, place, placed_talk, room, talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


def pin(event, proposal, by) -> Slot:
    slot = Slot.objects.get(proposal=proposal)
    return services.set_pinned(event=event, proposal=proposal, pinned=True, version=slot.version, by=by)


def test_unscheduling_a_pinned_session_drops_its_pin(event, scheduler):
    proposal = placed_talk(event, "Pinned", "Hall A", at(event, 10), scheduler)
    pinned = pin(event, proposal, scheduler)

    slot = services.unschedule_session(event=event, proposal=proposal, version=pinned.version, by=scheduler)

    assert (slot.start, slot.pinned) == (None, False)
    assert Slot.objects.get(proposal=proposal).pinned is False


def test_moving_a_pinned_session_keeps_its_pin(event, scheduler):
    proposal = placed_talk(event, "Pinned", "Hall A", at(event, 10), scheduler)
    pin(event, proposal, scheduler)

    moved = place(event, proposal, "Room 101", at(event, 14), scheduler)

    assert (moved.room.name, moved.pinned) == ("Room 101", True)


def test_a_cancelled_pinned_session_keeps_its_place_until_another_takes_it_then_loses_its_pin(
    event, scheduler
):
    cancelled = placed_talk(event, "Cancelled", "Hall A", at(event, 10), scheduler)
    other = placed_talk(event, "Other", "Room 101", at(event, 14), scheduler)
    pin(event, cancelled, scheduler)
    cancelled.refresh_from_db()
    dayof.apply_and_publish(
        event=event, by=scheduler, change=dayof.SessionCancel(proposal=cancelled, version=cancelled.version)
    )
    kept = Slot.objects.get(proposal=cancelled)
    assert (kept.start, kept.pinned) == (at(event, 10), True)  # it comes back there if reinstated

    version = Slot.objects.get(proposal=other).version
    dayof.apply_and_publish(
        event=event,
        by=scheduler,
        change=dayof.SessionMove(
            proposal=other, room=room(event, "Hall A"), start=at(event, 10), version=version
        ),
    )

    cleared = Slot.objects.get(proposal=cancelled)
    assert (cleared.start, cleared.pinned) == (None, False)


def test_placing_many_drops_the_pin_of_a_refused_move_and_keeps_the_others(event, scheduler):
    stays_out = placed_talk(event, "Refused", "Hall A", at(event, 10), scheduler)
    moves = placed_talk(event, "Moves", "Hall A", at(event, 11), scheduler)
    blocker = placed_talk(event, "Blocker", "Room 101", at(event, 15), scheduler)
    pin(event, stays_out, scheduler)
    pin(event, moves, scheduler)

    def placement(proposal, room_name, start):
        return services.Placement(proposal, room(event, room_name), start, start + dt.timedelta(minutes=30))

    result = services.place_sessions(
        event=event,
        placements=[
            placement(stays_out, "Room 101", at(event, 15)),
            placement(moves, "Room 101", at(event, 9)),
        ],
        by=scheduler,
    )

    assert [p.proposal for p, _ in result.refused] == [stays_out]
    refused = Slot.objects.get(proposal=stays_out)
    assert (refused.start, refused.pinned) == (None, False)
    moved = Slot.objects.get(proposal=moves)
    assert (moved.start, moved.pinned) == (at(event, 9), True)
    assert Slot.objects.get(proposal=blocker).start == at(event, 15)


def test_withdrawn_pinned_session_in_the_way_of_an_import_loses_place_and_pin(event, scheduler):
    gone = placed_talk(event, "Withdrawn", "Hall A", at(event, 10), scheduler)
    pin(event, gone, scheduler)
    set_state_as_organiser(proposal=gone, to_state="cancelled", by=scheduler)
    newcomer = talk(event, "Newcomer")

    services.place_sessions(
        event=event,
        placements=[services.Placement(newcomer, room(event, "Hall A"), at(event, 10), at(event, 10, 30))],
        by=scheduler,
    )

    cleared = Slot.objects.get(proposal=gone)
    assert (cleared.start, cleared.pinned) == (None, False)
