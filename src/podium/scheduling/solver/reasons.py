"""The words of an explanation: a core of rules (see explain.py) told the way an organiser reads it.

Names, days and times rather than ids and slot numbers: a session's title, a speaker's name (from the
instance's `speaker_names`), a room's name, "Sat 10:00-12:00" (with an en dash), "2 hours 15 minutes". Each kind of
conflict has its own summary: one session that fits nowhere by its own data, one speaker's sessions,
fixed sessions in each other's way, and too little room for sessions that compete for it.
"""

import collections
import itertools

EN_DASH = "\u2013"


def places(instance, s, rules=None) -> list:
    """(start, room) places session `s` may take by its own rules, all of them or only those in `rules`.

    `rules` is a core (rule group keys); without it every rule of the session counts. Other sessions
    are not looked at.
    """
    session = instance.sessions[s]

    def holds(kind, subject=s):
        return rules is None or (kind, subject) in rules

    fixed = session.pinned if holds("pinned") else None
    if fixed is None and holds("kept"):
        fixed = instance.current.get(s) if rules is not None else None
    found = []
    for start in range(len(instance.slots)):
        covered = instance.cover(start, session.length)
        if covered is None:
            continue
        if holds("availability") and session.allowed is not None and not set(covered) <= session.allowed:
            continue
        for r, room in enumerate(instance.rooms):
            if holds("room_tags") and not session.room_tags <= room.tags:
                continue
            if holds("room_availability", r) and room.unavailable.intersection(covered):
                continue
            if fixed is None or fixed == (start, r):
                found.append((start, r))
    return found


SESSION_RULES = ("scheduled", "availability", "room_tags", "plenary", "pinned", "kept")


def involved_sessions(core) -> list:
    return sorted({key[1] for key in core if key[0] in SESSION_RULES})


def duration(minutes: int) -> str:
    """'45 minutes', '1 hour', '2 hours 15 minutes'."""
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)


def _usual_slot_minutes(instance) -> int:
    counts = collections.Counter(slot.minutes for slot in instance.slots)
    return counts.most_common(1)[0][0] if counts else 0


def session_minutes(instance, s) -> int:
    """How long session `s` runs: its slots' minutes where it fits the grid, else at the usual step."""
    length = instance.sessions[s].length
    for start in range(len(instance.slots)):
        covered = instance.cover(start, length)
        if covered is not None:
            return sum(instance.slots[t].minutes for t in covered)
    return length * _usual_slot_minutes(instance)


def person(instance, p) -> str:
    return instance.speaker_names.get(p, p)


def _and(items) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _runs(instance, indices) -> list:
    """Slot indices grouped into runs of back-to-back slots of one day."""
    runs = []
    for index in sorted(indices):
        if runs:
            previous, slot = instance.slots[runs[-1][-1]], instance.slots[index]
            if slot.day_index == previous.day_index and slot.start == previous.end:
                runs[-1].append(index)
                continue
        runs.append([index])
    return runs


def slot_ranges(instance, indices) -> str:
    """'Sat 10:00-11:00, Sat 13:00-14:30' (with an en dash): back-to-back slots joined into one range."""
    runs = _runs(instance, indices)
    if not runs:
        return "no slot"
    parts = []
    for run in runs:
        first, last = instance.slots[run[0]], instance.slots[run[-1]]
        parts.append(f"{first.label}{EN_DASH}{last.end.strftime('%H:%M')}")
    return ", ".join(parts)


def _room_names(instance, rooms) -> str:
    return _and(instance.rooms[r].label for r in sorted(rooms))


def _names(instance, sessions) -> str:
    return _and(instance.sessions[s].label for s in sorted(sessions))


def _place(instance, place) -> str:
    start, room = place
    return f"{instance.slots[start].label} in {instance.rooms[room].label}"


def _breaks(instance, days) -> str:
    """Gaps in the grid inside a day ('Sat 12:00-13:00', with an en dash), on `days` (day indices) or every day."""
    gaps = []
    for a, b in itertools.pairwise(instance.slots):
        if a.day_index == b.day_index and a.end != b.start and (days is None or a.day_index in days):
            gaps.append(f"{a.end.strftime('%a %H:%M')}{EN_DASH}{b.start.strftime('%H:%M')}")
    return ", ".join(gaps)


