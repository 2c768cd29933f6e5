"""Annealing the times: exact counters, every hard rule, rooms dealt afterwards."""

import random
import time

import numpy as np

from podium.scheduling.solver import load_instance
from podium.scheduling.solver.construct import construct, place_fixed
from podium.scheduling.solver.objective import TERMS, evaluate
from podium.scheduling.solver.search import Clock
from podium.scheduling.solver.state import (
    CHANGES,
    MISSED,
    OVERFLOW,
    PREFERENCE,
    TRACK_CLASH,
    Candidates,
    State,
)
from podium.scheduling.solver.timing import TimeAnnealer, anneal_times
from tests.scheduling.solver.checker import violations
from tests.scheduling.solver.instances import instance, random_instance, room, session, slots


def _rich_instance(seed):
    """A random conference plus a pause, rooms closed at times, pins, a current plan and preferences."""
    data = random_instance(seed, sessions=40, rooms=5, per_day=6, attendees=200)
    data["min_pause_slots"] = 1
    data["rooms"][1]["unavailable"] = ["d0s0", "d0s1", "d1s4"]
    data["sessions"][3]["pinned"] = {"slot": "d0s2", "room": "r3"}
    data["sessions"][3]["allowed"] = "all"
    data["sessions"][3]["slots"] = 1
    data["sessions"][3]["room_tags"] = []
    return data


def _constructed(data):
    loaded = load_instance(data)
    state = State(loaded, Candidates(loaded))
    fixed = {s: x.pinned for s, x in enumerate(loaded.sessions) if x.pinned is not None}
    place_fixed(state, fixed)
    movable = set(range(len(loaded.sessions))) - set(fixed)
    construct(state, movable, prefer_current=False)
    return loaded, state, movable


def _solution(loaded, state):
    return {
        "assignments": [
            {"session": loaded.sessions[s].id, "slot": loaded.slots[t].id, "room": loaded.rooms[r].id}
            for s, (t, r) in sorted(state.placement().items())
        ],
        "unscheduled": [
            {"session": loaded.sessions[s].id, "reason": "-"}
            for s in range(len(loaded.sessions))
            if state.pos[s] is None
        ],
    }


def _priced(state):
    """The terms the time annealing prices, weighted (rooms' track term aside)."""
    weights, terms = state.weights, state.terms
    return sum(weights[i] * terms[i] for i in (MISSED, OVERFLOW, TRACK_CLASH, PREFERENCE, CHANGES))


def test_counters_stay_exact_through_a_hundred_thousand_steps():
    data = _rich_instance(11)
    loaded, state, movable = _constructed(data)
    search = TimeAnnealer(state, movable, seed=5)
    times, favourites, rooms = search.times, search.favourites, search.rooms
    assert times.totals[0] == search.priced_total()

    moved = search.run(60000, 3.0, 0.5) + search.run(40000, 0.5, 0.05)

    assert moved > 100
    assert abs(times.totals[0] - search.priced_total()) < 1e-6
    # Favourites per attendee and time, and the two counters derived from them, from scratch.
    placement = {s: state.pos[s] for s in range(len(loaded.sessions)) if state.pos[s] is not None}
    for s in search.mobile_ids:
        placement[s] = (int(times.slot_of[s]), None)
    count = np.zeros_like(favourites.count)
    for s, (t, _room) in placement.items():
        for u in loaded.cover(t, loaded.sessions[s].length):
            count[state.fans[s], u] += 1
    assert (count == favourites.count).all()
    for s in search.mobile_ids:
        fans = state.fans[s]
        assert favourites.clashing[s] == np.count_nonzero(count[fans, times.slot_of[s]] >= 2)
        for t in range(len(loaded.slots)):
            assert favourites.into[s, t] == np.count_nonzero(count[fans, t] >= 1)
    # Audiences dealt per time: exactly the mobile sessions there, largest first.
    for t in range(len(loaded.slots)):
        audiences = sorted(
            (rooms.audience[s] for s in search.mobile_ids if times.slot_of[s] == t), reverse=True
        )
        assert list(rooms.dealt[t, : rooms.dealt_count[t]]) == audiences


def test_annealing_times_keeps_every_hard_rule_pin_and_exact_terms():
    data = _rich_instance(12)
    loaded, state, movable = _constructed(data)
    placed, before, pinned = len(state.placement()), _priced(state), state.pos[3]

    steps = anneal_times(state, movable, Clock(30, time.monotonic(), max_iterations=50000), random.Random(1))

    assert steps == 50000
    fresh = evaluate(loaded, state.placement())
    assert state.terms == [fresh[name] for name in TERMS]
    assert len(state.placement()) == placed
    assert state.pos[3] == pinned
    assert _priced(state) <= before
    assert violations(data, _solution(loaded, state)) == []


def test_annealing_times_parts_two_sessions_everyone_starred():
    # The search must part the two sessions everyone starred (moving or swapping with "c").
    data = instance(
        slot_list=slots(per_day=2),
        rooms=[room("A"), room("B")],
        sessions=[session("a", speakers=["x"]), session("b", speakers=["y"]), session("c", speakers=["z"])],
        attendees=[{"id": f"fan{i}", "starred": ["a", "b"]} for i in range(5)],
    )
    loaded = load_instance(data)
    state = State(loaded, Candidates(loaded))
    movable = {0, 1, 2}
    state.add(0, 0, 0)
    state.add(1, 0, 1)  # "b" at the same time as "a"
    state.add(2, 1, 0)
    assert state.terms[MISSED] == 5

    anneal_times(state, movable, Clock(30, time.monotonic(), max_iterations=2000), random.Random(0))

    assert state.terms[MISSED] == 0
    assert state.pos[0][0] != state.pos[1][0]


def test_a_popular_session_takes_the_big_room_a_small_one_held():
    # Two sessions everyone starred share the first time; at the second, a small session holds the
    # big room. With rooms left open, "pop2" moves to the second time and the small one gives way.
    data = instance(
        slot_list=slots(per_day=2),
        rooms=[room("Big", capacity=100), room("Small", capacity=10)],
        sessions=[
            session("pop1", speakers=["x"], audience=80),
            session("pop2", speakers=["y"], audience=80),
            session("small", speakers=["z"], audience=5),
        ],
        attendees=[{"id": f"fan{i}", "starred": ["pop1", "pop2"]} for i in range(50)],
    )
    loaded = load_instance(data)
    state = State(loaded, Candidates(loaded))
    state.add(0, 0, 0)
    state.add(1, 0, 1)  # 70 seats short, 50 missed favourites
    state.add(2, 1, 0)

    anneal_times(state, {0, 1, 2}, Clock(30, time.monotonic(), max_iterations=2000), random.Random(0))

    assert state.terms[MISSED] == 0
    assert state.terms[OVERFLOW] == 0
    assert state.pos[0][1] == state.pos[1][1] == 0  # both popular sessions in the big room
    assert state.pos[2][1] == 1  # the small one in the small room


def test_annealing_times_is_reproducible_with_a_step_budget():
    data = _rich_instance(13)
    results = []
    for _ in range(2):
        _loaded, state, movable = _constructed(data)
        anneal_times(state, movable, Clock(30, time.monotonic(), max_iterations=30000), random.Random(9))
        results.append(state.placement())
    assert results[0] == results[1]
