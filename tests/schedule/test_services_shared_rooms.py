"""Sessions side by side in one room, as an imported file has them (Slot.shares_room), and the bulk
placing service the importer uses (schedule.services.place_sessions)."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from podium.base.errors import NotAllowed, ServiceError
from podium.schedule import services
from podium.schedule.conflicts import WARNING, find_conflicts
from podium.schedule.models import Slot
from podium.scheduling import solving
from tests import factories
from tests.program import at, place, placed_talk, room, talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


def placement(event, proposal, room_name, start, minutes=30):
    return services.Placement(proposal, room(event, room_name), start, start + dt.timedelta(minutes=minutes))


def place_many(event, placements, by=None, **kwargs):
    return services.place_sessions(event=event, placements=placements, by=by, **kwargs)


# --- The database's rule -----------------------------------------------------------------------------


def test_two_marked_slots_may_share_a_room_but_an_unmarked_one_never_joins_them(event, scheduler):
    first, second = talk(event, "First"), talk(event, "Second")
    hall = room(event, "Hall A")
    Slot.objects.create(event=event, proposal=first, room=hall, start=at(event, 10), end=at(event, 11),
                        shares_room=True)  # fmt: skip
    Slot.objects.create(event=event, proposal=second, room=hall, start=at(event, 10, 30), end=at(event, 11),
                        shares_room=True)  # fmt: skip

    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(event=event, proposal=talk(event, "Third"), room=hall, start=at(event, 10),
                            end=at(event, 10, 30))  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(proposal=second).update(shares_room=False)


def test_the_editor_cannot_place_a_session_beside_shared_ones_and_a_move_clears_the_mark(event, scheduler):
    first, second = talk(event, "First"), talk(event, "Second")
    place_many(event, [placement(event, first, "Hall A", at(event, 10)),
                       placement(event, second, "Hall A", at(event, 10, 15))], share_rooms=True)  # fmt: skip

    with pytest.raises(ServiceError, match="Hall A is taken"):
        placed_talk(event, "Latecomer", "Hall A", at(event, 10), scheduler)

    moved = place(event, second, "Room 101", at(event, 10), scheduler)
    assert moved.shares_room is False
    assert not [c for c in find_conflicts(event) if c.kind == "room_shared"]


# --- place_sessions ----------------------------------------------------------------------------------


def test_place_sessions_refuses_a_taken_room_with_the_editors_words_unless_sharing(event, scheduler):
    placed_talk(event, "Already there", "Hall A", at(event, 10), scheduler)
    newcomer = talk(event, "Newcomer")

    result = place_many(event, [placement(event, newcomer, "Hall A", at(event, 10, 15))], by=scheduler)

    assert result.refused[0][1].startswith("Hall A is taken")
    assert "Already there" in result.refused[0][1]
    assert (
        newcomer.slot_or_none() is None
        if hasattr(newcomer, "slot_or_none")
        else not Slot.objects.filter(proposal=newcomer).exists()
    )

    shared = place_many(
        event, [placement(event, newcomer, "Hall A", at(event, 10, 15))], by=scheduler, share_rooms=True
    )
    assert [(p.proposal.title, other) for p, other in shared.shared] == [("Newcomer", "Already there")]
    marks = dict(event.slots.values_list("proposal__title", "shares_room"))
    assert marks == {"Already there": True, "Newcomer": True}
    conflicts = [c for c in find_conflicts(event) if c.kind == "room_shared"]
    assert len(conflicts) == 1
    assert conflicts[0].severity == WARNING
    assert "“Already there” and “Newcomer” share Hall A" in conflicts[0].message


def test_place_sessions_swaps_two_sessions_without_colliding(event, scheduler):
    a = placed_talk(event, "A", "Hall A", at(event, 10), scheduler)
    b = placed_talk(event, "B", "Room 101", at(event, 10), scheduler)

    result = place_many(
        event,
        [placement(event, a, "Room 101", at(event, 10)), placement(event, b, "Hall A", at(event, 10))],
        by=scheduler,
    )

    assert not result.refused
    assert not result.shared
    assert len(result.moved) == 2
    rooms = dict(event.slots.values_list("proposal__title", "room__name"))
    assert rooms == {"A": "Room 101", "B": "Hall A"}
    assert not event.slots.filter(shares_room=True).exists()


def test_place_sessions_keeps_what_is_already_there_and_counts_it(event, scheduler):
    a = placed_talk(event, "A", "Hall A", at(event, 10), scheduler)
    version = a.slot.version

    result = place_many(event, [placement(event, a, "Hall A", at(event, 10))], by=scheduler)

    assert [slot.proposal_id for slot in result.unchanged] == [a.pk]
    assert Slot.objects.get(proposal=a).version == version


def test_place_sessions_refuses_sessions_that_are_not_accepted_and_checks_rights(event, scheduler):
    submitted = talk(event, "Still in review", state="submitted")
    result = place_many(event, [placement(event, submitted, "Hall A", at(event, 10))], by=scheduler)
    assert result.refused[0][1] == "it is submitted"
    assert not Slot.objects.filter(proposal=submitted).exists()

    with pytest.raises(NotAllowed):
        place_many(event, [], by=factories.UserFactory())


def test_place_sessions_clears_a_cancelled_sessions_place_in_the_way(event, scheduler):
    gone = placed_talk(event, "Cancelled", "Hall A", at(event, 10), scheduler)
    gone.state = "cancelled"
    gone.save(update_fields=["state"])
    newcomer = talk(event, "Newcomer")

    result = place_many(event, [placement(event, newcomer, "Hall A", at(event, 10))], by=scheduler)

    assert not result.refused
    assert not result.shared
    assert Slot.objects.get(proposal=gone).start is None


# --- The engine leaves shared sessions where they are ---------------------------------------------------


def test_the_engine_keeps_sessions_that_share_a_room_in_place_and_blocks_the_room(event, scheduler):
    first, second = talk(event, "First"), talk(event, "Second")
    place_many(event, [placement(event, first, "Hall A", at(event, 10)),
                       placement(event, second, "Hall A", at(event, 10))], share_rooms=True)  # fmt: skip

    instance = solving.build_instance(event)

    codes = {entry["id"] for entry in instance["sessions"]}
    assert first.code not in codes
    assert second.code not in codes
    hall = next(r for r in instance["rooms"] if r["id"] == solving.room_id(room(event, "Hall A")))
    assert solving.slot_id(at(event, 10), event) in hall["unavailable"]
