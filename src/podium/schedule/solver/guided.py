"""Guided search over times: which sessions run together decides missed favourites, so search that first.

Each step draws one session that shares its time with sessions its stargazers also starred (the more
such pairs, the likelier it is drawn), prices every other time it could move to and every session it
could swap times with in a few vector operations on `State.pair_load` (the pairwise view of missed
favourites), and evaluates the cheapest of those moves exactly on the state: every weighted term, every
hard rule, with the room re-chosen by best fit at the new time. The best of them is made when it
improves, or with the annealing odds when it does not, unless it is tabu (a session going back to a
time it just left) and does not beat the best schedule. Random proposals, as plain annealing makes
them, are almost all refused on a good schedule; priced ones are not, which is where the gain comes
from. The best schedule seen is kept. Sessions longer than one slot, plenary sessions and fixed ones
are left to the other moves.
"""

import math
import time

import numpy as np

EPSILON = 1e-9
RELOCATIONS = 6  # cheapest relocations (by the pairwise price) considered per step
SWAPS = 10  # cheapest swaps considered per step
EXACT = 2  # feasible moves evaluated exactly per step
TENURE = (10, 25)  # steps a session may not return to a time it left
RESTART_AFTER = 4000  # steps without a new best before going back to the best schedule (at most)
MAX_RESTARTS = 3  # fruitless returns to the best schedule before the search stops early
START_TEMPERATURE = 1.0  # in missed favourites: a move costing one more is taken with odds 1/e at first


class TimeSearch:
    def __init__(self, state, movable, rng):
        self.state = state
        instance = state.instance
        if state.pairs is None:
            state.track_pairs()
        n, n_slots = len(instance.sessions), len(instance.slots)
        self.rng = np.random.default_rng(rng.randrange(2**32) if rng is not None else 0)
        self.mobile = np.array(
            [
                s in movable
                and instance.sessions[s].length == 1
                and not instance.sessions[s].plenary
                and bool(state.candidates.starts[s])
                for s in range(n)
            ],
            dtype=bool,
        )
        self.allowed = np.zeros((n, n_slots), dtype=bool)
        for s in range(n):
            self.allowed[s, list(state.candidates.rooms[s])] = True
        self.slot_of = np.full(n, -1, dtype=np.intp)
        for s, place in enumerate(state.pos):
            if place is not None:
                self.slot_of[s] = place[0]
        self.tabu = {}

    # -- exact evaluation ---------------------------------------------------------------------------

    def _room(self, s, t):
        """The best-fit free room for `s` at `t` (candidate rooms are in best-fit order), or None."""
        state = self.state
        for room in state.candidates.rooms[s].get(t, ()):
            if state.room_occupant[room][t] == -1:
                return room
        return None

    def relocation(self, a, t):
        """(weighted delta, room) of moving placed `a` to start `t`, or None if a hard rule forbids it."""
        state = self.state
        old = state.pos[a]
        before = state.total()
        state.remove(a)
        result = None
        if state.time_free(a, t):
            room = self._room(a, t)
            if room is not None:
                delta = state.time_delta(a, t) + state.room_delta(a, t, room) + state.total() - before
                result = (delta, room)
        state.add(a, *old)
        return result

    def swap(self, a, b):
        """(weighted delta, room for a, room for b) of exchanging the times of `a` and `b`, or None."""
        state = self.state
        place_a, place_b = state.pos[a], state.pos[b]
        before = state.total()
        state.remove(a)
        state.remove(b)
        result = None
        ta, tb = place_a[0], place_b[0]
        if state.time_free(a, tb):
            room_a = self._room(a, tb)
            if room_a is not None:
                state.add(a, tb, room_a)
                if state.time_free(b, ta):
                    room_b = self._room(b, ta)
                    if room_b is not None:
                        state.add(b, ta, room_b)
                        result = (state.total() - before, room_a, room_b)
                        state.remove(b)
                state.remove(a)
        state.add(a, *place_a)
        state.add(b, *place_b)
        return result

    # -- one step -----------------------------------------------------------------------------------

    def _draw(self):
        """A placed mobile session, drawn with weight 1 + its pairwise conflicts at its time."""
        candidates = np.flatnonzero(self.mobile & (self.slot_of >= 0))
        if not len(candidates):
            return None
        load = self.state.pair_load[self.slot_of[candidates], candidates].astype(np.float64) + 1.0
        cumulative = np.cumsum(load)
        pick = int(np.searchsorted(cumulative, self.rng.random() * cumulative[-1], side="right"))
        return int(candidates[min(pick, len(candidates) - 1)])

    def proposals(self, a):
        """Moves of `a` in order of their pairwise price: ("move", t) and ("swap", b)."""
        load, pairs = self.state.pair_load, self.state.pairs
        ta = int(self.slot_of[a])
        here = load[ta, a]
        fans = self.state.fans[a]
        if len(fans):
            # Exact for a move alone: fans with a favourite at the new time, minus fans keeping one here.
            counts = self.state.star_count[:, fans]
            moves = np.count_nonzero(counts, axis=1).astype(np.float64)
            moves -= np.count_nonzero(counts[ta] >= 2)
        else:
            moves = np.zeros(load.shape[0])
        moves[~self.allowed[a]] = np.inf
        moves[self.plenary_times()] = np.inf
        moves[ta] = np.inf
        proposals = [(moves[t], "move", int(t)) for t in np.argsort(moves)[:RELOCATIONS] if moves[t] < np.inf]
        others = np.flatnonzero(self.mobile & (self.slot_of >= 0) & (self.slot_of != ta))
        if len(others):
            tb = self.slot_of[others]
            price = load[tb, a] - here + load[ta, others] - load[tb, others] - 2 * pairs[a, others]
            price = price.astype(np.float64)
            price[~(self.allowed[a, tb] & self.allowed[others, ta])] = np.inf
            count = min(SWAPS, len(others))
            cheapest = np.argpartition(price, count - 1)[:count]
            proposals += [(price[i], "swap", int(others[i])) for i in cheapest if price[i] < np.inf]
        proposals.sort(key=lambda item: item[0])
        return proposals

    def plenary_times(self):
        return np.flatnonzero(np.asarray(self.state.plenary_running) > 0)

    def _is_tabu(self, session, t, step):
        return self.tabu.get((session, t), 0) > step

    def step(self, step, best_total, temperature):
        """Make the best (non-tabu, or new best) of the evaluated moves; return whether one was made."""
        state = self.state
        a = self._draw()
        if a is None:
            return False
        ta = int(self.slot_of[a])
        chosen, evaluated = None, 0
        current = state.total()
        for _price, kind, target in self.proposals(a):
            if evaluated >= EXACT:
                break
            if kind == "move":
                result = self.relocation(a, target)
                tabu = self._is_tabu(a, target, step)
            else:
                result = self.swap(a, target)
                tabu = self._is_tabu(a, int(self.slot_of[target]), step) or self._is_tabu(target, ta, step)
            if result is None:
                continue
            evaluated += 1
            delta = result[0]
            if tabu and current + delta >= best_total - EPSILON:
                continue
            if chosen is None or delta < chosen[0] - EPSILON:
                chosen = (delta, kind, target, result)
        if chosen is None:
            return False
        delta, kind, target, result = chosen
        if delta > EPSILON and (temperature <= 0 or self.rng.random() >= math.exp(-delta / temperature)):
            return False
        tenure = int(self.rng.integers(*TENURE))
        if kind == "move":
            state.remove(a)
            state.add(a, target, result[1])
            self.slot_of[a] = target
        else:
            tb = int(self.slot_of[target])
            state.remove(a)
            state.remove(target)
            state.add(a, tb, result[1])
            state.add(target, ta, result[2])
            self.slot_of[a], self.slot_of[target] = tb, ta
            self.tabu[(target, tb)] = step + tenure
        self.tabu[(a, ta)] = step + tenure
        return True

    def sync(self):
        """Re-read the times after the state was changed from outside (reset to the best schedule)."""
        self.slot_of[:] = -1
        for s, place in enumerate(self.state.pos):
            if place is not None:
                self.slot_of[s] = place[0]


