"""The compiled steps of the annealing over times (`timing.py`): numba functions over its groups of arrays.

`run_steps` makes the heat-bath steps: draw a session, price moving it to every time (where its
speakers allow it: `_free_times`), pick one (`_heat_bath`) and move it there, keeping every counter of
the groups exact (`_move_favourites`, `_move_audience`). The other public functions serve
`timing.TimeAnnealer` when it builds the groups.

Everything numba compiles for the annealing lives in this one file: numba's cache is keyed on a file's
own text, so a compiled function calling one from another file would not be recompiled when only that
other file changes.
"""

import numba
import numpy as np


@numba.njit(cache=True)
def run_steps(steps, temperature_from, temperature_to, times, favourites, tracks, speakers, rooms, draw):
    """Make `steps` heat-bath steps, cooling geometrically from one temperature to the other.

    Returns the moves made; updates every group in place, and `times.best_slots` when the total is the
    best seen.
    """
    # The fields are read once, before the loop: reading them inside it, or splitting the pricing into
    # helpers that take whole groups (inlined or not), measured 5-20% slower.
    mobile, slot_of, allowed, fixed_cost = times.mobile, times.slot_of, times.allowed, times.fixed_cost
    totals, best_slots = times.totals, times.best_slots
    into, clashing = favourites.into, favourites.clashing
    track_of, running, w_clash = tracks.track_of, tracks.running, tracks.weight
    busy, speaker_ptr, speaker_idx = speakers.busy, speakers.ptr, speakers.idx
    audience, capacity, capacity_count = rooms.audience, rooms.capacity, rooms.capacity_count
    dealt, dealt_count, overflow, seats = rooms.dealt, rooms.dealt_count, rooms.overflow, rooms.seats
    w_overflow = rooms.weight
    bias, tree, tree_total = draw.bias, draw.tree, draw.total
    n_slots = allowed.shape[1]
    price = np.empty(n_slots)
    odds = np.empty(n_slots)
    free = np.empty(n_slots, dtype=np.int64)
    moves = 0
    # The cooling schedule (`Cooling`) over this chunk. Written out rather than called from cooling.py:
    # numba's cache of this loop is keyed on this file's text alone, so it would miss a change there.
    ratio = temperature_to / temperature_from
    for step in range(steps):
        temperature = temperature_from * ratio ** (step / steps)
        # Draw a session, the likelier the more of its stargazers clash with it.
        if bias > 0:
            s = mobile[_fenwick_find(tree, np.random.random() * tree_total[0])]
        else:
            s = mobile[np.random.randint(len(mobile))]
        t1 = slot_of[s]
        # Price every time: missed favourites (stargazers with a favourite at t, minus those clashing
        # at t1), own costs, track clashes and overflow; inf where a hard rule forbids it.
        for t in range(n_slots):
            price[t] = into[s, t]
        leaving = clashing[s]
        track = track_of[s]
        x = audience[s]
        removed = _overflow_without(dealt[t1], dealt_count[t1], capacity[t1], x) - overflow[t1]
        _free_times(s, t1, free, allowed, speakers)
        low = np.inf
        for t in range(n_slots):
            if t == t1:
                price[t] = 0.0
            elif free[t] == 0:
                price[t] = np.inf
            else:
                value = price[t] - leaving + fixed_cost[s, t] - fixed_cost[s, t1]
                if track >= 0:
                    if running[track, t] >= 1:
                        value += w_clash
                    if running[track, t1] >= 2:
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
        t2 = _heat_bath(t1, price, low, odds, temperature)
        if t2 == t1:
            continue
        # Move s from t1 to t2.
        moves += 1
        _move_favourites(s, t1, t2, slot_of, favourites, draw)
        if track >= 0:
            running[track, t1] -= 1
            running[track, t2] += 1
        for j in range(speaker_ptr[s], speaker_ptr[s + 1]):
            busy[speaker_idx[j], t1] -= 1
            busy[speaker_idx[j], t2] += 1
        _move_audience(x, t1, t2, rooms)
        slot_of[s] = t2
        totals[0] += price[t2]
        if totals[0] < totals[1] - 1e-9:
            totals[1] = totals[0]
            best_slots[:] = slot_of
    return moves