def _availability(instance, session) -> str:
    names = [person(instance, p) for p in session.speakers]
    if not session.allowed:
        if len(names) > 1:
            return f"its speakers {_and(names)} have no time in common"
        return "no time is allowed for it"
    where = slot_ranges(instance, session.allowed)
    if not names:
        return f"it may only run {where}"
    if len(names) == 1:
        return f"its speaker {names[0]} is available only {where}"
    return f"its speakers {_and(names)} are all available only {where}"


def rooms_unavailable(instance, core, days=None) -> list:
    """'every room is unavailable Sat 10:30-11:00' for the room rules in `core`, on `days` only."""
    rooms = sorted(key[1] for key in core if key[0] == "room_availability")
    shown = {
        r: frozenset(
            t for t in instance.rooms[r].unavailable if days is None or instance.slots[t].day_index in days
        )
        for r in rooms
    }
    if not rooms:
        return []
    if len(set(shown.values())) == 1:
        if len(rooms) == len(instance.rooms) and len(rooms) > 1:
            who = "every room is"
        else:
            who = f"room {_room_names(instance, rooms)} {'is' if len(rooms) == 1 else 'are'}"
        return [f"{who} unavailable {slot_ranges(instance, shown[rooms[0]])}"]
    return [f"room {instance.rooms[r].label} is unavailable {slot_ranges(instance, shown[r])}" for r in rooms]


def _tags(instance, session) -> str:
    having = [room.label for room in instance.rooms if session.room_tags <= room.tags]
    tags = ", ".join(sorted(session.room_tags))
    return f"it needs a room tagged {tags}, which {'only ' + _and(having) + ' ' + ('has' if len(having) == 1 else 'have') if having else 'no room has'}"


def _longest(instance, s, core):
    """The longest stretch of back-to-back slots open to `s` in one room under the rules in `core`.

    Returns (minutes, slot indices, the rooms that have that very stretch open, all rooms considered).
    """
    session = instance.sessions[s]
    allowed = session.allowed if ("availability", s) in core and session.allowed is not None else None
    best, rooms, considered = (0, []), [], []
    for r, room in enumerate(instance.rooms):
        if ("room_tags", s) in core and not session.room_tags <= room.tags:
            continue
        considered.append(r)
        blocked = room.unavailable if ("room_availability", r) in core else frozenset()
        open_slots = [
            t for t in range(len(instance.slots)) if (allowed is None or t in allowed) and t not in blocked
        ]
        for run in _runs(instance, open_slots):
            minutes = sum(instance.slots[t].minutes for t in run)
            if minutes > best[0]:
                best, rooms = (minutes, run), [r]
            elif (minutes, run) == best and rooms and rooms[-1] != r:
                rooms.append(r)
    return best[0], best[1], rooms, considered


def own_message(instance, s, core) -> str:
    """One session that fits nowhere by its own data: what it needs, what limits it, what is left."""
    session = instance.sessions[s]
    if ("room_tags", s) in core and not any(session.room_tags <= room.tags for room in instance.rooms):
        tags = ", ".join(sorted(session.room_tags))
        return f"Session {session.label} needs a room tagged {tags}, and no room has {'it' if len(session.room_tags) == 1 else 'them all'}."
    need = duration(session_minutes(instance, s))
    facts, days = [], None
    if ("availability", s) in core and session.allowed is not None:
        facts.append(_availability(instance, session))
        days = {instance.slots[t].day_index for t in session.allowed}
    if ("room_tags", s) in core:
        facts.append(_tags(instance, session))
    facts += rooms_unavailable(instance, core, days)
    gaps = _breaks(instance, days) if session.length > 1 else ""
    if gaps:
        facts.append(f"the program breaks {gaps}")
    if session.length > 1 and not facts:
        facts.append("no day of the program is that long")
    minutes, run, rooms, considered = _longest(instance, s, core)
    if minutes:
        where = slot_ranges(instance, run)
        if len(rooms) < len(considered):  # only some rooms have it: say which
            where += f" in {_room_names(instance, rooms)}"
        left = f"the longest stretch left for it is {duration(minutes)} ({where})"
    else:
        left = "no slot is left for it"
    if session.length == 1:
        return f"Session {session.label} has no place left: {'; '.join(facts)}."
    return f"Session {session.label} needs {need} in one stretch, but {'; '.join(facts)}, so {left}."


