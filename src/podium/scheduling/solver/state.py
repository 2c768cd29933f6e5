"""A partial schedule with every hard rule and soft term kept up to date move by move.

The search tries hundreds of thousands of moves, so nothing here recomputes from scratch: adding or
removing a session touches only its own slots, room, speakers, track and the attendees who starred it.
Missed favourites are counted per attendee and slot (k starred sessions at once cost k - 1), so the
delta of a move is exact: the stargazers of the session who already have a favourite at that time.
"""

import numpy as np

from .objective import TERMS

MISSED, OVERFLOW, TRACK_ROOM, TRACK_CLASH, PREFERENCE, CHANGES = range(len(TERMS))


class Candidates:
    """Where each session may go, as far as its own data decides (allowed slots, room tags, availability)."""

    def __init__(self, instance):
        self.instance = instance
        slots = instance.slots
        self.day_first, self.day_last = [], []
        for slot in slots:
            same_day = [i for i, other in enumerate(slots) if other.day_index == slot.day_index]
            self.day_first.append(same_day[0])
            self.day_last.append(same_day[-1])
        self._covers = {}  # (start, length) -> covered slot indices, or None
        self._blocked = {}  # (start, length) -> rooms unavailable at some covered slot
        self._frozen = {}  # tuple of rooms -> the same rooms as a frozenset (shared between sessions)
        self.cover = []  # per session: start -> covered slot indices
        self.window = []  # per session: start -> slots a speaker must keep free (cover plus pause)
        self.rooms = []  # per session: start -> rooms in best-fit order
        self.room_sets = []
        self.starts = []  # per session: its possible starts, as a list to draw from
        for session in instance.sessions:
            self._add(session)

    def _add(self, session):
        instance = self.instance
        cover, window, rooms = {}, {}, {}
        suitable = [r for r, room in enumerate(instance.rooms) if session.room_tags <= room.tags]
        suitable.sort(key=lambda r: self._fit(session, r))
        pause = instance.min_pause_slots
        for start in range(len(instance.slots)):
            key = (start, session.length)
            if key not in self._covers:
                covered = instance.cover(start, session.length)
                self._covers[key] = covered
                self._blocked[key] = (
                    frozenset(
                        r for r, room in enumerate(instance.rooms) if room.unavailable.intersection(covered)
                    )
                    if covered is not None
                    else frozenset()
                )
            covered = self._covers[key]
            if covered is None:
                continue
            if session.allowed is not None and not session.allowed.issuperset(covered):
                continue
            blocked = self._blocked[key]
            free = [r for r in suitable if r not in blocked] if blocked else suitable
            if not free:
                continue
            cover[start] = covered
            low = max(self.day_first[start], covered[0] - pause)
            high = min(self.day_last[start], covered[-1] + pause)
            window[start] = tuple(range(low, high + 1))
            rooms[start] = free
        self.cover.append(cover)
        self.window.append(window)
        self.rooms.append(rooms)
        sets = {}
        for start, free in rooms.items():
            key = tuple(free)
            if key not in self._frozen:
                self._frozen[key] = frozenset(free)
            sets[start] = self._frozen[key]
        self.room_sets.append(sets)
        self.starts.append(list(rooms))

    def _fit(self, session, room_index):
        """Best fit: the smallest room that seats the audience first, then the biggest of the rest."""
        capacity = self.instance.rooms[room_index].capacity
        if capacity >= session.audience:
            return (0, capacity)
        return (1, -capacity)

    def allows(self, session, start, room) -> bool:
        return room in self.room_sets[session].get(start, ())


