"""CP-SAT for what local search cannot do: prove that the rules cannot all hold, and say which ones.

Every rule group gets an assumption literal (one speaker's double booking, one session's availability,
room tags, a room's availability, a plenary, a pin, a session that must be scheduled). Solving under all
assumptions gives an infeasible subset; removing one group at a time and re-solving shrinks it to a
minimal core: drop any one of its rules and the rest can hold. That core is what an organiser reads,
in the words of reasons.py. A session that fits nowhere by its own data needs no solver: its places are
enumerated, and an empty list is the proof. When the solver runs out of time on a crowded instance, a
count (more room time needed than there is) is proof enough that not all of those sessions fit.

The same model, with every rule hard and placement optional, finds the most sessions that fit when a
small instance defeats the greedy construction.
"""

import itertools
import time

from ortools.sat.python import cp_model

from .reasons import (
    crowding_message,
    describe,
    fixed_facts,
    involved_sessions,
    own_message,
    places,
    rooms_unavailable,
)

VARIABLE_LIMIT = 60000


class Model:
    """Boolean x[s, start, room] for every structurally possible place; rule groups as literals."""

    def __init__(self, instance, sessions, kept):
        self.instance = instance
        self.sessions = sorted(sessions)
        self.model = cp_model.CpModel()
        self.x = {}
        self.groups = {}
        self._variables()
        self._rules(kept)

    def _variables(self):
        instance = self.instance
        self.by_session = {s: [] for s in self.sessions}
        for s in self.sessions:
            length = instance.sessions[s].length
            for start in range(len(instance.slots)):
                if instance.cover(start, length) is not None:
                    for room in range(len(instance.rooms)):
                        var = self.model.NewBoolVar(f"x_{s}_{start}_{room}")
                        self.x[s, start, room] = var
                        self.by_session[s].append((start, room, var))

    def group(self, key):
        if key not in self.groups:
            self.groups[key] = self.model.NewBoolVar(str(key))
        return self.groups[key]

    def places(self, s):
        return self.by_session[s]

    def forbid(self, key, variables):
        literal = self.group(key)
        for var in variables:
            self.model.AddBoolOr([literal.Not(), var.Not()])

    def _rules(self, kept):
        instance, model = self.instance, self.model
        covers = {}
        for s, start, _room in self.x:
            covers[s, start] = instance.cover(start, instance.sessions[s].length)
        by_room_slot, by_slot = {}, {}
        for (s, start, room), var in self.x.items():
            for t in covers[s, start]:
                by_room_slot.setdefault((room, t), []).append(var)
                by_slot.setdefault(t, []).append((s, var))
        for variables in by_room_slot.values():
            if len(variables) > 1:
                model.AddAtMostOne(variables)
        for s in self.sessions:
            session = instance.sessions[s]
            places = self.places(s)
            variables = [var for *_, var in places]
            model.Add(sum(variables) <= 1)
            model.Add(sum(variables) >= 1).OnlyEnforceIf(self.group(("scheduled", s)))
            if session.allowed is not None:
                self.forbid(
                    ("availability", s),
                    [var for start, _r, var in places if not set(covers[s, start]) <= session.allowed],
                )
            if session.room_tags:
                self.forbid(
                    ("room_tags", s),
                    [var for _t, room, var in places if not session.room_tags <= instance.rooms[room].tags],
                )
            for key, place in (("pinned", session.pinned), ("kept", kept.get(s))):
                if place is not None:
                    self.forbid((key, s), [var for start, room, var in places if (start, room) != place])
            if session.plenary:
                literal = self.group(("plenary", s))
                for t in {t for start, _r, _v in places for t in covers[s, start]}:
                    own = [var for start, _r, var in places if t in covers[s, start]]
                    others = [var for other, var in by_slot.get(t, []) if other != s]
                    if others:
                        limit = len(instance.rooms)
                        model.Add(sum(others) + limit * sum(own) <= limit).OnlyEnforceIf(literal)
        for room_index, room in enumerate(instance.rooms):
            if room.unavailable:
                self.forbid(
                    ("room_availability", room_index),
                    [
                        var
                        for (s, start, r), var in self.x.items()
                        if r == room_index and room.unavailable.intersection(covers[s, start])
                    ],
                )
        self._speakers(covers)

    def _speakers(self, covers):
        """A speaker's sessions keep apart by the pause: any window of pause + 1 slots holds at most one."""
        instance = self.instance
        pause = instance.min_pause_slots
        by_speaker = {}
        for s in self.sessions:
            for p in instance.sessions[s].speakers:
                by_speaker.setdefault(p, []).append(s)
        for p, sessions in by_speaker.items():
            if len(sessions) < 2:
                continue
            literal = self.group(("speaker", p))
            for t, slot in enumerate(instance.slots):
                window = {
                    u
                    for u in range(t, min(len(instance.slots), t + pause + 1))
                    if instance.slots[u].day_index == slot.day_index
                }
                touching = [
                    var
                    for s in sessions
                    for start, _room, var in self.by_session[s]
                    if window.intersection(covers[s, start])
                ]
                if len(touching) > 1:
                    self.model.Add(sum(touching) <= 1).OnlyEnforceIf(literal)

    def solver(self, time_limit, seed=0):
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(0.1, time_limit)
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        return solver


