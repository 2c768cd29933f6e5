"""Annealing over times alone: which sessions run together decides missed favourites, so search that first.

The rooms of the one-slot sessions that need no particular kind of room are left open while it runs: at
each time those sessions can share the rooms that are free then in any order, and dealing the biggest
audience to the biggest room gives the fewest overflow seats, so a time's overflow is known without
choosing rooms. The rooms are dealt once at the end (`write_back`), which is what lets a popular session
move to a time whose big room is taken by a small one: the small one simply gets a smaller room.

Every step draws one session (the more of its stargazers clash with it, the likelier), prices moving it to
every other time exactly, and picks where it goes by the heat-bath rule: time t with odds proportional
to exp(-price(t) / temperature), staying put included. The price of time t is, in missed favourites:
its stargazers who already have a favourite at t, minus those who have another one at its own time,
plus the weighted changes of track clashes, overflow seats, preferences and (re-planning) changes.
The temperature follows the cooling schedule both annealers share (`cooling.py`).

The counters the prices come from are kept up to date move by move, in one typed group per part of the
model, each a named tuple of numpy arrays that the compiled loop takes as it is:

- `Times`: where each mobile session runs, where it may run, what each time costs it on its own
  (preferences, changes), and the totals;
- `Favourites`: favourites per attendee and time, who starred what, and per session how many of its
  stargazers have a favourite at each time and how many clash with it now;
- `Tracks`: sessions per track and time;
- `Speakers`: the speakers' busy times and the times a session at t keeps them from (the pause);
- `Rooms`: per time, the capacities free for mobile sessions and the audiences dealt to them, both
  largest first, with the overflow they give and the audience a time can still take in for free;
- `Draw`: the draw's weights (1 + DRAW_BIAS x clashing stargazers) in a Fenwick tree.

Annealing needs millions of such steps for a large conference, far more than interpreted Python makes
in seconds, so the loop is compiled with numba (`timing_steps.py`); everything here is plain Python and
numpy.

Hard rules hold at every step: allowed times, speakers (with the minimum pause), plenary times, and no
more sessions at a time than it has free rooms. Other sessions (longer, plenary, fixed, or needing
tagged rooms) stay where they are; the other moves of the search take care of them.
"""

import time
from typing import NamedTuple

import numpy as np

from .cooling import Cooling
from .search import deal_rooms, report
from .state import CHANGES, MISSED, OVERFLOW, PREFERENCE, TRACK_CLASH
from .timing_steps import fenwick_add, overflow_of, run_steps, seats_of, seed_random

START_TEMPERATURE = 3.0  # in missed favourites: early on, a move costing three more is taken with odds 1/e
END_TEMPERATURE = 0.2
COOLING = Cooling.between(START_TEMPERATURE, END_TEMPERATURE)
DRAW_BIAS = 1.0  # a session is drawn with weight 1 + DRAW_BIAS x its clashing stargazers
CHUNK = 20000  # steps between looks at the clock
STEPS_PER_PAIR = 2000  # at most, per pair of mobile sessions (a large conference runs out of time first)


def times_only(session) -> bool:
    """Whether this search moves `session` (when placed and movable): one slot, not plenary, any room."""
    return session.length == 1 and not session.plenary and not session.room_tags


# The groups of the model. Arrays are indexed by session, time, attendee, track or speaker, all numbered as
# in the instance; a list of lists is kept as a pointer and an index array (`_csr`): row i is
# idx[ptr[i]:ptr[i + 1]].


class Times(NamedTuple):
    """Where the mobile sessions run and may run, what a time costs each on its own, and the totals."""

    mobile: np.ndarray  # int64 [i]: the sessions this search moves
    slot_of: np.ndarray  # int64 [session]: its time (-1 when not mobile)
    allowed: np.ndarray  # bool [session, time]: its candidate times, never a plenary session's
    fixed_cost: np.ndarray  # float64 [session, time]: preference and change costs of running then
    totals: np.ndarray  # float64 [2]: the priced total now, and the best seen
    best_slots: np.ndarray  # int64 [session]: `slot_of` when the best total was seen