class State:
    """Placement plus the counters that make feasibility checks and soft-term deltas O(local)."""

    def __init__(self, instance, candidates):
        self.instance = instance
        self.candidates = candidates
        n_slots, n_sessions = len(instance.slots), len(instance.sessions)
        self.pos = [None] * n_sessions
        self.room_occupant = [[-1] * n_slots for _ in instance.rooms]
        people = {p for session in instance.sessions for p in session.speakers}
        self.busy = {p: [0] * n_slots for p in people}
        self.sessions_of = {p: [] for p in people}
        for s, session in enumerate(instance.sessions):
            for p in session.speakers:
                self.sessions_of[p].append(s)
        self.running = [0] * n_slots
        self.plenary_running = [0] * n_slots
        fans = [[] for _ in range(n_sessions)]
        for attendee, starred in enumerate(instance.stars):
            for s in starred:
                fans[s].append(attendee)
        # numpy (an OR-Tools dependency) turns "which stargazers already have a favourite now" into one
        # vectorised look-up instead of a Python loop over hundreds of attendees.
        self.fans = [np.array(attendees, dtype=np.intp) for attendees in fans]
        self.star_count = np.zeros((n_slots, len(instance.stars)), dtype=np.int32)
        tracks = {session.track for session in instance.sessions if session.track is not None}
        self.track_running = {track: [0] * n_slots for track in tracks}
        self.track_day_room = {}
        self.track_day_rooms = {}
        self.weights = [instance.weights[name] for name in TERMS]
        self.terms = [0] * len(TERMS)
        self.terms[CHANGES] = sum(instance.change_weight(s) for s in instance.current)
        self.unplaced = n_sessions
        self.pairs = None  # see track_pairs()
        self.pair_load = None

    def track_pairs(self) -> None:
        """Keep `pair_load[t, x]`: attendees starring both `x` and a session running at `t`, summed.

        `pairs[a, b]` is the number of attendees who starred both a and b. Summed over the sessions
        running at one time, it is the pairwise view of missed favourites (exact while nobody has three
        favourites at once, an upper bound otherwise), and it prices every move and swap of every session
        in a few vector operations, which is how the search picks promising moves instead of random ones.
        """
        n_sessions = len(self.instance.sessions)
        stars = np.zeros((max(1, len(self.instance.stars)), n_sessions), dtype=np.float32)
        for attendee, starred in enumerate(self.instance.stars):
            stars[attendee, list(starred)] = 1
        pairs = (stars.T @ stars).astype(np.int32)
        np.fill_diagonal(pairs, 0)
        self.pairs = pairs
        self.pair_load = np.zeros((len(self.instance.slots), n_sessions), dtype=np.int32)
        for s, place in enumerate(self.pos):
            if place is not None:
                for t in self.candidates.cover[s][place[0]]:
                    self.pair_load[t] += pairs[s]

    # -- reading ------------------------------------------------------------------------------------

    def total(self) -> float:
        return sum(w * v for w, v in zip(self.weights, self.terms, strict=True))

    def cost(self) -> tuple:
        return (self.unplaced, self.total())

    def placement(self) -> dict:
        return {s: place for s, place in enumerate(self.pos) if place is not None}

    def time_free(self, s, start) -> bool:
        """No speaker clash (with the pause) and no plenary conflict if `s` (not placed) starts at `start`."""
        session = self.instance.sessions[s]
        cover = self.candidates.cover[s][start]
        if session.plenary:
            if any(self.running[t] for t in cover):
                return False
        elif any(self.plenary_running[t] for t in cover):
            return False
        window = self.candidates.window[s][start]
        for p in session.speakers:
            busy = self.busy[p]
            if any(busy[t] for t in window):
                return False
        return True

    def room_free(self, s, start, room) -> bool:
        occupant = self.room_occupant[room]
        return all(occupant[t] == -1 for t in self.candidates.cover[s][start])

    def can_place(self, s, start, room) -> bool:
        return (
            self.candidates.allows(s, start, room)
            and self.room_free(s, start, room)
            and self.time_free(s, start)
        )

    def time_delta(self, s, start) -> float:
        """Weighted change of the time-dependent terms if `s` (not placed) started at `start`."""
        session = self.instance.sessions[s]
        cover = self.candidates.cover[s][start]
        missed = 0
        fans = self.fans[s]
        if len(fans):
            for t in cover:
                missed += int(np.count_nonzero(self.star_count[t, fans]))
        clash = 0
        if session.track is not None:
            running = self.track_running[session.track]
            clash = sum(1 for t in cover if running[t])
        preference = 1 if session.preferred and not session.preferred.issuperset(cover) else 0
        w = self.weights
        return w[MISSED] * missed + w[TRACK_CLASH] * clash + w[PREFERENCE] * preference

    def room_delta(self, s, start, room) -> float:
        """Weighted change of the room-dependent terms (overflow, track rooms, changes)."""
        session = self.instance.sessions[s]
        w = self.weights
        delta = w[OVERFLOW] * max(0, session.audience - self.instance.rooms[room].capacity)
        if session.track is not None:
            key = (session.track, self.instance.slots[start].day_index)
            if self.track_day_rooms.get(key, 0) and not self.track_day_room.get((*key, room), 0):
                delta += w[TRACK_ROOM]
        current = self.instance.current.get(s)
        if current is not None and current == (start, room):
            delta -= w[CHANGES] * self.instance.change_weight(s)
        return delta

    # -- changing -----------------------------------------------------------------------------------

    def add(self, s, start, room) -> None:
        """Place `s` (checked by the caller) and update every counter and term."""
        session = self.instance.sessions[s]
        cover = self.candidates.cover[s][start]
        terms = self.terms
        occupant = self.room_occupant[room]
        for t in cover:
            occupant[t] = s
            self.running[t] += 1
            if session.plenary:
                self.plenary_running[t] += 1
        for p in session.speakers:
            busy = self.busy[p]
            for t in cover:
                busy[t] += 1
        fans = self.fans[s]
        if len(fans):
            for t in cover:
                count = self.star_count[t]
                terms[MISSED] += int(np.count_nonzero(count[fans]))
                count[fans] += 1
        terms[OVERFLOW] += max(0, session.audience - self.instance.rooms[room].capacity)
        if session.track is not None:
            running = self.track_running[session.track]
            for t in cover:
                if running[t]:
                    terms[TRACK_CLASH] += 1
                running[t] += 1
            key = (session.track, self.instance.slots[start].day_index)
            room_key = (*key, room)
            if not self.track_day_room.get(room_key, 0):
                if self.track_day_rooms.get(key, 0):
                    terms[TRACK_ROOM] += 1
                self.track_day_rooms[key] = self.track_day_rooms.get(key, 0) + 1
            self.track_day_room[room_key] = self.track_day_room.get(room_key, 0) + 1
        if session.preferred and not session.preferred.issuperset(cover):
            terms[PREFERENCE] += 1
        if self.instance.current.get(s) == (start, room):
            terms[CHANGES] -= self.instance.change_weight(s)
        if self.pairs is not None:
            row = self.pairs[s]
            for t in cover:
                self.pair_load[t] += row
        self.pos[s] = (start, room)
        self.unplaced -= 1

    def remove(self, s) -> None:
        """Take `s` out again; the exact inverse of add."""
        start, room = self.pos[s]
        session = self.instance.sessions[s]
        cover = self.candidates.cover[s][start]
        terms = self.terms
        occupant = self.room_occupant[room]
        for t in cover:
            occupant[t] = -1
            self.running[t] -= 1
            if session.plenary:
                self.plenary_running[t] -= 1
        for p in session.speakers:
            busy = self.busy[p]
            for t in cover:
                busy[t] -= 1
        fans = self.fans[s]
        if len(fans):
            for t in cover:
                count = self.star_count[t]
                count[fans] -= 1
                terms[MISSED] -= int(np.count_nonzero(count[fans]))
        terms[OVERFLOW] -= max(0, session.audience - self.instance.rooms[room].capacity)
        if session.track is not None:
            running = self.track_running[session.track]
            for t in cover:
                running[t] -= 1
                if running[t]:
                    terms[TRACK_CLASH] -= 1
            key = (session.track, self.instance.slots[start].day_index)
            room_key = (*key, room)
            self.track_day_room[room_key] -= 1
            if not self.track_day_room[room_key]:
                self.track_day_rooms[key] -= 1
                if self.track_day_rooms[key]:
                    terms[TRACK_ROOM] -= 1
        if session.preferred and not session.preferred.issuperset(cover):
            terms[PREFERENCE] -= 1
        if self.instance.current.get(s) == (start, room):
            terms[CHANGES] += self.instance.change_weight(s)
        if self.pairs is not None:
            row = self.pairs[s]
            for t in cover:
                self.pair_load[t] -= row
        self.pos[s] = None
        self.unplaced += 1

    def reset_to(self, placement: dict) -> None:
        """Make the state hold exactly `placement` (used to return to the best schedule found)."""
        for s, place in enumerate(self.pos):
            if place is not None and placement.get(s) != place:
                self.remove(s)
        for s, (start, room) in placement.items():
            if self.pos[s] is None:
                self.add(s, start, room)

    def hold(self, s, start, room) -> None:
        """Keep `s`'s room and speakers busy at its place without placing it (fill mode: a kept place
        that breaks a rule now stays where it is, left out of the plan, and nothing else may go there)."""
        session = self.instance.sessions[s]
        cover = self.instance.cover(start, session.length) or (start,)
        occupant = self.room_occupant[room]
        for t in cover:
            if occupant[t] == -1:
                occupant[t] = s
            self.running[t] += 1
            if session.plenary:
                self.plenary_running[t] += 1
        for p in session.speakers:
            busy = self.busy[p]
            for t in cover:
                busy[t] += 1

    def blockers(self, s, start, room) -> set:
        """The placed sessions that stop `s` from going to (start, room)."""
        session = self.instance.sessions[s]
        cover = self.candidates.cover[s][start]
        found = {self.room_occupant[room][t] for t in cover} - {-1}
        for t in cover:
            if (session.plenary and self.running[t]) or self.plenary_running[t]:
                found.update(
                    other
                    for occupants in self.room_occupant
                    if (other := occupants[t]) != -1
                    and (session.plenary or self.instance.sessions[other].plenary)
                )
        window = set(self.candidates.window[s][start])
        for p in session.speakers:
            for other in self.sessions_of[p]:
                place = self.pos[other]
                if (
                    other != s
                    and place is not None
                    and window.intersection(self.candidates.cover[other][place[0]])
                ):
                    found.add(other)
        found.discard(s)
        return found
