"""The event's rooms, tracks and session types for a file's: found by what an earlier import made of
them or by name, else created through the events services (their rules and audit entries). Sessions the file gives no room go to "Room not given" (`NoRoom`)."""

from podium.events import services as events
from podium.events.models import Room, SessionType, Track
from podium.interop.exporters.common import own_type_name
from podium.interop.importers.source import SourceRoom
from podium.interop.importing.matching import Keys, free_uuid
from podium.interop.models import ImportedKey
from podium.schedule import conflicts

Kind = ImportedKey.Kind
TRACK_COLOURS = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4", "#57606a")


def rooms_for(event, program, report, by) -> dict[str, Room]:
    keys = Keys(event, Kind.ROOM)
    existing = {room.name.lower(): room for room in event.rooms.all()}
    by_name: dict[str, Room] = {}
    wanted = list(program.rooms)
    for session in program.sessions:
        if session.room and session.room.lower() not in {r.name.lower() for r in wanted}:
            wanted.append(SourceRoom(name=session.room, guid=session.room_guid))
    for position, source in enumerate(wanted):
        name = source.name.strip()[:120]
        if not name or name.lower() in {n.lower() for n in by_name}:
            continue
        key = f"guid:{source.guid}" if source.guid else f"name:{name.lower()}"
        room = event.rooms.filter(pk=keys.get(key)).first() if keys.get(key) else existing.get(name.lower())
        if room is None:
            room = Room(event=event)
            room.uuid = free_uuid(Room, source.guid) or room.uuid
            data = {"name": name, "capacity": source.capacity, "position": position}
            room = events.save_room(event=event, by=by, data=data, room=room)
            report.count("room", "created")
        elif source.capacity and room.capacity != source.capacity:
            events.save_room(
                event=event, by=by, data={"capacity": source.capacity}, room=room, version=room.version
            )
            report.count("room", "updated")
        else:
            report.count("room", "unchanged")
        keys.remember(key, room)
        by_name[name.lower()] = room
    keys.save()
    return by_name


class NoRoom:
    """The rooms for sessions the file gives no room: "Room not given", created the first time a session
    needs it and reused by later imports, and "Room not given 2", … only for sessions that overlap there
    (the database keeps one session per room at a time). The schedule editor flags every session in
    them (`conflicts.room_not_given`); the report names them."""

    def __init__(self, event, report, by):
        self.event, self.report, self.by = event, report, by
        self.rooms = {conflicts.no_room_number(room.name): room for room in event.rooms.all()}
        self.rooms.pop(0, None)
        self.titles: list[str] = []

    def is_one(self, room: Room | None) -> bool:
        return room is not None and any(room.pk == own.pk for own in self.rooms.values())

    def room(self, number: int) -> Room:
        if number not in self.rooms:
            position = max(self.event.rooms.values_list("position", flat=True), default=-1) + 1
            self.rooms[number] = events.save_room(
                event=self.event,
                by=self.by,
                data={"name": conflicts.no_room_name(number), "position": position},
            )
            self.report.count("room", "created")
        return self.rooms[number]

    def free(self, start, end, taken) -> Room:
        """The first of these rooms that `taken(room, start, end)` says is free, created on demand."""
        number = 1
        while taken(self.room(number), start, end):
            number += 1
        return self.room(number)

    def summarise(self) -> None:
        if not self.titles:
            return
        count = len(self.titles)
        shown = ", ".join(f"“{title}”" for title in self.titles[:5])
        more = f" and {count - 5} more" if count > 5 else ""
        self.report.note(
            f"{count} session{'s have' if count != 1 else ' has'} no room in the file and "
            f"{'are' if count != 1 else 'is'} in “{conflicts.NO_ROOM}” (the schedule editor warns about "
            f"{'them' if count != 1 else 'it'} until given a room): {shown}{more}."
        )


def tracks_for(event, program, report, by) -> dict[str, Track]:
    keys = Keys(event, Kind.TRACK)
    existing = {track.name.lower(): track for track in event.tracks.all()}
    colours = {t.name.strip().lower(): t.colour for t in program.tracks if t.colour}
    names = [t.name for t in program.tracks] + [s.track for s in program.sessions if s.track]
    by_name: dict[str, Track] = {}
    for name in names:
        name = name.strip()[:120]
        if not name or name.lower() in by_name:
            continue
        key = f"name:{name.lower()}"
        track = event.tracks.filter(pk=keys.get(key)).first() if keys.get(key) else existing.get(name.lower())
        colour = colours.get(name.lower()) or TRACK_COLOURS[len(existing) % len(TRACK_COLOURS)]
        if track is None:
            track = events.save_track(event=event, by=by, data={"name": name, "colour": colour.lower()})
            existing[name.lower()] = track
            report.count("track", "created")
        else:
            report.count("track", "unchanged")
        keys.remember(key, track)
        by_name[name.lower()] = track
    keys.save()
    return by_name


def session_type_name(type_name: str, minutes: int) -> str:
    """The type's name with its length ("lecture (45 min)"): the key an import remembers a type by,
    and its name when the event already has a type of the same name at another length. A name that
    already ends in " (45 min)" (an export of an earlier import) is not given the length twice."""
    return f"{(own_type_name(type_name, minutes) or 'Session')[:100]} ({minutes} min)"


def session_type_for(event, keys: Keys, cache: dict, type_name: str, minutes: int, report, by) -> SessionType:
    """The event's session type for `type_name` at `minutes`: the one an earlier import made, else one
    of that name (with or without its length) and length, else a new one named as the source names it
    (with its length only when the event has that name at another length already)."""
    own = (own_type_name(type_name, minutes) or "Session")[:100]
    name = session_type_name(own, minutes)
    if name.lower() in cache:
        return cache[name.lower()]
    key = f"type:{name.lower()}"
    found = event.session_types.filter(pk=keys.get(key)).first() if keys.get(key) else None
    same_length = event.session_types.filter(duration_minutes=minutes)
    found = (
        found or same_length.filter(name__iexact=own).first() or same_length.filter(name__iexact=name).first()
    )
    if found is None:
        taken = event.session_types.filter(name__iexact=own).exists()
        data = {"name": name if taken else own, "duration_minutes": minutes}
        found = events.save_session_type(event=event, by=by, data=data)
        report.count("session_type", "created")
    else:
        report.count("session_type", "unchanged")
    keys.remember(key, found)
    cache[name.lower()] = found
    return found