class Favourites(NamedTuple):
    """Who starred what, and the counters of missed favourites."""

    count: np.ndarray  # int32 [attendee, time]: the attendee's favourites running then (fixed ones too)
    fan_ptr: np.ndarray  # int64 [session + 1]: its stargazers, the attendees in fan_idx
    fan_idx: np.ndarray
    star_ptr: np.ndarray  # int64 [attendee + 1]: their favourites, the sessions in star_idx
    star_idx: np.ndarray
    into: np.ndarray  # int32 [session, time]: its stargazers with a favourite then (the price of going there)
    clashing: np.ndarray  # int64 [session]: its stargazers with another favourite at its time


class Tracks(NamedTuple):
    track_of: np.ndarray  # int64 [session]: its track (-1 for none)
    running: np.ndarray  # int64 [track, time]: the track's sessions running then
    weight: float  # of a track clash, in missed favourites


class Speakers(NamedTuple):
    ptr: np.ndarray  # int64 [session + 1]: its speakers, the people in idx
    idx: np.ndarray
    busy: np.ndarray  # int64 [speaker, time]: the speaker's sessions running then
    window_low: np.ndarray  # int64 [time]: the first time a session at t keeps its speakers from
    window_high: np.ndarray  # int64 [time]: the last one (the pause, within the day)


class Rooms(NamedTuple):
    """Per time, the rooms free for mobile sessions and the audiences dealt to them, largest to largest."""

    audience: np.ndarray  # float64 [session]: its expected audience
    capacity: np.ndarray  # float64 [time, i]: the free capacities, largest first (-inf past the last)
    capacity_count: np.ndarray  # int64 [time]: how many rooms are free
    dealt: np.ndarray  # float64 [time, i]: the audiences of the mobile sessions then, largest first
    dealt_count: np.ndarray  # int64 [time]: how many mobile sessions run then
    overflow: np.ndarray  # float64 [time]: the overflow seats of that deal
    seats: np.ndarray  # float64 [time]: the largest audience that adds no overflow (-1: no room left)
    weight: float  # of an overflow seat, in missed favourites


class Draw(NamedTuple):
    bias: float  # DRAW_BIAS (0: every mobile session alike)
    tree: np.ndarray  # float64 [i + 1]: Fenwick tree of the weights of Times.mobile
    total: np.ndarray  # float64 [1]: the sum of the weights
    index: np.ndarray  # int64 [session]: its position in Times.mobile (-1 when not mobile)


class TimeAnnealer:
    """The time of every mobile session, and the groups of arrays the compiled steps read and update."""

    def __init__(self, state, movable, seed=0):
        self.state = state
        instance = self.instance = state.instance
        self.n_slots = len(instance.slots)
        weights = state.weights
        unit = weights[MISSED] or 1.0
        self.unit = unit  # everything is priced in missed favourites, the first goal
        self.mobile_ids = [
            s for s in sorted(movable) if state.pos[s] is not None and times_only(instance.sessions[s])
        ]
        covers = [
            state.candidates.cover[s][place[0]] if place is not None else ()
            for s, place in enumerate(state.pos)
        ]
        self.times = _times(
            state, self.mobile_ids, covers, weights[PREFERENCE] / unit, weights[CHANGES] / unit
        )
        self.favourites = _favourites(state, self.mobile_ids, self.times.slot_of)
        self.tracks = _tracks(instance, covers, weights[TRACK_CLASH] / unit)
        self.speakers = _speakers(state, covers)
        self.rooms = _rooms(state, self.mobile_ids, self.times.slot_of, weights[OVERFLOW] / unit)
        self.draw = _draw(self.times.mobile, self.favourites.clashing, len(instance.sessions))
        self.times.totals[:] = self.priced_total()
        seed_random(int(seed))

    def priced_total(self) -> float:
        """From scratch: the priced total of what this search changes (missed-favourite units)."""
        times, rooms = self.times, self.rooms
        missed = float(np.maximum(self.favourites.count - 1, 0).sum())
        clash = float(np.maximum(self.tracks.running - 1, 0).sum())
        mobile = times.mobile
        fixed = float(times.fixed_cost[mobile, times.slot_of[mobile]].sum()) if len(mobile) else 0.0
        overflow = sum(
            overflow_of(rooms.dealt[t], rooms.dealt_count[t], rooms.capacity[t]) for t in range(self.n_slots)
        )
        return missed + self.tracks.weight * clash + fixed + rooms.weight * overflow

    def missed(self) -> int:
        return int(np.maximum(self.favourites.count - 1, 0).sum())

    def run(self, steps, temperature_from, temperature_to) -> int:
        """Make `steps` heat-bath steps, cooling geometrically between the two temperatures."""
        return run_steps(
            steps,
            float(temperature_from),
            float(temperature_to),
            self.times,
            self.favourites,
            self.tracks,
            self.speakers,
            self.rooms,
            self.draw,
        )


