"""The independent checker must itself catch broken schedules, or the property tests prove nothing."""

from tests.scheduling.solver.checker import violations
from tests.scheduling.solver.instances import instance, room, session, slots


def test_violations_finds_every_kind_of_broken_rule():
    data = instance(
        slot_list=slots(per_day=4, lunch_after=2),
        rooms=[room("A", unavailable=["d0s3"]), room("B", tags=["video"])],
        sessions=[
            session("a", speakers=["ann"]),
            session("b", speakers=["ann"]),
            session("long", length=2),
            session("key", plenary=True, pinned={"slot": "d0s0", "room": "B"}),
            session("vid", room_tags=["video"], allowed=["d0s0"]),
            session("late"),
        ],
        min_pause_slots=1,
    )
    solution = {
        "assignments": [
            {"session": "a", "slot": "d0s0", "room": "A"},
            {"session": "b", "slot": "d0s1", "room": "B"},
            {"session": "long", "slot": "d0s1", "room": "A"},
            {"session": "key", "slot": "d0s2", "room": "B"},
            {"session": "vid", "slot": "d0s3", "room": "A"},
        ],
        "unscheduled": [],
    }

    found = violations(data, solution)

    assert found == [
        "late is not exactly once placed or unscheduled",
        "long does not get 2 consecutive slots",
        "pinned key moved",
        "vid runs outside its allowed slots",
        "vid uses A when it is unavailable",
        "vid is in a room without its tags",
        "a and b need the same speaker at once",
    ]


def test_violations_accepts_a_valid_schedule_and_sees_shared_rooms_and_plenaries():
    data = instance(
        slot_list=slots(per_day=2),
        rooms=[room("A"), room("B")],
        sessions=[session("a"), session("b"), session("key", plenary=True)],
    )
    valid = {
        "assignments": [
            {"session": "a", "slot": "d0s0", "room": "A"},
            {"session": "b", "slot": "d0s0", "room": "B"},
            {"session": "key", "slot": "d0s1", "room": "A"},
        ],
        "unscheduled": [],
    }
    broken = {
        "assignments": [
            {"session": "a", "slot": "d0s0", "room": "A"},
            {"session": "b", "slot": "d0s0", "room": "A"},
            {"session": "key", "slot": "d0s0", "room": "B"},
        ],
        "unscheduled": [],
    }

    assert violations(data, valid) == []
    assert violations(data, broken) == [
        "a and b share a room",
        "a and key run at once although one is plenary",
        "b and key run at once although one is plenary",
    ]
