"""Improving a feasible schedule within a time limit: simulated annealing, ejection chains, descent.

Moves are: relocate one session (new time and room), swap two sessions' places, re-deal the rooms of
one slot, and insert a session left out by ejecting what blocks it and re-placing the ejected ones. Every move keeps all hard rules;
the number of placed sessions never goes down. The run ends with a descent over every relocation and
swap, so the result is a local optimum: re-planning it again with nothing changed moves nothing.
"""

import math
import time

from ortools.graph.python import linear_sum_assignment

from .construct import best_place
from .cooling import Cooling
from .moves import PricedMoves

EPSILON = 1e-9
MAX_RESTARTS = 3
COOLING_RATIO = 0.001  # the temperature at the end of the run, as a share of the start
RESTART_COOLING = 0.5  # a restart from the best schedule starts this much cooler
EXHAUSTIVE_SWAPS = 150  # up to this many movable sessions the final descent tries every pair of swaps


class Clock:
    def __init__(self, time_limit, started, max_iterations=None):
        self.deadline = started + time_limit
        self.time_limit = max(time_limit, EPSILON)
        self.started = started
        self.max_iterations = max_iterations

    def fraction(self, iterations) -> float:
        if self.max_iterations:
            return iterations / self.max_iterations  # reproducible: the schedule ignores the clock
        return (time.monotonic() - self.started) / self.time_limit

    def over(self, iterations=0) -> bool:
        if self.max_iterations and iterations >= self.max_iterations:
            return True
        return time.monotonic() >= self.deadline


def report(progress, phase, started, iterations, unscheduled, missed, total) -> None:
    """Tell `progress` (if any) where a run stands; it may raise engine.Stopped to end the run."""
    if progress is not None:
        progress(
            {
                "phase": phase,
                "seconds": round(time.monotonic() - started, 3),
                "iterations": iterations,
                "unscheduled": unscheduled,
                "missed_favourites": missed,
                "total": total,
            }
        )


def relocate(state, s, start, room, temperature, rng) -> bool:
    """Move placed `s` to (start, room) if feasible and accepted; keep it where it was otherwise."""
    old = state.pos[s]
    if old == (start, room):
        return False
    before = state.total()
    state.remove(s)
    if not (state.room_free(s, start, room) and state.time_free(s, start)):
        state.add(s, *old)
        return False
    delta = state.time_delta(s, start) + state.room_delta(s, start, room) + state.total() - before
    if accept(delta, temperature, rng):
        state.add(s, start, room)
        return True
    state.add(s, *old)
    return False


def swap(state, a, b, temperature, rng) -> bool:
    """Exchange the places of placed sessions `a` and `b` if both fit the other's place."""
    place_a, place_b = state.pos[a], state.pos[b]
    candidates = state.candidates
    if not (candidates.allows(a, *place_b) and candidates.allows(b, *place_a)):
        return False
    before = state.total()
    state.remove(a)
    state.remove(b)
    if state.can_place(a, *place_b):
        state.add(a, *place_b)
        if state.can_place(b, *place_a):
            state.add(b, *place_a)
            if accept(state.total() - before, temperature, rng):
                return True
            state.remove(b)
        state.remove(a)
    state.add(a, *place_a)
    state.add(b, *place_b)
    return False


def accept(delta, temperature, rng) -> bool:
    """Metropolis rule; at temperature 0 only strict improvements pass."""
    if delta < -EPSILON:
        return True
    if temperature <= 0:
        return False
    if delta <= EPSILON:
        return True
    return rng.random() < math.exp(-delta / temperature)


