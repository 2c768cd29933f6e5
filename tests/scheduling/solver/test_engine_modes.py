import random

import pytest

from podium.scheduling.solver import solve
from tests.scheduling.solver.checker import violations
from tests.scheduling.solver.instances import instance, room, session, slots


def conference(**extra):
    return instance(
        slot_list=slots(per_day=4),
        rooms=[room("A"), room("B")],
        sessions=[session(f"t{i}", speakers=[f"p{i}"]) for i in range(5)],
        **extra,
    )


def places(solution):
    return {item["session"]: (item["slot"], item["room"]) for item in solution.assignments}


def test_solve_fill_keeps_current_places_and_places_the_rest():
    current = [{"session": "t0", "slot": "d0s3", "room": "B"}, {"session": "t1", "slot": "d0s2", "room": "A"}]
    data = conference(current=current)

    solution = solve(data, time_limit=1, mode="fill")

    assert places(solution)["t0"] == ("d0s3", "B")
    assert places(solution)["t1"] == ("d0s2", "A")
    assert len(solution.assignments) == 5
    assert violations(data, solution.to_dict(), mode="fill") == []


def test_solve_fill_gives_a_pin_precedence_over_a_kept_place_and_never_moves_the_kept_one():
    data = conference(current=[{"session": "t0", "slot": "d0s0", "room": "A"}])
    data["sessions"][4]["pinned"] = {"slot": "d0s0", "room": "A"}

    solution = solve(data, time_limit=1, mode="fill")

    assert places(solution)["t4"] == ("d0s0", "A")
    assert "t0" not in places(solution)
    [left_out] = solution.unscheduled
    assert left_out["session"] == "t0"
    assert "filling moves nothing placed" in left_out["reason"]


def test_solve_replan_moves_only_the_session_whose_speaker_became_unavailable():
    first = solve(conference(), time_limit=1)
    data = conference(current=first.assignments)
    moved = first.assignments[0]
    data["sessions"][0]["allowed"] = [s["id"] for s in data["slots"] if s["id"] != moved["slot"]]

    again = solve(data, time_limit=1, mode="replan")

    assert again.objective["changes"] == 1
    assert places(again)["t0"][0] != moved["slot"]
    assert {k: v for k, v in places(again).items() if k != "t0"} == {
        k: v for k, v in places(first).items() if k != "t0"
    }
    assert violations(data, again.to_dict()) == []


@pytest.mark.parametrize("seed", range(6))
def test_solve_fill_never_moves_a_placed_session(seed):
    """Random instances whose current places partly break rules now (a speaker no longer free then):
    every placed session is either at its place or left out, never moved."""
    rng = random.Random(seed)
    data = instance(
        slot_list=slots(per_day=4, days=2),
        rooms=[room("A"), room("B"), room("C")],
        sessions=[session(f"t{i}", speakers=[f"p{rng.randrange(6)}"]) for i in range(12)],
    )
    slot_ids = [s["id"] for s in data["slots"]]
    free = [(t, r) for t in slot_ids for r in ("A", "B", "C")]
    rng.shuffle(free)
    current = []
    for i in rng.sample(range(12), 7):
        slot, room_id = free.pop()
        current.append({"session": f"t{i}", "slot": slot, "room": room_id})
        if rng.random() < 0.4:  # the speaker is no longer free then
            data["sessions"][i]["allowed"] = [t for t in slot_ids if t != slot]
    data["current"] = current

    solution = solve(data, time_limit=1, mode="fill", seed=seed, max_iterations=2000)

    assert violations(data, solution.to_dict(), mode="fill") == []
    left_out = {item["session"] for item in solution.unscheduled}
    for item in current:
        assert item["session"] in left_out or places(solution)[item["session"]] == (
            item["slot"],
            item["room"],
        )
