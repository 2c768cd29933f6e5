"""CP-SAT for what local search cannot do: prove that the rules cannot all hold, and say which ones.

Every rule group gets an assumption literal (one speaker's double booking, one session's availability,
room tags, a room's availability, a plenary, a pin, a session that must be scheduled). Solving under all
assumptions gives an infeasible subset; removing one group at a time and re-solving shrinks it to a
minimal core: drop any one of its rules and the rest can hold. That core is what an organiser reads.

The same model, with every rule hard and placement optional, finds the most sessions that fit when a
small instance defeats the greedy construction.
"""

import time

from ortools.sat.python import cp_model

VARIABLE_LIMIT = 60000
EN_DASH = "\u2013"


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


def minimal_core(instance, sessions, kept, *, deadline) -> list | None:
    """A set of rule groups that cannot all hold, shrunk towards minimal until `deadline` (monotonic).

    None if no conflict was proven in time. Shrinking stops at the deadline with a valid, possibly
    not minimal, core.
    """
    if variable_count(instance, sessions) > VARIABLE_LIMIT:
        return None
    built = Model(instance, sessions, kept)
    keys = list(built.groups)
    status, core = _solve_under(built, keys, deadline - time.monotonic())
    if status != cp_model.INFEASIBLE:
        return None
    position = 0
    while position < len(core) and time.monotonic() < deadline:
        trial = core[:position] + core[position + 1 :]
        status, smaller = _solve_under(built, trial, deadline - time.monotonic())
        if status == cp_model.INFEASIBLE:
            core = [key for key in trial if key in set(smaller)] or trial
        elif status == cp_model.UNKNOWN:
            break
        else:
            position += 1
    return core


def _solve_under(built, keys, time_limit):
    if time_limit <= 0:
        return cp_model.UNKNOWN, []
    built.model.ClearAssumptions()
    built.model.AddAssumptions([built.groups[key] for key in keys])
    solver = built.solver(time_limit)
    status = solver.Solve(built.model)
    if status != cp_model.INFEASIBLE:
        return status, []
    by_index = {built.groups[key].Index(): key for key in keys}
    sufficient = [by_index[i] for i in solver.SufficientAssumptionsForInfeasibility() if i in by_index]
    return status, sufficient or list(keys)


def related_sessions(instance, unplaced, kept) -> set:
    """Unplaced sessions plus what can block them directly: co-speakers' sessions, pins, plenaries, kept."""
    speakers = {p for s in unplaced for p in instance.sessions[s].speakers}
    related = set(unplaced)
    for s, session in enumerate(instance.sessions):
        if session.pinned or session.plenary or s in kept or speakers.intersection(session.speakers):
            related.add(s)
    return related


def explain(instance, unplaced, kept, *, time_limit) -> list:
    """Words an organiser can act on for why `unplaced` sessions cannot all be scheduled ([] if unproven).

    Conflicts are looked for in growing circles, each a subset of the sessions (leaving sessions out only
    relaxes the rules, so a conflict found in a subset holds for the whole instance): first each
    left-out session with its speakers' other sessions and the fixed ones (pinned, plenary, kept), then
    everything that can block a left-out session directly, then, if small enough, the whole instance.
    `time_limit` bounds the whole explanation.
    """
    deadline = time.monotonic() + time_limit
    anchors = {s for s, session in enumerate(instance.sessions) if session.pinned or session.plenary}
    anchors.update(kept)
    entries, explained, seen = [], set(), set()
    for s in unplaced:
        if s in explained or time.monotonic() >= deadline:
            continue
        speakers = set(instance.sessions[s].speakers)
        circle = {s} | anchors
        circle.update(o for o, other in enumerate(instance.sessions) if speakers.intersection(other.speakers))
        core = minimal_core(instance, circle, kept, deadline=deadline)
        if core and frozenset(core) not in seen:
            seen.add(frozenset(core))
            entries.extend(describe(instance, core))
            explained.update(key[1] for key in core if key[0] != "speaker" and key[0] != "room_availability")
    if entries:
        return entries
    for sessions in (related_sessions(instance, unplaced, kept), set(range(len(instance.sessions)))):
        core = minimal_core(instance, sessions, kept, deadline=deadline)
        if core:
            return describe(instance, core)
    return []


# -- words ------------------------------------------------------------------------------------------