def eject_and_insert(state, s, movable, rng) -> bool:
    """Place left-out `s` at a random candidate by ejecting its blockers, then re-place them greedily.

    Kept only if fewer sessions are left out afterwards (or as many, and the total is no worse).
    """
    starts = state.candidates.starts[s]
    if not starts:
        return False
    start = rng.choice(starts)
    room = rng.choice(state.candidates.rooms[s][start])
    blockers = state.blockers(s, start, room)
    if not blockers <= movable:
        return False
    before = state.cost()
    saved = {b: state.pos[b] for b in blockers}
    for b in blockers:
        state.remove(b)
    if not state.can_place(s, start, room):
        for b, place in saved.items():
            state.add(b, *place)
        return False
    state.add(s, start, room)
    for b in sorted(blockers, key=lambda b: -state.instance.sessions[b].length):
        place = best_place(state, b)
        if place is not None:
            state.add(b, *place)
    if state.cost() <= (before[0], before[1] + EPSILON) or state.unplaced < before[0]:
        return True
    for b in blockers:
        if state.pos[b] is not None:
            state.remove(b)
    state.remove(s)
    for b, place in saved.items():
        state.add(b, *place)
    return False


def anneal(state, movable: set, clock, rng, progress=None, report_every=2.0) -> int:
    """Simulated annealing over relocations, swaps and insertions; returns the iterations done.

    Cools geometrically over the clock's time or iterations (`Cooling`). The state is left at the best
    schedule seen.
    """
    movable_list = sorted(movable)
    if not movable_list:
        return 0
    best_cost, best = state.cost(), state.placement()
    best_missed = state.terms[0]
    cooling = Cooling(initial_temperature(state, movable_list, rng), COOLING_RATIO)
    iterations, last_report, since_best = 0, time.monotonic(), 0
    stall_limit = max(2000, 200 * len(movable_list))
    temperature = cooling.start
    restarts = 0
    while not clock.over(iterations):
        iterations += 1
        since_best += 1
        if since_best >= stall_limit:
            # Stuck: go back to the best schedule and cool down; give up after a few fruitless restarts.
            if restarts >= MAX_RESTARTS:
                break
            restarts += 1
            since_best = 0
            cooling = cooling.restarted(RESTART_COOLING)
            state.reset_to(best)
        if iterations % 128 == 0:
            temperature = cooling.at(clock.fraction(iterations))
            if progress and time.monotonic() - last_report >= report_every:
                last_report = time.monotonic()
                report(
                    progress, "searching", clock.started, iterations, best_cost[0], best_missed, best_cost[1]
                )
        s = movable_list[rng.randrange(len(movable_list))]
        draw = rng.random()
        if state.pos[s] is None:
            eject_and_insert(state, s, movable, rng)
        elif draw < 0.01:
            improve_session(state, s)
        elif draw < 0.015:
            reassign_rooms(state, state.pos[s][0], movable)
        elif draw < 0.7:
            start = rng.choice(state.candidates.starts[s])
            rooms = state.candidates.rooms[s][start]
            room = rooms[rng.randrange(len(rooms))]
            if rng.random() < 0.7:
                occupants = state.room_occupant
                first = state.candidates.cover[s][start][0]
                room = next((r for r in rooms if occupants[r][first] in (-1, s)), room)
            relocate(state, s, start, room, temperature, rng)
        else:
            other = movable_list[rng.randrange(len(movable_list))]
            if other != s and state.pos[other] is not None:
                swap(state, s, other, temperature, rng)
        cost = state.cost()
        if cost[0] < best_cost[0] or (cost[0] == best_cost[0] and cost[1] < best_cost[1] - EPSILON):
            best_cost, best = cost, state.placement()
            best_missed = state.terms[0]
            since_best = 0
            restarts = 0
    state.reset_to(best)
    return iterations


def initial_temperature(state, movable_list, rng) -> float:
    """About the size of a typical worsening move, so early on most of them are still taken."""
    worse = []
    for _ in range(min(200, 10 * len(movable_list))):
        s = movable_list[rng.randrange(len(movable_list))]
        if state.pos[s] is None or not state.candidates.rooms[s]:
            continue
        start = rng.choice(state.candidates.starts[s])
        room = state.candidates.rooms[s][start][0]
        old = state.pos[s]
        before = state.total()
        state.remove(s)
        if state.room_free(s, start, room) and state.time_free(s, start):
            delta = state.time_delta(s, start) + state.room_delta(s, start, room) + state.total() - before
            if delta > 0:
                worse.append(delta)
        state.add(s, *old)
    return 0.3 * sum(worse) / len(worse) if worse else 1.0