def fixed_facts(instance, core, sessions) -> list:
    """Per session, the rules of `core` that tie it down, e.g. "'Opening' is plenary and pinned at …"."""
    facts = []
    for s in sessions:
        session, parts = instance.sessions[s], []
        if ("plenary", s) in core:
            parts.append("is plenary (nothing else may run during it)")
        if ("pinned", s) in core:
            parts.append(f"is pinned at {_place(instance, session.pinned)}")
        if ("kept", s) in core:
            parts.append(f"keeps its place at {_place(instance, instance.current[s])}")
        if ("availability", s) in core and session.allowed is not None:
            parts.append(f"can only run {slot_ranges(instance, session.allowed)}")
        if ("room_tags", s) in core:
            parts.append(f"needs a room tagged {', '.join(sorted(session.room_tags))}")
        if parts:
            facts.append(f"{session.label} {_and(parts)}")
    return facts


def _speaker_message(instance, core, p, involved) -> str:
    own = [s for s in involved if p in instance.sessions[s].speakers]
    name = person(instance, p)
    minutes = [session_minutes(instance, s) for s in own]
    if len(set(minutes)) == 1:
        what = f"{len(own)} sessions of {duration(minutes[0])} ({_names(instance, own)})"
    else:
        listed = ", ".join(
            f"{instance.sessions[s].label} {duration(m)}" for s, m in zip(own, minutes, strict=True)
        )
        what = f"{len(own)} sessions ({listed})"
    what += f", {duration(sum(minutes))} in all"
    pause = instance.min_pause_slots
    if pause:
        what += f", with {duration(pause * _usual_slot_minutes(instance))} free between two on one day"
    restricted = [s for s in own if ("availability", s) in core and instance.sessions[s].allowed is not None]
    if restricted:
        allowed = set().union(*(instance.sessions[s].allowed for s in restricted))
        text = f"Speaker {name} is available only {slot_ranges(instance, allowed)} but has {what}"
    else:
        text = f"Speaker {name} has {what}, which cannot all run at different times"
    facts = fixed_facts(instance, {key for key in core if key[0] != "availability"}, involved)
    days = {instance.slots[t].day_index for s in restricted for t in instance.sessions[s].allowed} or None
    facts += rooms_unavailable(instance, core, days)
    return text + "".join(f"; {fact}" for fact in facts) + "."


def _capacity_message(instance, core, involved, minimal) -> str:
    """Sessions that compete for too few rooms and times: where they can run, and how many fit there."""
    scheduled = [s for s in involved if ("scheduled", s) in core]
    cells_slots, cells_rooms = set(), set()
    for s in scheduled:
        for start, room in places(instance, s, core):
            cells_slots.update(instance.cover(start, instance.sessions[s].length))
            cells_rooms.add(room)
    lengths = collections.Counter(duration(session_minutes(instance, s)) for s in scheduled)
    if len(lengths) == 1:
        what = f"{len(scheduled)} sessions of {next(iter(lengths))}"
    else:
        what = f"{len(scheduled)} sessions ({', '.join(f'{n} of {d}' for d, n in sorted(lengths.items()))})"
    limits = []
    if any(key[0] == "availability" for key in core):
        limits.append("their speakers' availability")
    if any(key[0] == "room_tags" for key in core):
        limits.append("the room tags they need")
    if any(key[0] == "room_availability" for key in core):
        limits.append("the rooms' free times")
    if (
        instance.sessions
        and any(instance.sessions[s].length > 1 for s in scheduled)
        and _breaks(instance, None)
    ):
        limits.append("the breaks")
    by = f" (given {_and(limits)})" if limits else ""
    if not cells_slots:
        return f"{what.capitalize()} ({_names(instance, scheduled)}) have no room and time left{by}."
    if len(cells_rooms) == len(instance.rooms):
        rooms = (
            f"the {len(cells_rooms)} rooms"
            if len(cells_rooms) > 1
            else f"room {_room_names(instance, cells_rooms)}"
        )
    else:
        rooms = f"room{'s' if len(cells_rooms) > 1 else ''} {_room_names(instance, cells_rooms)}"
    fit = (
        f"there is room for only {len(scheduled) - 1} of the {len(scheduled)}"
        if minimal
        else "they do not all fit"
    )
    return (
        f"Rooms and times are full: {what} ({_names(instance, scheduled)}) can only run "
        f"{slot_ranges(instance, cells_slots)} in {rooms}{by}, and {fit}."
    )


def describe(instance, core, *, minimal=True) -> list:
    """One entry per rule in the core, led by a summary that ties them together in an organiser's words."""
    involved = involved_sessions(core)
    entries = [_lead(instance, core, involved, minimal)]
    for key in sorted(core, key=str):
        entry = _rule(instance, key)
        if entry is not None and key[0] != "room_availability":
            entries.append(entry)
    entries += _room_rules(instance, core)
    return entries


