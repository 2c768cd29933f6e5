"""Properties of `solve` on random small instances, checked by tests/scheduling/solver/checker.py (not the
solver's code); at the end, the checker itself is seen catching broken schedules."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.scheduling.solver import solve
from tests.scheduling.solver.checker import occupied_slots, violations
from tests.scheduling.solver.instances import instance, room, session, slots

SMALL = settings(
    derandomize=True,
    max_examples=30,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def small_instances(draw):
    days = draw(st.integers(1, 2))
    per_day = draw(st.integers(2, 4))
    lunch = draw(st.sampled_from([None, 1]))
    slot_list = slots(days=days, per_day=per_day, lunch_after=lunch)
    slot_ids = [slot["id"] for slot in slot_list]
    room_count = draw(st.integers(1, 3))
    rooms = [
        room(
            f"r{i}",
            capacity=draw(st.sampled_from([20, 60, 200])),
            unavailable=draw(st.lists(st.sampled_from(slot_ids), max_size=2, unique=True)),
            tags=draw(st.sampled_from([[], ["video"]])),
        )
        for i in range(room_count)
    ]
    sessions = []
    data = instance(slot_list=slot_list, rooms=rooms, sessions=sessions)
    for i in range(draw(st.integers(1, 7))):
        item = session(
            f"s{i}",
            speakers=draw(
                st.lists(st.sampled_from(["p0", "p1", "p2", "p3"]), min_size=1, max_size=2, unique=True)
            ),
            length=draw(st.sampled_from([1, 1, 1, 2])),
            track=draw(st.sampled_from([None, "web", "data"])),
            plenary=draw(st.booleans()) and draw(st.booleans()),
            room_tags=draw(st.sampled_from([[], [], ["video"]])),
            audience=draw(st.integers(0, 150)),
            preferred=draw(st.lists(st.sampled_from(slot_ids), max_size=2, unique=True)),
        )
        if draw(st.booleans()):
            item["allowed"] = draw(st.lists(st.sampled_from(slot_ids), min_size=1, unique=True))
        if draw(st.integers(0, 4)) == 0:
            start = draw(st.sampled_from(slot_ids))
            if occupied_slots(data, item, start):
                item["allowed"] = "all"
                item["pinned"] = {"slot": start, "room": draw(st.sampled_from(rooms))["id"]}
        sessions.append(item)
    session_ids = [item["id"] for item in sessions]
    data["attendees"] = [
        {"id": f"a{a}", "starred": draw(st.lists(st.sampled_from(session_ids), max_size=4, unique=True))}
        for a in range(draw(st.integers(0, 5)))
    ]
    data["min_pause_slots"] = draw(st.integers(0, 1))
    return data


@SMALL
@given(small_instances())
def test_solve_keeps_every_hard_rule_and_never_moves_pins(data):
    solution = solve(data, time_limit=1).to_dict()

    assert violations(data, solution) == []
    if solution["unscheduled"]:
        assert solution["infeasible"], "a session left out without a proven conflict"


@SMALL
@given(small_instances(), st.data())
def test_solve_in_fill_mode_keeps_every_current_place(data, draws):
    earlier = solve(data, time_limit=1).to_dict()["assignments"]
    kept = (
        draws.draw(st.lists(st.sampled_from(earlier), unique_by=lambda item: item["session"]))
        if earlier
        else []
    )

    solution = solve({**data, "current": kept}, time_limit=1, seed=1, mode="fill").to_dict()

    assert violations({**data, "current": kept}, solution, mode="fill") == []
    placed = {item["session"]: item for item in solution["assignments"]}
    assert all(placed[item["session"]] == item for item in kept)


@SMALL
@given(small_instances())
def test_solve_replan_of_its_own_solution_changes_nothing(data):
    first = solve(data, time_limit=1, seed=3).to_dict()

    again = solve({**data, "current": first["assignments"]}, time_limit=1, seed=4, mode="replan").to_dict()

    assert again["assignments"] == first["assignments"]
    assert again["objective"]["changes"] == 0
    assert violations(data, again) == []


# --- The checker itself: it must catch broken schedules, or the properties above prove nothing -------


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