def descend(state, movable: set, clock) -> int:
    """Take improving relocations, insertions and swaps until none is left (or time runs out)."""
    order = sorted(movable)
    passes = 0
    improved = True
    while improved and not clock.over():
        improved = False
        passes += 1
        for s in order:
            if clock.over():
                return passes
            if state.pos[s] is None:
                place = best_place(state, s)
                if place is not None:
                    state.add(s, *place)
                    improved = True
            elif improve_session(state, s):
                improved = True
        for t in range(len(state.instance.slots)):
            if reassign_rooms(state, t, movable):
                improved = True
        if len(order) <= EXHAUSTIVE_SWAPS:
            for i, a in enumerate(order):
                if clock.over():
                    return passes
                for b in order[i + 1 :]:
                    if state.pos[a] is not None and state.pos[b] is not None and swap(state, a, b, 0, None):
                        improved = True
        elif _priced_swaps(state, movable, order, clock):
            improved = True
    return passes


def _priced_swaps(state, movable, order, clock) -> bool:
    """Improving swaps among the cheapest ones by the pairwise price (all pairs are too many at scale)."""
    search = PricedMoves(state, movable)
    improved = False
    for a in order:
        if clock.over():
            break
        if not search.mobile[a] or search.slot_of[a] < 0:
            continue
        for _price, kind, b in search.moves(a):
            if kind == "swap" and swap(state, a, b, 0, None):
                search.sync()
                improved = True
                break
    return improved


def reassign_rooms(state, t, movable) -> bool:
    """Re-deal the rooms of slot `t` among its one-slot movable sessions at the least cost.

    Which sessions run together is what decides missed favourites; given that, rooms can be dealt
    per slot, exactly (deal_rooms). The new deal is kept only if the whole total gets better.
    """
    instance = state.instance
    group = []
    for occupants in state.room_occupant:
        s = occupants[t]
        if s != -1 and s in movable and instance.sessions[s].length == 1:
            group.append(s)
    if len(group) < 2:
        return False
    before = state.total()
    old = {s: state.pos[s] for s in group}
    for s in group:
        state.remove(s)
    free = [r for r, occupants in enumerate(state.room_occupant) if occupants[t] == -1]
    rooms = deal_rooms(state, group, t, free)
    if rooms is not None:
        for s, room in zip(group, rooms, strict=True):
            state.add(s, t, room)
        if state.total() < before - EPSILON:
            return True
        for s in group:
            state.remove(s)
    for s, place in old.items():
        state.add(s, *place)
    return False


def deal_rooms(state, group, t, free):
    """The rooms (from `free`) for the sessions of `group` at time t, or None if no deal fits them all.

    An exact assignment on the room-dependent terms (overflow seats, a track's rooms that day, a
    session's current room: `State.room_delta`), over the rooms each session may use at t. A session
    keeps its current room unless another deal saves more than the change costs.
    """
    if len(group) > len(free):
        return None
    assignment = linear_sum_assignment.SimpleLinearSumAssignment()
    for i in range(len(free)):  # square: the rows after the group are empty places, free of cost
        for j, r in enumerate(free):
            if i >= len(group):
                assignment.add_arc_with_cost(i, j, 0)
            elif state.candidates.allows(group[i], t, r):
                assignment.add_arc_with_cost(i, j, round(100 * state.room_delta(group[i], t, r)))
    if assignment.solve() != assignment.OPTIMAL:
        return None
    return [free[assignment.right_mate(i)] for i in range(len(group))]


def improve_session(state, s) -> bool:
    """Move placed `s` to its best place if that is strictly better than where it is."""
    old = state.pos[s]
    before = state.total()
    state.remove(s)
    place = best_place(state, s)
    if place is not None and place != old:
        gain = state.time_delta(s, *place[:1]) + state.room_delta(s, *place) + state.total() - before
        if gain < -EPSILON:
            state.add(s, *place)
            return True
    state.add(s, *old)
    return False