def _times(state, mobile_ids, covers, w_preference, w_changes) -> Times:
    instance = state.instance
    n, n_slots = len(instance.sessions), len(instance.slots)
    slot_of = np.full(n, -1, dtype=np.int64)
    for s in mobile_ids:
        slot_of[s] = state.pos[s][0]
    plenary_times = np.zeros(n_slots, dtype=bool)
    for s, cover in enumerate(covers):
        if cover and instance.sessions[s].plenary:
            plenary_times[list(cover)] = True
    allowed = np.zeros((n, n_slots), dtype=np.bool_)
    fixed_cost = np.zeros((n, n_slots))
    for s in mobile_ids:
        session = instance.sessions[s]
        allowed[s, list(state.candidates.rooms[s])] = True
        allowed[s, plenary_times] = False
        if session.preferred:
            outside = np.ones(n_slots, dtype=bool)
            outside[list(session.preferred)] = False
            fixed_cost[s, outside] += w_preference
        current = instance.current.get(s)
        if current is not None:
            cost = w_changes * instance.change_weight(s)
            fixed_cost[s] += cost
            fixed_cost[s, current[0]] -= cost
    return Times(
        mobile=np.array(mobile_ids, dtype=np.int64),
        slot_of=slot_of,
        allowed=allowed,
        fixed_cost=fixed_cost,
        totals=np.zeros(2),
        best_slots=slot_of.copy(),
    )


def _favourites(state, mobile_ids, slot_of) -> Favourites:
    """Every placed session counts, fixed ones too."""
    instance = state.instance
    n = len(instance.sessions)
    fan_ptr, fan_idx = _csr([state.fans[s] for s in range(n)])
    star_ptr, star_idx = _csr([sorted(starred) for starred in instance.stars])
    # `into[x, t]`: stargazers of x with a favourite at t (what moving x to t costs in missed favourites).
    has = (state.star_count >= 1).astype(np.float32)  # [time, attendee]
    stars = np.zeros((len(instance.stars), n), dtype=np.float32)
    for a, starred in enumerate(instance.stars):
        stars[a, list(starred)] = 1
    clashing = np.zeros(n, dtype=np.int64)
    for s in mobile_ids:
        fans = state.fans[s]
        if len(fans):
            clashing[s] = int(np.count_nonzero(state.star_count[slot_of[s], fans] >= 2))
    return Favourites(
        count=np.ascontiguousarray(state.star_count.T, dtype=np.int32),
        fan_ptr=fan_ptr,
        fan_idx=fan_idx,
        star_ptr=star_ptr,
        star_idx=star_idx,
        into=np.ascontiguousarray(np.rint((has @ stars).T), dtype=np.int32),
        clashing=clashing,
    )


