"""The guided search over times: exact terms, hard rules, never fewer sessions placed, real gains."""

import random
import time

from podium.schedule.solver import load_instance
from podium.schedule.solver.construct import construct
from podium.schedule.solver.guided import TimeSearch, guided_search
from podium.schedule.solver.objective import TERMS, evaluate
from podium.schedule.solver.search import Clock
from podium.schedule.solver.state import Candidates, State
from tests.schedule.solver.checker import violations
from tests.schedule.solver.instances import instance, random_instance, room, session, slots


def _constructed(data):
    loaded = load_instance(data)
    state = State(loaded, Candidates(loaded))
    movable = set(range(len(loaded.sessions)))
    construct(state, movable, prefer_current=False)
    return loaded, state, movable


def _assignments(loaded, state):
    return [
        {"session": loaded.sessions[s].id, "slot": loaded.slots[t].id, "room": loaded.rooms[r].id}
        for s, (t, r) in sorted(state.placement().items())
    ]


def test_guided_search_keeps_exact_terms_and_every_hard_rule():
    data = random_instance(7, sessions=40, rooms=4, per_day=6, attendees=200)
    loaded, state, movable = _constructed(data)
    placed = len(state.placement())
    before = state.total()

    steps = guided_search(state, movable, Clock(30, time.monotonic(), max_iterations=3000), random.Random(2))

    fresh = evaluate(loaded, state.placement())
    assert steps > 0
    assert state.terms == [fresh[name] for name in TERMS]
    assert len(state.placement()) >= placed
    assert state.total() <= before
    unplaced = [
        {"session": loaded.sessions[s].id, "reason": "-"}
        for s in range(len(loaded.sessions))
        if state.pos[s] is None
    ]
    assert violations(data, {"assignments": _assignments(loaded, state), "unscheduled": unplaced}) == []


def test_guided_search_separates_two_sessions_everyone_starred():
    # Construction puts "b" beside "a" (the fewest sessions running) before the stars of "c" are
    # known; the search must part the two sessions everyone starred.
    data = instance(
        slot_list=slots(per_day=2),
        rooms=[room("A"), room("B")],
        sessions=[session("a", speakers=["x"]), session("b", speakers=["y"]), session("c", speakers=["z"])],
        attendees=[{"id": f"fan{i}", "starred": ["a", "b"]} for i in range(5)],
    )
    _loaded, state, movable = _constructed(data)
    state.remove(1)
    state.add(1, state.pos[0][0], 1 - state.pos[0][1])  # "b" at the same time as "a"
    assert state.terms[0] == 5

    guided_search(state, movable, Clock(30, time.monotonic(), max_iterations=500), random.Random(0))

    assert state.terms[0] == 0
    assert state.pos[0][0] != state.pos[1][0]


def test_priced_proposals_skip_plenary_times_and_disallowed_slots():
    data = instance(
        slot_list=slots(per_day=4),
        rooms=[room("A"), room("B")],
        sessions=[
            session("keynote", speakers=["k"], plenary=True, pinned={"slot": "d0s0", "room": "A"}),
            session("talk", speakers=["x"], allowed=["d0s1", "d0s2"]),
            session("other", speakers=["y"]),
        ],
        attendees=[{"id": "a1", "starred": ["talk", "other"]}],
    )
    loaded = load_instance(data)
    state = State(loaded, Candidates(loaded))
    state.add(0, 0, 0)
    state.add(1, 1, 0)
    state.add(2, 2, 0)
    search = TimeSearch(state, {1, 2}, random.Random(0))

    moves = {target for _price, kind, target in search.proposals(1) if kind == "move"}

    assert moves == {2}  # not its own time, not the keynote's, not the one it may not use