def variable_count(instance, sessions) -> int:
    return len(sessions) * len(instance.slots) * len(instance.rooms)


def max_placed(instance, kept, *, time_limit, hint=None):
    """The most sessions that can be placed with every rule holding, as {session: (start, room)}, or None."""
    sessions = range(len(instance.sessions))
    if variable_count(instance, sessions) > VARIABLE_LIMIT:
        return None
    built = Model(instance, sessions, kept)
    scheduled = []
    for key, literal in built.groups.items():
        if key[0] == "scheduled":
            scheduled.append(literal)
        else:
            built.model.Add(literal == 1)
    built.model.Maximize(sum(scheduled))
    for (s, start, room), var in built.x.items():
        if hint is not None:
            built.model.AddHint(var, hint.get(s) == (start, room))
    solver = built.solver(time_limit)
    status = solver.Solve(built.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {s: (start, room) for (s, start, room), var in built.x.items() if solver.Value(var)}


def minimal_core(instance, sessions, kept, *, deadline) -> tuple[list, bool] | None:
    """Rule groups that cannot all hold, and whether they were shrunk to a minimal set by `deadline`.

    None if no conflict was proven in time. Shrinking that runs out of time still returns a valid core
    (the rules in it cannot all hold), flagged as possibly not minimal.
    """
    if variable_count(instance, sessions) > VARIABLE_LIMIT:
        return None
    built = Model(instance, sessions, kept)
    status, core = _solve_under(built, list(built.groups), deadline - time.monotonic())
    if status != cp_model.INFEASIBLE:
        return None
    position = 0
    while position < len(core):
        if time.monotonic() >= deadline:
            return core, False
        trial = core[:position] + core[position + 1 :]
        status, smaller = _solve_under(built, trial, deadline - time.monotonic())
        if status == cp_model.INFEASIBLE:
            core = [key for key in trial if key in set(smaller)] or trial
        elif status == cp_model.UNKNOWN:
            return core, False
        else:
            position += 1
    return core, True


def _solve_under(built, keys, time_limit):
    if time_limit <= 0:
        return cp_model.UNKNOWN, []
    built.model.ClearAssumptions()
    built.model.AddAssumptions([built.groups[key] for key in keys])
    solver = built.solver(time_limit)
    # Only feasibility is asked, many times over on one small model: skip the costly presolve extras.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.linearization_level = 0
    status = solver.Solve(built.model)
    if status != cp_model.INFEASIBLE:
        return status, []
    by_index = {built.groups[key].Index(): key for key in keys}
    sufficient = [by_index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in by_index]
    return status, sufficient or list(keys)


def own_core(instance, s, kept) -> list | None:
    """The session's own rules that leave it no place, shrunk to a minimal set; None if it has a place.

    One session alone needs no solver: `places` enumerates every place, so an empty result is a proof,
    and dropping each rule in turn (keeping it out when the rest still leave no place) makes it minimal.
    """
    session = instance.sessions[s]
    keys = [("scheduled", s)]
    if session.allowed is not None:
        keys.append(("availability", s))
    if session.room_tags:
        keys.append(("room_tags", s))
    if session.pinned is not None:
        keys.append(("pinned", s))
    elif s in kept:
        keys.append(("kept", s))
    keys += [("room_availability", r) for r, room in enumerate(instance.rooms) if room.unavailable]
    if places(instance, s, set(keys)):
        return None
    core = list(keys)
    for key in keys[1:]:
        trial = [k for k in core if k != key]
        if not places(instance, s, set(trial)):
            core = trial
    return core


def _cells(instance, s, kept) -> set:
    """The (room, slot) cells session `s` can occupy by its own rules (its kept place in fill mode)."""
    length = instance.sessions[s].length
    options = [kept[s]] if s in kept else places(instance, s)
    return {(room, t) for start, room in options for t in instance.cover(start, length) or ()}


def _circles(instance, s, kept, cells_of):
    """Growing sets of sessions in which to look for a conflict that leaves `s` out, cheapest first.

    Leaving sessions out only relaxes the rules, so a conflict proven in a circle holds for the whole
    instance: `s` alone (its own data), with its speakers' other sessions, with the fixed sessions
    (plenary, pinned, kept) that can block it, with every session that can take a room and time it
    could use, and the whole instance.
    """
    sessions = instance.sessions
    circle = {s}
    yield set(circle)
    speakers = set(sessions[s].speakers)
    circle.update(o for o, other in enumerate(sessions) if speakers.intersection(other.speakers))
    yield set(circle)
    _fill_cells(instance, kept, cells_of)
    cells = cells_of[s]
    times = {t for _room, t in cells}
    others = {o: their for o, their in cells_of.items() if o != s}
    for o, their in others.items():
        other = sessions[o]
        blocks_time = other.plenary and times.intersection(t for _room, t in their)
        blocks_place = (other.pinned is not None or o in kept) and cells & their
        if blocks_time or blocks_place:
            circle.add(o)
    yield set(circle)
    circle.update(o for o, their in others.items() if cells & their)
    yield set(circle)
    yield set(range(len(sessions)))


def _fill_cells(instance, kept, cells_of):
    for o in range(len(instance.sessions)):
        if o not in cells_of:
            cells_of[o] = _cells(instance, o, kept)


def crowding(instance, s, cells_of) -> tuple | None:
    """A counting proof that `s` is one session too many: (sessions, cells) where the sessions need more
    slots of room time than there are (room, slot) cells any of them can use.

    Speakers, plenaries and the shape of long sessions are left aside, which only makes room scarcer,
    so the count is a proof. Tried on the sessions confined to the cells `s` can use, then on all of
    them; sessions with no place at all have their own explanation and are not counted.
    """
    usable = {o: cells for o, cells in cells_of.items() if cells}
    if s not in usable:
        return None
    confined = sorted(o for o, cells in usable.items() if cells <= usable[s])
    for group in (confined, sorted(usable)):
        cells = set().union(*(usable[o] for o in group))
        if sum(instance.sessions[o].length for o in group) > len(cells):
            return group, cells
    return None


CHEAP_CIRCLES = 3  # own data, speakers, fixed sessions: tried for every left-out session first


def explain(instance, unplaced, kept, *, time_limit) -> list:
    """Words an organiser can act on for why `unplaced` sessions cannot all be scheduled ([] if unproven).

    Every left-out session first gets the cheap circles (its own data, its speakers, the fixed sessions
    around it), then the ones left unexplained get the wider circles (everything that competes for its
    rooms and times, then the whole instance). `time_limit` bounds the whole explanation.
    """
    deadline = time.monotonic() + time_limit
    entries, explained, seen, cells_of, tried_by = [], set(), set(), {}, {}
    for cheap in (True, False):
        for position, s in enumerate(unplaced):
            if s in explained:
                continue
            pending = sum(1 for o in unplaced[position:] if o not in explained)
            circles = itertools.islice(
                _circles(instance, s, kept, cells_of), *((CHEAP_CIRCLES,) if cheap else (CHEAP_CIRCLES, None))
            )
            found, tried = None, tried_by.setdefault(s, [])
            if cheap:
                own = own_core(instance, s, kept)
                found = (own, True) if own is not None else None
                tried.append({s})
            # The wide circles share what time is left, so one hard session cannot starve the others.
            share = deadline if cheap else time.monotonic() + (deadline - time.monotonic()) / max(1, pending)
            for circle in [] if found else circles:
                if time.monotonic() >= deadline:
                    break  # the own-data proof and the count below cost next to nothing: still try them
                if circle in tried:
                    continue
                tried.append(circle)
                found = minimal_core(instance, circle, kept, deadline=min(share, deadline))
                if found is not None:
                    break
            if not cheap and (found is None or not found[1]):
                _fill_cells(instance, kept, cells_of)
                counted = crowding(instance, s, cells_of)
                if counted is not None:
                    group, cells = counted
                    explained.update(group)
                    entries.append(crowding_message(instance, group, cells))
                    continue
            if found is None:
                continue
            core, minimal = found
            explained.update(involved_sessions(core))
            if frozenset(core) not in seen:
                seen.add(frozenset(core))
                entries.extend(describe(instance, core, minimal=minimal))
    return entries


def own_reason(instance, s, kept=None) -> str | None:
    """Why `s` fits nowhere by its own data alone, from its minimal own core; None if it has a place."""
    core = own_core(instance, s, kept or {})
    if core is None:
        return None
    if any(key[0] in ("pinned", "kept") for key in core):
        return f"These cannot all hold: {'; '.join(fixed_facts(instance, core, [s]) + rooms_unavailable(instance, core))}."
    return own_message(instance, s, core)