def guided_search(state, movable, clock, rng, progress=None, report_every=2.0) -> int:
    """Improve the times of the state's one-slot sessions until the clock runs out; return the steps.

    The state is left at the best schedule seen (never fewer sessions placed than it started with).
    """
    search = TimeSearch(state, movable, rng)
    if not search.mobile.any():
        return 0
    best_cost, best = state.cost(), state.placement()
    temperature0 = START_TEMPERATURE * state.weights[0]
    steps, since_best, restarts, last_report = 0, 0, 0, time.monotonic()
    best_missed = state.terms[0]
    stall_limit = min(RESTART_AFTER, 50 * int(search.mobile.sum()) + 200)
    while not clock.over(steps):
        steps += 1
        since_best += 1
        fraction = min(1.0, clock.fraction(steps))
        temperature = temperature0 * (0.01**fraction)
        if not search.step(steps, best_cost[1], temperature):
            since_best += 10
        cost = state.cost()
        if cost[0] < best_cost[0] or (cost[0] == best_cost[0] and cost[1] < best_cost[1] - EPSILON):
            best_cost, best, since_best, restarts = cost, state.placement(), 0, 0
            best_missed = state.terms[0]
        elif since_best >= stall_limit:
            if restarts >= MAX_RESTARTS:
                break  # a small instance is done long before its time limit
            restarts += 1
            state.reset_to(best)
            search.sync()
            search.tabu.clear()
            since_best = 0
        if progress and steps % 64 == 0 and time.monotonic() - last_report >= report_every:
            last_report = time.monotonic()
            progress(
                {
                    "phase": "searching",
                    "seconds": round(time.monotonic() - clock.started, 3),
                    "iterations": steps,
                    "unscheduled": best_cost[0],
                    "missed_favourites": best_missed,
                    "total": best_cost[1],
                }
            )
    state.reset_to(best)
    return steps