@numba.njit(cache=True)
def _free_times(s, t1, free, allowed, speakers):
    """Into `free`: 1 at the times `s` (now at t1) may move to, its speakers free there with the pause."""
    ptr, idx, busy = speakers.ptr, speakers.idx, speakers.busy
    window_low, window_high = speakers.window_low, speakers.window_high
    n_slots = len(free)
    for t in range(n_slots):
        free[t] = 1 if allowed[s, t] else 0
    for j in range(ptr[s], ptr[s + 1]):
        p = idx[j]
        for t in range(n_slots):
            if free[t] == 0:
                continue
            for u in range(window_low[t], window_high[t] + 1):
                if busy[p, u] - (1 if u == t1 else 0) > 0:
                    free[t] = 0
                    break


@numba.njit(cache=True)
def _heat_bath(t1, price, low, odds, temperature):
    """The time to go to: t with odds exp(-price / temperature), staying put (t1) included."""
    n_slots = len(price)
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
    return t2


@numba.njit(cache=True)
def _move_favourites(s, t1, t2, slot_of, favourites, draw):
    """Favourites per attendee and time, `into` and `clashing` (and the draw's weights) after the move."""
    count, into, clashing = favourites.count, favourites.into, favourites.clashing
    fan_ptr, fan_idx = favourites.fan_ptr, favourites.fan_idx
    star_ptr, star_idx = favourites.star_ptr, favourites.star_idx
    bias, tree, total, index = draw.bias, draw.tree, draw.total, draw.index
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
                if bias > 0:
                    fenwick_add(tree, total, index[other], -bias)
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
                if bias > 0:
                    fenwick_add(tree, total, index[other], bias)
    if bias > 0:
        fenwick_add(tree, total, index[s], bias * (gained - clashing[s]))
    clashing[s] = gained


@numba.njit(cache=True)
def _other_at(attendee, t, s, star_ptr, star_idx, slot_of):
    """The mobile favourite of `attendee` running at t other than `s`, or -1."""
    for j in range(star_ptr[attendee], star_ptr[attendee + 1]):
        other = star_idx[j]
        if other != s and slot_of[other] == t:
            return other
    return -1


@numba.njit(cache=True)
def _move_audience(x, t1, t2, rooms):
    """Audience `x` out of t1's sorted row, into t2's; both times' overflow and free seats again."""
    capacity, capacity_count = rooms.capacity, rooms.capacity_count
    dealt, dealt_count, overflow, seats = rooms.dealt, rooms.dealt_count, rooms.overflow, rooms.seats
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
    overflow[t1] = overflow_of(dealt[t1], dealt_count[t1], capacity[t1])
    overflow[t2] = overflow_of(dealt[t2], dealt_count[t2], capacity[t2])
    seats[t1] = seats_of(dealt[t1], dealt_count[t1], capacity[t1], capacity_count[t1])
    seats[t2] = seats_of(dealt[t2], dealt_count[t2], capacity[t2], capacity_count[t2])


# Audiences and rooms: a time's free rooms largest first take its audiences largest first.


@numba.njit(cache=True)
def overflow_of(dealt, count, capacity):
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
def seats_of(dealt, count, capacity, capacity_count):
    """The largest audience a time can take in without more overflow (-1 when it has no room left).

    More audience never means less overflow, so every audience up to this one costs nothing; it is found
    by bisection over whole seats.
    """
    if count + 1 > capacity_count:
        return -1.0
    base = overflow_of(dealt, count, capacity)
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


# The draw: a Fenwick tree over the weights of the mobile sessions.


@numba.njit(cache=True)
def fenwick_add(tree, total, i, delta):
    """Add `delta` to the weight of i (and to the total)."""
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
def seed_random(seed):
    """Seed numba's own generator, the one the steps draw from."""
    np.random.seed(seed)