def _room_rules(instance, core) -> list:
    """One entry per distinct unavailability in the core, naming every room that shares it."""
    by_times = {}
    for key in sorted(core):
        if key[0] == "room_availability":
            by_times.setdefault(instance.rooms[key[1]].unavailable, []).append(key[1])
    entries = []
    for unavailable, rooms in by_times.items():
        noun = "Room" if len(rooms) == 1 else "Rooms"
        verb = "is" if len(rooms) == 1 else "are"
        entries.append(
            {
                "rule": "room_availability",
                "rooms": [instance.rooms[r].id for r in rooms],
                "message": f"{noun} {_room_names(instance, rooms)} {verb} unavailable "
                f"{slot_ranges(instance, unavailable)}.",
            }
        )
    return entries


def _lead(instance, core, involved, minimal) -> dict:
    kinds = {key[0] for key in core}
    ids = [instance.sessions[s].id for s in involved]
    speakers = sorted(key[1] for key in core if key[0] == "speaker")
    if speakers:
        p = speakers[0]
        return {
            "rule": "summary",
            "speaker": p,
            "sessions": ids,
            "message": _speaker_message(instance, core, p, involved),
        }
    if kinds & {"plenary", "pinned", "kept"}:
        facts = fixed_facts(instance, core, involved) + rooms_unavailable(instance, core)
        message = f"These cannot all hold: {'; '.join(facts)}."
    elif len(involved) == 1:
        message = own_message(instance, involved[0], core)
    else:
        message = _capacity_message(instance, core, involved, minimal)
    return {"rule": "summary", "sessions": ids, "message": message}


def _rule(instance, key) -> dict | None:
    kind, subject = key
    if kind == "speaker":
        sessions = [s for s, session in enumerate(instance.sessions) if subject in session.speakers]
        pause = instance.min_pause_slots
        rest = f" and needs {pause} free slot(s) between two sessions" if pause else ""
        return {
            "rule": "speaker_overlap",
            "speaker": subject,
            "message": f"Speaker {person(instance, subject)} cannot be in two places at once{rest} "
            f"({_names(instance, sessions)}).",
        }
    if kind == "room_availability":
        return None  # see _room_rules
    session = instance.sessions[subject]
    base = {"session": session.id}
    if kind == "scheduled":
        return None
    if kind == "availability":
        return base | {
            "rule": "speaker_availability",
            "speakers": list(session.speakers),
            "message": f"Session {session.label} can only run {slot_ranges(instance, session.allowed or ())} "
            f"(its speakers' availability).",
        }
    if kind == "room_tags":
        having = [room.label for room in instance.rooms if session.room_tags <= room.tags]
        where = (
            f"only {_and(having)} {'has' if len(having) == 1 else 'have'} them"
            if having
            else "no room has them"
        )
        tags = ", ".join(sorted(session.room_tags))
        return base | {
            "rule": "room_tags",
            "message": f"Session {session.label} needs a room tagged {tags}; {where}.",
        }
    if kind == "plenary":
        return base | {
            "rule": "plenary",
            "message": f"Session {session.label} is plenary: nothing else may run at the same time.",
        }
    place = session.pinned if kind == "pinned" else instance.current[subject]
    verb = "pinned" if kind == "pinned" else "kept (fill mode)"
    return base | {
        "rule": kind,
        "message": f"Session {session.label} is {verb} at {_place(instance, place)}.",
    }


def crowding_message(instance, group, cells) -> dict:
    """The summary of a counting proof: how much room time the sessions need, and how much there is."""
    need = sum(session_minutes(instance, s) for s in group)
    have = sum(instance.slots[t].minutes for _room, t in cells)
    rooms = sorted({room for room, _t in cells})
    slots = {t for _room, t in cells}
    if len(rooms) == len(instance.rooms) and len(rooms) > 1:
        where = f"the {len(rooms)} rooms have"
    else:
        where = f"room{'s' if len(rooms) > 1 else ''} {_room_names(instance, rooms)} {'have' if len(rooms) > 1 else 'has'}"
    when = (
        f"in {slot_ranges(instance, slots)}"
        if len(_runs(instance, slots)) <= 6
        else "at the times they can run"
    )
    who = f"{len(group)} sessions" + (f" ({_names(instance, group)})" if len(group) <= 8 else "")
    message = (
        f"Rooms and times are full: {who} need {duration(need)} of room time in all, but {where} only "
        f"{duration(have)} free for them {when}."
    )
    return {"rule": "summary", "sessions": [instance.sessions[s].id for s in group], "message": message}