def _tracks(instance, covers, weight) -> Tracks:
    names = sorted({session.track for session in instance.sessions if session.track is not None})
    index = {name: i for i, name in enumerate(names)}
    track_of = np.array([index.get(x.track, -1) for x in instance.sessions], dtype=np.int64)
    running = np.zeros((max(1, len(names)), len(instance.slots)), dtype=np.int64)
    for s, cover in enumerate(covers):
        if cover and track_of[s] >= 0:
            running[track_of[s], list(cover)] += 1
    return Tracks(track_of=track_of, running=running, weight=weight)


def _speakers(state, covers) -> Speakers:
    instance = state.instance
    n_slots = len(instance.slots)
    people = sorted({p for session in instance.sessions for p in session.speakers})
    person = {p: i for i, p in enumerate(people)}
    ptr, idx = _csr([[person[p] for p in session.speakers] for session in instance.sessions])
    busy = np.zeros((max(1, len(people)), n_slots), dtype=np.int64)
    for s, cover in enumerate(covers):
        for p in instance.sessions[s].speakers:
            busy[person[p], list(cover)] += 1
    pause = instance.min_pause_slots
    candidates = state.candidates
    return Speakers(
        ptr=ptr,
        idx=idx,
        busy=busy,
        window_low=np.array(
            [max(candidates.day_first[t], t - pause) for t in range(n_slots)], dtype=np.int64
        ),
        window_high=np.array(
            [min(candidates.day_last[t], t + pause) for t in range(n_slots)], dtype=np.int64
        ),
    )


def _rooms(state, mobile_ids, slot_of, weight) -> Rooms:
    instance = state.instance
    n_slots = len(instance.slots)
    is_mobile = np.zeros(len(instance.sessions), dtype=bool)
    is_mobile[mobile_ids] = True
    capacities = []
    for t in range(n_slots):
        capacities.append(
            sorted(
                (
                    room.capacity
                    for r, room in enumerate(instance.rooms)
                    if t not in room.unavailable
                    and (state.room_occupant[r][t] == -1 or is_mobile[state.room_occupant[r][t]])
                ),
                reverse=True,
            )
        )
    width = max([len(c) for c in capacities] + [1]) + 1
    capacity = np.full((n_slots, width), -np.inf)
    capacity_count = np.zeros(n_slots, dtype=np.int64)
    for t, caps in enumerate(capacities):
        capacity[t, : len(caps)] = caps
        capacity_count[t] = len(caps)
    audience = np.array([session.audience for session in instance.sessions], dtype=np.float64)
    dealt = np.full((n_slots, width), -np.inf)
    dealt_count = np.zeros(n_slots, dtype=np.int64)
    for t in range(n_slots):
        members = sorted((audience[s] for s in mobile_ids if slot_of[s] == t), reverse=True)
        dealt[t, : len(members)] = members
        dealt_count[t] = len(members)
    overflow = np.array([overflow_of(dealt[t], dealt_count[t], capacity[t]) for t in range(n_slots)])
    seats = np.array(
        [seats_of(dealt[t], dealt_count[t], capacity[t], capacity_count[t]) for t in range(n_slots)]
    )
    return Rooms(
        audience=audience,
        capacity=capacity,
        capacity_count=capacity_count,
        dealt=dealt,
        dealt_count=dealt_count,
        overflow=overflow,
        seats=seats,
        weight=weight,
    )


def _draw(mobile, clashing, n) -> Draw:
    index = np.full(n, -1, dtype=np.int64)
    index[mobile] = np.arange(len(mobile))
    draw = Draw(bias=DRAW_BIAS, tree=np.zeros(len(mobile) + 1), total=np.zeros(1), index=index)
    for i, s in enumerate(mobile):
        fenwick_add(draw.tree, draw.total, i, 1.0 + DRAW_BIAS * clashing[s])
    return draw


def _csr(rows):
    pointer = np.zeros(len(rows) + 1, dtype=np.int64)
    for i, row in enumerate(rows):
        pointer[i + 1] = pointer[i] + len(row)
    values = np.zeros(max(1, pointer[-1]), dtype=np.int64)
    for i, row in enumerate(rows):
        values[pointer[i] : pointer[i + 1]] = list(row)
    return pointer, values


