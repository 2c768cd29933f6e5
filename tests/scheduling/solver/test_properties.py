"""Properties on random small instances, checked by tests/scheduling/solver/checker.py (not the solver's code)."""

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
