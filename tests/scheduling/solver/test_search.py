import random

import pytest

from podium.scheduling.solver import load_instance, solve
from podium.scheduling.solver.objective import TERMS, evaluate
from podium.scheduling.solver.state import Candidates, State
from tests.scheduling.solver.checker import violations
from tests.scheduling.solver.instances import instance, random_instance, room, session, slots


def test_state_keeps_the_same_terms_as_a_fresh_evaluation_through_random_moves():
    loaded = load_instance(random_instance(5, sessions=30, rooms=4, attendees=80))
    loaded.current = {0: (0, 0), 1: (3, 1), 2: (5, 2)}
    state = State(loaded, Candidates(loaded))
    rng = random.Random(1)
    for _ in range(3000):
        s = rng.randrange(len(loaded.sessions))
        if state.pos[s] is not None:
            state.remove(s)
        elif state.candidates.rooms[s]:
            start = rng.choice(list(state.candidates.rooms[s]))
            room_index = rng.choice(state.candidates.rooms[s][start])
            if state.can_place(s, start, room_index):
                state.add(s, start, room_index)

        fresh = evaluate(loaded, state.placement())
        assert state.terms == [fresh[name] for name in TERMS]


def test_solve_improves_on_its_construction_for_a_medium_instance():
    data = random_instance(2, sessions=60, rooms=5, per_day=8, attendees=300)

    solution = solve(data, time_limit=30, seed=0, max_iterations=20000)

    assert solution.unscheduled == []
    assert violations(data, solution.to_dict()) == []
    assert solution.objective["total"] <= solution.stats["construction_total"]
    assert solution.stats["iterations"] > 0


def test_solve_finds_the_arrangement_greedy_construction_misses():
    # Greedy places the starred talk first, in the earliest slot, which is the only slot the other
    # talk's speaker prefers; swapping the two costs nothing.
    data = instance(
        slot_list=slots(per_day=2),
        rooms=[room("A")],
        sessions=[session("popular", speakers=["x"]), session("early", speakers=["y"], preferred=["d0s0"])],
        attendees=[{"id": f"fan{i}", "starred": ["popular"]} for i in range(3)],
    )

    solution = solve(data, time_limit=30, seed=0, max_iterations=5000)

    assert solution.stats["construction_total"] == 2  # one preference missed, weight 2
    assert solution.objective["total"] == 0
    assert {"session": "early", "slot": "d0s0", "room": "A"} in solution.assignments


def test_solve_is_reproducible_with_a_seed_and_an_iteration_bound():
    data = random_instance(3, sessions=30, rooms=4)

    first = solve(data, time_limit=30, seed=7, max_iterations=3000)
    second = solve(data, time_limit=30, seed=7, max_iterations=3000)

    assert first.assignments == second.assignments


def test_solve_reports_progress_after_construction_and_search():
    seen = []

    solve(random_instance(4, sessions=20, rooms=3), time_limit=0.3, progress=seen.append)

    assert seen[0]["phase"] == "constructed"
    assert seen[-1]["phase"] == "improved"
    assert seen[-1]["total"] <= seen[0]["total"]
    assert all(isinstance(report["missed_favourites"], int) for report in seen)


def test_solve_rejects_an_unknown_mode():
    with pytest.raises(ValueError, match="mode must be one of fill, replan"):
        solve(random_instance(4, sessions=5, rooms=2), mode="shuffle")
