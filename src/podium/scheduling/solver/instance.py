"""The instance: what the solver is asked to schedule, read from plain JSON data and checked.

Validation collects every problem before giving up, so an organiser fixes a file in one pass instead of
one error at a time. Everything after validation works on integer indices (slots in time order, rooms,
sessions) so the search never hashes strings in its inner loop.
"""

import datetime as dt
import itertools
import json
import math
from dataclasses import dataclass, field

DEFAULT_WEIGHTS = {
    "missed_favourites": 100,
    "overflow": 100,
    "track_room": 5,
    "track_clash": 20,
    "preference": 2,
    "changes": 100,
}


class InstanceError(ValueError):
    """The instance cannot be solved as written; `messages` names each bad item and field."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("; ".join(self.messages))


@dataclass(frozen=True)
class Slot:
    id: str
    start: dt.datetime
    minutes: int
    day: str
    day_index: int
    position: int  # order within its day

    @property
    def end(self) -> dt.datetime:
        return self.start + dt.timedelta(minutes=self.minutes)

    @property
    def label(self) -> str:
        """How an organiser reads the slot: weekday and local start time."""
        return self.start.strftime("%a %H:%M")


@dataclass(frozen=True)
class Room:
    id: str
    capacity: int
    unavailable: frozenset  # slot indices
    tags: frozenset
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.id


@dataclass(frozen=True)
class Session:
    id: str
    length: int
    speakers: tuple
    track: str | None
    plenary: bool
    allowed: frozenset | None  # slot indices; None means every slot
    room_tags: frozenset
    pinned: tuple | None  # (slot index, room index)
    audience: int
    preferred: frozenset  # slot indices
    title: str

    @property
    def label(self) -> str:
        return f"'{self.title}'" if self.title and self.title != self.id else f"'{self.id}'"


@dataclass
class Instance:
    slots: list
    rooms: list
    sessions: list
    stars: list  # per attendee: tuple of session indices
    attendee_ids: list
    weights: dict
    current: dict  # session index -> (slot index, room index)
    min_pause_slots: int
    speaker_names: dict = field(default_factory=dict)  # person id -> name, for explanations only
    # session index -> how many changes moving it away from `current` counts (absent: 1)
    change_weights: dict = field(default_factory=dict)
    slot_index: dict = field(default_factory=dict)
    room_index: dict = field(default_factory=dict)
    session_index: dict = field(default_factory=dict)

    def change_weight(self, s: int) -> float:
        """How many changes moving session `s` away from its current place counts (1 unless given)."""
        return self.change_weights.get(s, 1)

    def cover(self, start: int, length: int) -> tuple | None:
        """The slots a session of `length` slots starting at `start` occupies, or None if it cannot.

        Consecutive means same day and back to back in time: a break is simply a missing slot, so a
        long session cannot straddle it.
        """
        covered = [start]
        for _ in range(length - 1):
            last = covered[-1]
            following = last + 1
            if following >= len(self.slots):
                return None
            a, b = self.slots[last], self.slots[following]
            if a.day_index != b.day_index or a.end != b.start:
                return None
            covered.append(following)
        return tuple(covered)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _parse_start(value):
    if not isinstance(value, str):
        return None
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return None


class _Reader:
    """Collects error messages while reading, so all of them are reported together."""

    def __init__(self):
        self.errors = []

    def error(self, message: str) -> None:
        self.errors.append(message)

    def ids(self, items, kind):
        seen = set()
        for position, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str | int) or isinstance(ident, bool) or ident == "":
                self.error(f"{kind}[{position}]: 'id' is missing or not a string")
                continue
            if str(ident) in seen:
                self.error(f"{kind} {ident}: duplicate id")
            seen.add(str(ident))

    def list_of(self, data, key, where, required=True):
        value = data.get(key)
        if value is None:
            if required:
                self.error(f"{where}: '{key}' is missing")
            return []
        if not isinstance(value, list):
            self.error(f"{where}: '{key}' must be a list")
            return []
        return value

    def count(self, data, key, where, *, default=None, minimum=0):
        value = data.get(key, default)
        if not _is_number(value) or int(value) != value:
            self.error(f"{where}: '{key}' must be a whole number")
            return default if default is not None else minimum
        if value < minimum:
            self.error(f"{where}: '{key}' must be at least {minimum}, not {value}")
            return minimum
        return int(value)


def load_instance(data) -> Instance:
    """Read and check an instance given as a dict or JSON text; raise InstanceError listing every fault."""
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except ValueError as exc:
            raise InstanceError([f"not valid JSON: {exc}"]) from exc
    if not isinstance(data, dict):
        raise InstanceError(["the instance must be a JSON object with slots, rooms and sessions"])
    read = _Reader()
    slots = _read_slots(read, data)
    slot_index = {slot.id: index for index, slot in enumerate(slots)}
    rooms = _read_rooms(read, data, slot_index)
    room_index = {room.id: index for index, room in enumerate(rooms)}
    raw_sessions = read.list_of(data, "sessions", "instance")
    read.ids(raw_sessions, "session")
    session_ids = {str(s["id"]) for s in raw_sessions if isinstance(s, dict) and "id" in s}
    sessions = [
        _read_session(read, raw, position, slot_index, room_index)
        for position, raw in enumerate(raw_sessions)
        if isinstance(raw, dict)
    ]
    session_index = {session.id: index for index, session in enumerate(sessions)}
    stars, attendee_ids = _read_attendees(read, data, session_ids, session_index)
    weights = _read_weights(read, data)
    pause = read.count(data, "min_pause_slots", "instance", default=0)
    current, change_weights = _read_current(read, data, session_index, slot_index, room_index)
    speaker_names = _read_speaker_names(read, data)
    if read.errors:
        raise InstanceError(read.errors)
    instance = Instance(
        slots=slots,
        rooms=rooms,
        sessions=sessions,
        stars=stars,
        attendee_ids=attendee_ids,
        weights=weights,
        current=current,
        min_pause_slots=pause,
        speaker_names=speaker_names,
        change_weights=change_weights,
        slot_index=slot_index,
        room_index=room_index,
        session_index=session_index,
    )
    _check_structure(read, instance)
    if read.errors:
        raise InstanceError(read.errors)
    return instance


def _read_slots(read, data):
    raw = read.list_of(data, "slots", "instance")
    read.ids(raw, "slot")
    parsed = []
    for position, item in enumerate(raw):
        if not isinstance(item, dict):
            read.error(f"slot[{position}]: must be an object")
            continue
        where = f"slot {item.get('id', position)}"
        start = _parse_start(item.get("start"))
        if start is None:
            read.error(f"{where}: 'start' must be an ISO date-time, not {item.get('start')!r}")
            continue
        minutes = read.count(item, "minutes", where, default=0, minimum=1)
        day = item.get("day", start.date().isoformat())
        parsed.append((str(day), start, minutes, str(item.get("id"))))
    days = sorted({day for day, *_ in parsed}, key=lambda d: min(s for dd, s, *_ in parsed if dd == d))
    parsed.sort(key=lambda item: (days.index(item[0]), item[1]))
    slots, position_in_day = [], {}
    for day, start, minutes, ident in parsed:
        position = position_in_day.get(day, 0)
        position_in_day[day] = position + 1
        slots.append(Slot(ident, start, minutes, day, days.index(day), position))
    for a, b in itertools.pairwise(slots):
        if a.day == b.day and b.start < a.end:
            read.error(f"slot {b.id}: starts before slot {a.id} ends (slots of a day must not overlap)")
    return slots


def _slot_refs(read, values, where, slot_index):
    refs = set()
    for value in values:
        if str(value) not in slot_index:
            read.error(f"{where}: unknown slot {value!r}")
        else:
            refs.add(slot_index[str(value)])
    return frozenset(refs)


def _string_list(read, data, key, where):
    values = read.list_of(data, key, where, required=False)
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        read.error(f"{where}: '{key}' must list strings")
        return []
    return [str(v) for v in values]


def _read_rooms(read, data, slot_index):
    raw = read.list_of(data, "rooms", "instance")
    read.ids(raw, "room")
    rooms = []
    for position, item in enumerate(raw):
        if not isinstance(item, dict):
            read.error(f"room[{position}]: must be an object")
            continue
        where = f"room {item.get('id', position)}"
        capacity = read.count(item, "capacity", where, default=0)
        unavailable = _slot_refs(read, _string_list(read, item, "unavailable", where), where, slot_index)
        tags = frozenset(_string_list(read, item, "tags", where))
        name = item.get("name") or ""
        if not isinstance(name, str):
            read.error(f"{where}: 'name' must be a string")
            name = ""
        rooms.append(Room(str(item.get("id")), capacity, unavailable, tags, name))
    return rooms


def _read_session(read, raw, position, slot_index, room_index):
    where = f"session {raw.get('id', position)}"
    length = read.count(raw, "slots", where, default=1, minimum=1)
    speakers = tuple(dict.fromkeys(_string_list(read, raw, "speakers", where)))
    allowed_raw = raw.get("allowed", "all")
    if allowed_raw == "all":
        allowed = None
    elif isinstance(allowed_raw, list):
        allowed = _slot_refs(read, [str(v) for v in allowed_raw], f"{where} 'allowed'", slot_index)
    else:
        read.error(f"{where}: 'allowed' must be a list of slot ids or \"all\"")
        allowed = None
    preferred = _slot_refs(
        read, _string_list(read, raw, "preferred", where), f"{where} 'preferred'", slot_index
    )
    plenary = raw.get("plenary", False)
    if not isinstance(plenary, bool):
        read.error(f"{where}: 'plenary' must be true or false")
        plenary = False
    track = raw.get("track")
    pinned = _read_place(read, raw.get("pinned"), f"{where} 'pinned'", slot_index, room_index)
    audience = read.count(raw, "audience", where, default=0)
    title = raw.get("title") or str(raw.get("id"))
    return Session(
        id=str(raw.get("id")),
        length=length,
        speakers=speakers,
        track=None if track in (None, "") else str(track),
        plenary=plenary,
        allowed=allowed,
        room_tags=frozenset(_string_list(read, raw, "room_tags", where)),
        pinned=pinned,
        audience=audience,
        preferred=preferred,
        title=str(title),
    )


def _read_place(read, value, where, slot_index, room_index):
    if value is None:
        return None
    if not isinstance(value, dict):
        read.error(f"{where}: must be an object with 'slot' and 'room', or null")
        return None
    slot, room = str(value.get("slot")), str(value.get("room"))
    if slot not in slot_index:
        read.error(f"{where}: unknown slot {value.get('slot')!r}")
    if room not in room_index:
        read.error(f"{where}: unknown room {value.get('room')!r}")
    if slot in slot_index and room in room_index:
        return (slot_index[slot], room_index[room])
    return None


def _read_attendees(read, data, session_ids, session_index):
    raw = read.list_of(data, "attendees", "instance", required=False)
    read.ids(raw, "attendee")
    stars, ids = [], []
    for position, item in enumerate(raw):
        if not isinstance(item, dict):
            read.error(f"attendee[{position}]: must be an object")
            continue
        where = f"attendee {item.get('id', position)}"
        starred = []
        for value in _string_list(read, item, "starred", where):
            if value not in session_ids:
                read.error(f"{where}: starred unknown session {value!r}")
            elif value in session_index:
                starred.append(session_index[value])
        stars.append(tuple(dict.fromkeys(starred)))
        ids.append(str(item.get("id")))
    return stars, ids


def _read_weights(read, data):
    raw = data.get("weights") or {}
    if not isinstance(raw, dict):
        read.error("instance: 'weights' must be an object")
        return dict(DEFAULT_WEIGHTS)
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in raw.items():
        if key not in DEFAULT_WEIGHTS:
            read.error(f"weights: unknown term {key!r} (known: {', '.join(DEFAULT_WEIGHTS)})")
        elif not _is_number(value) or value < 0:
            read.error(f"weights: '{key}' must be a number of at least 0, not {value!r}")
        else:
            weights[key] = value
    return weights


def _read_speaker_names(read, data):
    raw = data.get("speaker_names") or {}
    if not isinstance(raw, dict):
        read.error("instance: 'speaker_names' must be an object mapping person ids to names")
        return {}
    names = {}
    for person, name in raw.items():
        if not isinstance(name, str):
            read.error(f"speaker_names {person}: the name must be a string, not {name!r}")
        elif name.strip():
            names[str(person)] = name.strip()
    return names


def _read_current(read, data, session_index, slot_index, room_index):
    raw = read.list_of(data, "current", "instance", required=False)
    current, change_weights = {}, {}
    for position, item in enumerate(raw):
        if not isinstance(item, dict):
            read.error(f"current[{position}]: must be an object")
            continue
        session = str(item.get("session"))
        where = f"current[{position}] (session {session})"
        if session not in session_index:
            read.error(f"{where}: unknown session")
            continue
        if session_index[session] in current:
            read.error(f"{where}: the session appears twice")
            continue
        place = _read_place(read, item, where, slot_index, room_index)
        if place is not None:
            current[session_index[session]] = place
        if "weight" in item:
            weight = item["weight"]
            if not _is_number(weight) or not math.isfinite(weight) or weight < 0:
                read.error(f"{where}: 'weight' must be a number of at least 0, not {weight!r}")
            elif weight != 1:
                change_weights[session_index[session]] = weight
    return current, change_weights


def _check_structure(read, instance):
    """Faults no schedule can get around: a pin that contradicts the session's own data."""
    for session in instance.sessions:
        if session.pinned is None:
            continue
        start, _room = session.pinned
        where = f"session {session.id} 'pinned'"
        covered = instance.cover(start, session.length)
        if covered is None:
            read.error(
                f"{where}: {session.length} consecutive slots do not fit from slot "
                f"{instance.slots[start].id} (end of day or a break)"
            )
        elif session.allowed is not None and not set(covered) <= session.allowed:
            read.error(f"{where}: slot {instance.slots[start].id} is not among the session's allowed slots")