def anneal_times(state, movable, clock, rng, progress=None, report_every=2.0) -> int:
    """Anneal the times of the mobile sessions, then deal rooms and write the best times back to `state`.

    Returns the steps made. Every session the state had placed stays placed.
    """
    if not any(state.pos[s] is not None and times_only(state.instance.sessions[s]) for s in movable):
        return 0
    search = TimeAnnealer(state, movable, seed=rng.randrange(2**31) if rng is not None else 0)
    # A small conference needs far fewer steps than its time limit allows: stop after a budget that
    # grows with the square of the sessions (each step looks at every time, the times grow with the
    # sessions), cooling over whichever of the budget and the clock runs out first.
    budget = STEPS_PER_PAIR * len(search.mobile_ids) ** 2
    if clock.max_iterations:
        budget = min(budget, clock.max_iterations)
    steps, last_report = 0, time.monotonic()
    begin = 0.0
    while steps < budget and not clock.over(steps):
        chunk = min(CHUNK, budget - steps)
        if steps:
            # The clock's share so far, extrapolated over one more chunk at the same pace.
            elapsed = clock.fraction(steps) if not clock.max_iterations else 0.0
            end = max(elapsed * (steps + chunk) / steps, (steps + chunk) / budget)
        else:
            end = max(min(1.0, clock.fraction(0)) + 0.005, chunk / budget)
        end = min(1.0, end)
        search.run(chunk, COOLING.at(begin), COOLING.at(end))
        begin = end
        steps += chunk
        if progress and time.monotonic() - last_report >= report_every:
            last_report = time.monotonic()
            best_total = round(search.times.totals[1] * search.unit, 3)
            report(progress, "searching", clock.started, steps, state.unplaced, search.missed(), best_total)
    write_back(state, search, search.times.best_slots)
    return steps


def write_back(state, search, slots):
    """Put the mobile sessions at `slots` in `state`, dealing each time's free rooms at the least cost.

    Time by time in order, rooms go by an exact assignment on the room-dependent terms (overflow seats,
    a track's rooms that day, a session's current room), so a track keeps its room through the day
    where the audiences allow it.
    """
    instance = state.instance
    for s in search.mobile_ids:
        state.remove(s)
    by_time = {}
    for s in search.mobile_ids:
        by_time.setdefault(int(slots[s]), []).append(s)
    for t, group in sorted(by_time.items()):
        free = [
            r
            for r, room in enumerate(instance.rooms)
            if state.room_occupant[r][t] == -1 and t not in room.unavailable
        ]
        rooms = deal_rooms(state, group, t, free)
        if rooms is None:  # cannot happen: the annealing never puts more sessions at a time than rooms
            raise RuntimeError(f"no deal of {len(free)} free rooms to {len(group)} sessions")
        for s, r in zip(group, rooms, strict=True):
            state.add(s, t, r)


def warm_up() -> None:
    """Compile the steps now (numba keeps them in its cache), so the first real run does not wait."""
    from .construct import construct
    from .instance import load_instance
    from .search import Clock
    from .state import Candidates, State

    instance = load_instance(
        {
            "slots": [
                {"id": f"t{i}", "start": f"2026-01-01T{9 + i:02d}:00", "minutes": 50} for i in range(3)
            ],
            "rooms": [{"id": "big", "capacity": 50}, {"id": "small", "capacity": 10}],
            "sessions": [
                {"id": f"s{i}", "slots": 1, "speakers": [f"p{i}"], "track": "t", "audience": 5 + 10 * i}
                for i in range(4)
            ],
            "attendees": [{"id": "a", "starred": ["s0", "s1", "s2"]}, {"id": "b", "starred": ["s1", "s3"]}],
        }
    )
    state = State(instance, Candidates(instance))
    movable = set(range(len(instance.sessions)))
    construct(state, movable, prefer_current=False)
    anneal_times(state, movable, Clock(10, time.monotonic(), max_iterations=100), None)
