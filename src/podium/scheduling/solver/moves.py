"""Candidate moves over times (relocations and swaps), cheapest first, for the final descent at scale.

Trying every pair of sessions for a swap is too slow beyond a few hundred sessions, so the descent asks
here for each session's cheapest relocations and swaps of times by the pairwise view of missed favourites
(`State.pair_load`), in a few vector operations, and then evaluates only those exactly on the state.
"""

import numpy as np

RELOCATIONS = 6  # cheapest relocations (by the pairwise price) proposed per session
SWAPS = 10  # cheapest swaps proposed per session


class PricedMoves:
    def __init__(self, state, movable):
        self.state = state
        instance = state.instance
        if state.pairs is None:
            state.track_pairs()
        n, n_slots = len(instance.sessions), len(instance.slots)
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

    def moves(self, a):
        """Moves of `a` in order of their pairwise price: ("move", t) and ("swap", b)."""
        load, pairs = self.state.pair_load, self.state.pairs
        ta = int(self.slot_of[a])
        here = load[ta, a]
        fans = self.state.fans[a]
        if len(fans):
            # Exact for a move alone: fans with a favourite at the new time, minus fans keeping one here.
            counts = self.state.star_count[:, fans]
            relocations = np.count_nonzero(counts, axis=1).astype(np.float64)
            relocations -= np.count_nonzero(counts[ta] >= 2)
        else:
            relocations = np.zeros(load.shape[0])
        relocations[~self.allowed[a]] = np.inf
        relocations[self.plenary_times()] = np.inf
        relocations[ta] = np.inf
        moves = [
            (relocations[t], "move", int(t))
            for t in np.argsort(relocations)[:RELOCATIONS]
            if relocations[t] < np.inf
        ]
        others = np.flatnonzero(self.mobile & (self.slot_of >= 0) & (self.slot_of != ta))
        if len(others):
            tb = self.slot_of[others]
            price = load[tb, a] - here + load[ta, others] - load[tb, others] - 2 * pairs[a, others]
            price = price.astype(np.float64)
            price[~(self.allowed[a, tb] & self.allowed[others, ta])] = np.inf
            count = min(SWAPS, len(others))
            cheapest = np.argpartition(price, count - 1)[:count]
            moves += [(price[i], "swap", int(others[i])) for i in cheapest if price[i] < np.inf]
        moves.sort(key=lambda item: item[0])
        return moves

    def plenary_times(self):
        return np.flatnonzero(np.asarray(self.state.plenary_running) > 0)

    def sync(self):
        """Re-read the times after the state was changed (a swap was made)."""
        self.slot_of[:] = -1
        for s, place in enumerate(self.state.pos):
            if place is not None:
                self.slot_of[s] = place[0]
