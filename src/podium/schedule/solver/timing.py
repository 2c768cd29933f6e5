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
They come from counters kept up to date move by move: favourites per attendee and time, sessions per
track and time, the speakers' busy times, the sorted audiences dealt to each time's free rooms, and
per session the number of its stargazers who clash with it (which makes the draw).

Annealing needs millions of such steps for a large conference, far more than interpreted Python makes
in seconds, so the loop is compiled with numba; everything around it is plain Python and numpy.

Hard rules hold at every step: allowed times, speakers (with the minimum pause), plenary times, and no
more sessions at a time than it has free rooms. Other sessions (longer, plenary, fixed, or needing
tagged rooms) stay where they are; the other moves of the search take care of them.
"""

import time

import numba
import numpy as np

from .search import deal_rooms, report
from .state import CHANGES, MISSED, OVERFLOW, PREFERENCE, TRACK_CLASH

START_TEMPERATURE = 3.0  # in missed favourites: early on, a move costing three more is taken with odds 1/e
END_TEMPERATURE = 0.2
DRAW_BIAS = 1.0  # a session is drawn with weight 1 + DRAW_BIAS x its clashing stargazers
CHUNK = 20000  # steps between looks at the clock
STEPS_PER_PAIR = 2000  # at most, per pair of mobile sessions (a large conference runs out of time first)


def times_only(session) -> bool:
    """Whether this search moves `session` (when placed and movable): one slot, not plenary, any room."""
    return session.length == 1 and not session.plenary and not session.room_tags


class TimeAnnealer:
    """The time of every mobile session, and the arrays the compiled steps read and update."""

    def __init__(self, state, movable, seed=0):
        self.state = state
        instance = self.instance = state.instance
        n, n_slots = len(instance.sessions), len(instance.slots)
        self.n_slots = n_slots
        weights = state.weights
        unit = weights[MISSED] or 1.0
        self.unit = unit
        # Everything is priced in missed favourites, the first goal.
        self.w_overflow = weights[OVERFLOW] / unit
        self.w_clash = weights[TRACK_CLASH] / unit
        w_preference = weights[PREFERENCE] / unit
        w_changes = weights[CHANGES] / unit
        self.mobile_ids = [
            s for s in sorted(movable) if state.pos[s] is not None and times_only(instance.sessions[s])
        ]
        self.mobile = np.array(self.mobile_ids, dtype=np.int64)
        is_mobile = np.zeros(n, dtype=bool)
        is_mobile[self.mobile_ids] = True
        self.slot_of = np.full(n, -1, dtype=np.int64)
        for s in self.mobile_ids:
            self.slot_of[s] = state.pos[s][0]
        covers = [
            state.candidates.cover[s][place[0]] if place is not None else ()
            for s, place in enumerate(state.pos)
        ]

        # Times: allowed per session (never where a plenary session runs), preference and change costs.
        plenary_times = np.zeros(n_slots, dtype=bool)
        for s, cover in enumerate(covers):
            if cover and instance.sessions[s].plenary:
                plenary_times[list(cover)] = True
        self.allowed = np.zeros((n, n_slots), dtype=np.bool_)
        self.fixed_cost = np.zeros((n, n_slots))
        for s in self.mobile_ids:
            session = instance.sessions[s]
            self.allowed[s, list(state.candidates.rooms[s])] = True
            self.allowed[s, plenary_times] = False
            if session.preferred:
                outside = np.ones(n_slots, dtype=bool)
                outside[list(session.preferred)] = False
                self.fixed_cost[s, outside] += w_preference
            current = instance.current.get(s)
            if current is not None:
                self.fixed_cost[s] += w_changes
                self.fixed_cost[s, current[0]] -= w_changes

        # Favourites: per attendee and time (every placed session counts, fixed ones too).
        self.count = np.ascontiguousarray(state.star_count.T, dtype=np.int32)  # [attendee, time]
        self.fan_ptr, self.fan_idx = _csr([state.fans[s] for s in range(n)])
        self.star_ptr, self.star_idx = _csr([sorted(starred) for starred in instance.stars])
        # `into[x, t]`: stargazers of x with a favourite at t (what moving x to t costs in missed favourites).
        has = (state.star_count >= 1).astype(np.float32)  # [time, attendee]
        stars = np.zeros((len(instance.stars), n), dtype=np.float32)
        for a, starred in enumerate(instance.stars):
            stars[a, list(starred)] = 1
        self.into = np.ascontiguousarray(np.rint((has @ stars).T), dtype=np.int32)
        self.clashing = np.zeros(n, dtype=np.int64)
        for s in self.mobile_ids:
            fans = state.fans[s]
            if len(fans):
                self.clashing[s] = int(np.count_nonzero(state.star_count[self.slot_of[s], fans] >= 2))

        # Tracks.
        names = sorted({session.track for session in instance.sessions if session.track is not None})
        index = {name: i for i, name in enumerate(names)}
        self.track_of = np.array([index.get(x.track, -1) for x in instance.sessions], dtype=np.int64)
        self.track_running = np.zeros((max(1, len(names)), n_slots), dtype=np.int64)
        for s, cover in enumerate(covers):
            if cover and self.track_of[s] >= 0:
                self.track_running[self.track_of[s], list(cover)] += 1

        # Speakers, and the times a session at t keeps them from (the pause, within the day).
        people = sorted({p for session in instance.sessions for p in session.speakers})
        person = {p: i for i, p in enumerate(people)}
        self.speaker_ptr, self.speaker_idx = _csr(
            [[person[p] for p in session.speakers] for session in instance.sessions]
        )
        self.busy = np.zeros((max(1, len(people)), n_slots), dtype=np.int64)
        for s, cover in enumerate(covers):
            for p in instance.sessions[s].speakers:
                self.busy[person[p], list(cover)] += 1
        pause = instance.min_pause_slots
        candidates = state.candidates
        self.window_low = np.array(
            [max(candidates.day_first[t], t - pause) for t in range(n_slots)], dtype=np.int64
        )
        self.window_high = np.array(
            [min(candidates.day_last[t], t + pause) for t in range(n_slots)], dtype=np.int64
        )

        # Rooms: per time, the capacities free for mobile sessions (largest first) and their audiences.
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
        self.capacity = np.full((n_slots, width), -np.inf)
        self.capacity_count = np.zeros(n_slots, dtype=np.int64)
        for t, caps in enumerate(capacities):
            self.capacity[t, : len(caps)] = caps
            self.capacity_count[t] = len(caps)
        self.audience = np.array([session.audience for session in instance.sessions], dtype=np.float64)
        self.dealt = np.full((n_slots, width), -np.inf)
        self.dealt_count = np.zeros(n_slots, dtype=np.int64)
        for t in range(n_slots):
            members = sorted(
                (self.audience[s] for s in self.mobile_ids if self.slot_of[s] == t), reverse=True
            )
            self.dealt[t, : len(members)] = members
            self.dealt_count[t] = len(members)
        self.overflow = np.array(
            [_overflow(self.dealt[t], self.dealt_count[t], self.capacity[t]) for t in range(n_slots)]
        )
        self.seats = np.array(
            [
                _seats(self.dealt[t], self.dealt_count[t], self.capacity[t], self.capacity_count[t])
                for t in range(n_slots)
            ]
        )
        # The draw: a Fenwick tree over the mobile sessions' weights (1 + DRAW_BIAS x clashing stargazers).
        self.mobile_index = np.full(n, -1, dtype=np.int64)
        self.mobile_index[self.mobile] = np.arange(len(self.mobile))
        self.tree = np.zeros(len(self.mobile) + 1)
        self.tree_total = np.zeros(1)
        for i, s in enumerate(self.mobile_ids):
            _fenwick_add(self.tree, self.tree_total, i, 1.0 + DRAW_BIAS * self.clashing[s])
        self.totals = np.array([self.priced_total(), 0.0])
        self.totals[1] = self.totals[0]
        self.best_slots = self.slot_of.copy()
        _seed(int(seed))

    def priced_total(self) -> float:
        """From scratch: the priced total of what this search changes (missed-favourite units)."""
        missed = float(np.maximum(self.count - 1, 0).sum())
        clash = float(np.maximum(self.track_running - 1, 0).sum())
        mobile = self.mobile
        fixed = float(self.fixed_cost[mobile, self.slot_of[mobile]].sum()) if len(mobile) else 0.0
        overflow = sum(
            _overflow(self.dealt[t], self.dealt_count[t], self.capacity[t]) for t in range(self.n_slots)
        )
        return missed + self.w_clash * clash + fixed + self.w_overflow * overflow

    def missed(self) -> int:
        return int(np.maximum(self.count - 1, 0).sum())

    def run(self, steps, temperature_from, temperature_to) -> int:
        """Make `steps` heat-bath steps, cooling geometrically between the two temperatures."""
        return _steps(
            steps,
            float(temperature_from),
            float(temperature_to),
            self.mobile,
            self.count,
            self.fan_ptr,
            self.fan_idx,
            self.into,
            self.star_ptr,
            self.star_idx,
            self.slot_of,
            self.allowed,
            self.fixed_cost,
            self.track_of,
            self.track_running,
            self.w_clash,
            self.speaker_ptr,
            self.speaker_idx,
            self.busy,
            self.window_low,
            self.window_high,
            self.dealt,
            self.dealt_count,
            self.capacity,
            self.capacity_count,
            self.overflow,
            self.seats,
            self.audience,
            self.w_overflow,
            self.clashing,
            self.totals,
            self.best_slots,
            DRAW_BIAS,
            self.tree,
            self.tree_total,
            self.mobile_index,
        )


def _csr(rows):
    pointer = np.zeros(len(rows) + 1, dtype=np.int64)
    for i, row in enumerate(rows):
        pointer[i + 1] = pointer[i] + len(row)
    values = np.zeros(max(1, pointer[-1]), dtype=np.int64)
    for i, row in enumerate(rows):
        values[pointer[i] : pointer[i + 1]] = list(row)
    return pointer, values


@numba.njit(cache=True)
def _fenwick_add(tree, total, i, delta):
    total[0] += delta
    i += 1
    while i < len(tree):
        tree[i] += delta
        i += i & -i


@numba.njit(cache=True)
def _fenwick_find(tree, target):
    """The index i whose cumulative weight range holds `target`."""
    position = 0
    step = 1
    while step * 2 < len(tree):
        step *= 2
    while step > 0:
        following = position + step
        if following < len(tree) and tree[following] <= target:
            position = following
            target -= tree[following]
        step //= 2
    return min(position, len(tree) - 2)


@numba.njit(cache=True)
def _seed(seed):
    np.random.seed(seed)


@numba.njit(cache=True)
def _overflow(dealt, count, capacity):
    """Overflow seats of a time whose audiences (largest first) take its free rooms largest first."""
    total = 0.0
    for i in range(count):
        excess = dealt[i] - capacity[i]
        if excess > 0:
            total += excess
    return total


@numba.njit(cache=True)
def _overflow_with(dealt, count, capacity, capacity_count, x):
    """The same with one more audience `x` dealt in; inf when there is no room left for it."""
    if count + 1 > capacity_count:
        return np.inf
    total = 0.0
    i = 0
    placed = False
    for position in range(count + 1):
        if not placed and (i >= count or dealt[i] < x):
            value = x
            placed = True
        else:
            value = dealt[i]
            i += 1
        excess = value - capacity[position]
        if excess > 0:
            total += excess
    return total


@numba.njit(cache=True)
def _seats(dealt, count, capacity, capacity_count):
    """The largest audience a time can take in without more overflow (-1 when it has no room left).

    More audience never means less overflow, so every audience up to this one costs nothing; it is found
    by bisection over whole seats.
    """
    if count + 1 > capacity_count:
        return -1.0
    base = _overflow(dealt, count, capacity)
    low, high = 0.0, capacity[0]
    if _overflow_with(dealt, count, capacity, capacity_count, high) <= base + 1e-9:
        return high
    while high - low > 0.5:
        middle = np.floor((low + high) / 2)
        if middle <= low:
            break
        if _overflow_with(dealt, count, capacity, capacity_count, middle) <= base + 1e-9:
            low = middle
        else:
            high = middle
    return low


@numba.njit(cache=True)
def _overflow_without(dealt, count, capacity, x):
    """The same with one audience equal to `x` taken out."""
    total = 0.0
    position = 0
    skipped = False
    for i in range(count):
        if not skipped and dealt[i] == x:
            skipped = True
            continue
        excess = dealt[i] - capacity[position]
        position += 1
        if excess > 0:
            total += excess
    return total


@numba.njit(cache=True)
def _other_at(attendee, t, s, star_ptr, star_idx, slot_of):
    """The mobile favourite of `attendee` running at t other than `s`, or -1."""
    for j in range(star_ptr[attendee], star_ptr[attendee + 1]):
        other = star_idx[j]
        if other != s and slot_of[other] == t:
            return other
    return -1


@numba.njit(cache=True)
def _steps(
    steps,
    temperature_from,
    temperature_to,
    mobile,
    count,
    fan_ptr,
    fan_idx,
    into,
    star_ptr,
    star_idx,
    slot_of,
    allowed,
    fixed_cost,
    track_of,
    track_running,
    w_clash,
    speaker_ptr,
    speaker_idx,
    busy,
    window_low,
    window_high,
    dealt,
    dealt_count,
    capacity,
    capacity_count,
    overflow,
    seats,
    audience,
    w_overflow,
    clashing,
    totals,
    best_slots,
    draw_bias,
    tree,
    tree_total,
    mobile_index,
):
    n_slots = count.shape[1]
    n_mobile = len(mobile)
    price = np.empty(n_slots)
    odds = np.empty(n_slots)
    free = np.empty(n_slots, dtype=np.int64)
    moves = 0
    ratio = temperature_to / temperature_from
    for step in range(steps):
        temperature = temperature_from * ratio ** (step / steps)
        # Draw a session, the likelier the more of its stargazers clash with it.
        if draw_bias > 0:
            s = mobile[_fenwick_find(tree, np.random.random() * tree_total[0])]
        else:
            s = mobile[np.random.randint(n_mobile)]
        t1 = slot_of[s]
        # Missed favourites: stargazers with a favourite at t, minus those clashing at t1.
        for t in range(n_slots):
            price[t] = into[s, t]
        leaving = clashing[s]
        track = track_of[s]
        x = audience[s]
        removed = _overflow_without(dealt[t1], dealt_count[t1], capacity[t1], x) - overflow[t1]
        for t in range(n_slots):
            free[t] = 1 if allowed[s, t] else 0
        for j in range(speaker_ptr[s], speaker_ptr[s + 1]):
            p = speaker_idx[j]
            for t in range(n_slots):
                if free[t] == 0:
                    continue
                for u in range(window_low[t], window_high[t] + 1):
                    if busy[p, u] - (1 if u == t1 else 0) > 0:
                        free[t] = 0
                        break
        low = np.inf
        for t in range(n_slots):
            if t == t1:
                price[t] = 0.0
            elif free[t] == 0:
                price[t] = np.inf
            else:
                value = price[t] - leaving + fixed_cost[s, t] - fixed_cost[s, t1]
                if track >= 0:
                    if track_running[track, t] >= 1:
                        value += w_clash
                    if track_running[track, t1] >= 2:
                        value -= w_clash
                if seats[t] < 0:
                    value = np.inf
                elif x <= seats[t]:
                    value += w_overflow * removed
                else:
                    added = _overflow_with(dealt[t], dealt_count[t], capacity[t], capacity_count[t], x)
                    value += w_overflow * (added - overflow[t] + removed)
                price[t] = value
            if price[t] < low:
                low = price[t]
        # Heat bath: time t with odds exp(-price / temperature), staying put included.
        odds_sum = 0.0
        for t in range(n_slots):
            if price[t] - low > 40 * temperature:
                odds[t] = 0.0
            else:
                odds[t] = np.exp(-(price[t] - low) / temperature)
            odds_sum += odds[t]
        target = np.random.random() * odds_sum
        t2 = t1
        running_sum = 0.0
        for t in range(n_slots):
            running_sum += odds[t]
            if odds[t] > 0 and running_sum > target:
                t2 = t
                break
        if t2 == t1:
            continue
        # Move s from t1 to t2.
        moves += 1
        gained = 0
        for f in range(fan_ptr[s], fan_ptr[s + 1]):
            a = fan_idx[f]
            before = count[a, t1]
            count[a, t1] = before - 1
            if before == 1:
                for j in range(star_ptr[a], star_ptr[a + 1]):
                    into[star_idx[j], t1] -= 1
            elif before == 2:
                other = _other_at(a, t1, s, star_ptr, star_idx, slot_of)
                if other >= 0:
                    clashing[other] -= 1
                    if draw_bias > 0:
                        _fenwick_add(tree, tree_total, mobile_index[other], -draw_bias)
            before = count[a, t2]
            count[a, t2] = before + 1
            if before == 0:
                for j in range(star_ptr[a], star_ptr[a + 1]):
                    into[star_idx[j], t2] += 1
            if before >= 1:
                gained += 1
            if before == 1:
                other = _other_at(a, t2, s, star_ptr, star_idx, slot_of)
                if other >= 0:
                    clashing[other] += 1
                    if draw_bias > 0:
                        _fenwick_add(tree, tree_total, mobile_index[other], draw_bias)
        if draw_bias > 0:
            _fenwick_add(tree, tree_total, mobile_index[s], draw_bias * (gained - clashing[s]))
        clashing[s] = gained
        if track >= 0:
            track_running[track, t1] -= 1
            track_running[track, t2] += 1
        for j in range(speaker_ptr[s], speaker_ptr[s + 1]):
            busy[speaker_idx[j], t1] -= 1
            busy[speaker_idx[j], t2] += 1
        # Audiences: out of t1's sorted row, into t2's.
        row = dealt[t1]
        m = dealt_count[t1]
        i = 0
        while row[i] != x:
            i += 1
        for k in range(i, m - 1):
            row[k] = row[k + 1]
        row[m - 1] = -np.inf
        dealt_count[t1] = m - 1
        row = dealt[t2]
        m = dealt_count[t2]
        i = m
        while i > 0 and row[i - 1] < x:
            row[i] = row[i - 1]
            i -= 1
        row[i] = x
        dealt_count[t2] = m + 1
        overflow[t1] = _overflow(dealt[t1], dealt_count[t1], capacity[t1])
        overflow[t2] = _overflow(dealt[t2], dealt_count[t2], capacity[t2])
        seats[t1] = _seats(dealt[t1], dealt_count[t1], capacity[t1], capacity_count[t1])
        seats[t2] = _seats(dealt[t2], dealt_count[t2], capacity[t2], capacity_count[t2])
        slot_of[s] = t2
        totals[0] += price[t2]
        if totals[0] < totals[1] - 1e-9:
            totals[1] = totals[0]
            best_slots[:] = slot_of
    return moves


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
    ratio = END_TEMPERATURE / START_TEMPERATURE
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
        search.run(chunk, START_TEMPERATURE * ratio**begin, START_TEMPERATURE * ratio**end)
        begin = end
        steps += chunk
        if progress and time.monotonic() - last_report >= report_every:
            last_report = time.monotonic()
            best_total = round(search.totals[1] * search.unit, 3)
            report(progress, "searching", clock.started, steps, state.unplaced, search.missed(), best_total)
    write_back(state, search, search.best_slots)
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