def slot_ranges(instance, indices) -> str:
    """'Sat 10:00-11:00, Sun 09:00-09:30' (with an en dash): back-to-back slots joined into one range."""
    ordered = sorted(indices)
    if not ordered:
        return "no slot"
    runs = [[ordered[0]]]
    for index in ordered[1:]:
        previous = instance.slots[runs[-1][-1]]
        slot = instance.slots[index]
        if slot.day_index == previous.day_index and slot.start == previous.end:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        first, last = instance.slots[run[0]], instance.slots[run[-1]]
        parts.append(f"{first.label}{EN_DASH}{last.end.strftime('%H:%M')}")
    return ", ".join(parts)


def _names(instance, sessions) -> str:
    return ", ".join(instance.sessions[s].label for s in sorted(sessions))


def describe(instance, core) -> list:
    """One entry per rule in the core, led by a sentence that ties them together."""
    involved = sorted(
        {
            key[1]
            for key in core
            if key[0] in ("scheduled", "availability", "room_tags", "plenary", "pinned", "kept")
        }
    )
    entries = [_lead(instance, core, involved)]
    for key in sorted(core, key=str):
        entry = _rule(instance, key)
        if entry is not None:
            entries.append(entry)
    return entries


def _lead(instance, core, involved) -> dict:
    speakers = [key[1] for key in core if key[0] == "speaker"]
    kinds = {key[0] for key in core}
    if speakers:
        p = speakers[0]
        own = [s for s in involved if p in instance.sessions[s].speakers]
        needed = sum(instance.sessions[s].length for s in own)
        minutes = (
            sum(instance.slots[0].minutes * instance.sessions[s].length for s in own) if instance.slots else 0
        )
        restricted = [s for s in own if ("availability", s) in core]
        if restricted:
            allowed = set().union(*(instance.sessions[s].allowed for s in restricted))
            message = (
                f"Speaker {p} is available only in slots {slot_ranges(instance, allowed)} "
                f"but has {len(own)} sessions needing {needed} slots (about {minutes} minutes): {_names(instance, own)}."
            )
        else:
            message = (
                f"Speaker {p} has {len(own)} sessions ({_names(instance, own)}) that cannot all fit apart."
            )
        return {
            "rule": "summary",
            "speaker": p,
            "sessions": [instance.sessions[s].id for s in own],
            "message": message,
        }
    if kinds <= {"scheduled"}:
        message = (
            f"Sessions {_names(instance, involved)} do not fit: there are not enough free rooms and slots."
        )
    else:
        message = f"These rules cannot all hold for {_names(instance, involved)}; change one of them."
    return {"rule": "summary", "sessions": [instance.sessions[s].id for s in involved], "message": message}


def _rule(instance, key) -> dict | None:
    kind, subject = key
    if kind == "speaker":
        sessions = [s for s, session in enumerate(instance.sessions) if subject in session.speakers]
        pause = instance.min_pause_slots
        rest = f" and needs a pause of {pause} slot(s) between talks" if pause else ""
        return {
            "rule": "speaker_overlap",
            "speaker": subject,
            "message": f"Speaker {subject} cannot be in two places at once{rest} ({_names(instance, sessions)}).",
        }
    if kind == "room_availability":
        room = instance.rooms[subject]
        return {
            "rule": "room_availability",
            "room": room.id,
            "message": f"Room {room.id} is unavailable in {slot_ranges(instance, room.unavailable)}.",
        }
    session = instance.sessions[subject]
    base = {"session": session.id}
    if kind == "scheduled":
        return None
    if kind == "availability":
        return base | {
            "rule": "speaker_availability",
            "speakers": list(session.speakers),
            "message": f"Session {session.label} can only run in {slot_ranges(instance, session.allowed)} "
            f"(its speakers' availability).",
        }
    if kind == "room_tags":
        having = [room.id for room in instance.rooms if session.room_tags <= room.tags]
        tags = ", ".join(sorted(session.room_tags))
        where = f"only {', '.join(having)} have them" if having else "no room has them"
        return base | {
            "rule": "room_tags",
            "message": f"Session {session.label} needs a room tagged {tags}; {where}.",
        }
    if kind == "plenary":
        return base | {
            "rule": "plenary",
            "message": f"Session {session.label} is plenary: nothing else may run at the same time.",
        }
    start, room = session.pinned if kind == "pinned" else instance.current[subject]
    verb = "pinned" if kind == "pinned" else "kept (fill mode)"
    return base | {
        "rule": kind,
        "message": f"Session {session.label} is {verb} at {instance.slots[start].label} in room "
        f"{instance.rooms[room].id}.",
    }
