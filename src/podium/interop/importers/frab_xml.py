"""frab / Pentabarf `schedule.xml`, every generation (Pentabarf, frab, pretalx, FOSDEM, the CCC hub).

Read leniently: none of the real files validates against the XSD. Each <event> is read on its own;
one that lacks what a session needs (a title, a time) is skipped with its line, never fatal.
"""

import datetime as dt
import re

from lxml import etree

from podium.interop.importers import values
from podium.interop.importers.source import (
    ImportRefused,
    SourcePerson,
    SourceProgram,
    SourceRoom,
    SourceSession,
    SourceTrack,
)

_CODE_IN_URL = re.compile(r"/talk/([A-Z0-9]{4,16})/")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _parser() -> etree.XMLParser:
    """A parser that never fetches anything and never expands entities (billion laughs, XXE)."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False
    )


def read_tree(data: bytes) -> etree._Element:
    """The document's root; refuses a DOCTYPE that declares entities and any malformed XML."""
    head = data[:4096].lower()
    if b"<!doctype" in head and (b"<!entity" in data.lower() or b"system" in head or b"public" in head):
        raise ImportRefused(
            "The file declares entities or an external DTD in its DOCTYPE; schedule files never need "
            "them, and they are refused for safety."
        )
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ImportRefused(f"The file is not well-formed XML: {exc}.") from exc
    if root.getroottree().docinfo.internalDTD is not None and any(
        isinstance(node, etree._Entity) for node in root.iter()
    ):
        raise ImportRefused("The file uses XML entities; they are refused for safety.")
    return root


def _text(node, tag: str) -> str:
    child = node.find(tag)
    return values.text(child.text) if child is not None and child.text else ""


def _ref(node) -> str:
    return f"line {node.sourceline} <{node.tag}>"


def _conference(root, program: SourceProgram) -> dt.tzinfo | None:
    conference = root.find("conference")
    if conference is None:
        return None
    program.title = _text(conference, "title")
    program.acronym = _text(conference, "acronym")
    program.time_zone = _text(conference, "time_zone_name")
    program.date_from = values.day(_text(conference, "start"))
    program.date_to = values.day(_text(conference, "end"))
    program.day_start_hour = values.day_start_hour(_text(conference, "day_change"))
    for track in conference.findall("track"):  # the CCC hub: <track name="…" color="#…"/>
        name = values.text(track.get("name") or track.text)
        colour = track.get("color") or ""
        if name:
            program.tracks.append(SourceTrack(name=name, colour=colour if _COLOUR.match(colour) else ""))
    return values.zone(program.time_zone)


def _start(event, day, tz, day_change: int | None) -> dt.datetime | None:
    """<date> when it has a full timestamp; else the day's date plus <start> (after-midnight aware)."""
    stamp = values.moment(_text(event, "date"), tz) if "T" in _text(event, "date") else None
    if stamp is not None:
        return stamp
    date = values.day(day.get("date") if day is not None else None) or values.day(_text(event, "date"))
    clock = values.clock(_text(event, "start"))
    if date is None or clock is None:
        return None
    if day_change is not None and clock.hour < day_change:
        date += dt.timedelta(days=1)  # listed on the day before: after midnight
    return dt.datetime.combine(date, clock, tzinfo=tz or dt.UTC)


def _persons(event) -> list[SourcePerson]:
    people = []
    for person in event.iterfind("persons/person"):
        name = values.text(person.text)
        if name:
            ident = person.get("id") or person.get("guid") or person.get("code")
            people.append(SourcePerson(key=values.person_key(ident=ident, name=name), name=name))
    return people


def _code(event) -> str:
    for tag in ("feedback_url", "origin_url", "url"):
        match = _CODE_IN_URL.search(_text(event, tag))
        if match:
            return match.group(1)
    return ""


def _session(event, day, room, tz, day_change) -> SourceSession:
    title = _text(event, "title")
    subtitle = _text(event, "subtitle")
    guid = (event.get("guid") or "").strip()
    ident = (event.get("id") or "").strip()
    return SourceSession(
        key=f"guid:{guid}" if guid else (f"id:{ident}" if ident else f"slug:{_text(event, 'slug')}"),
        ref=_ref(event),
        title=title,
        start=_start(event, day, tz, day_change),
        duration_minutes=values.duration_minutes(_text(event, "duration")),
        room=_text(event, "room") or (room.get("name", "").strip() if room is not None else ""),
        room_guid=(room.get("guid") or "") if room is not None else "",
        code=_code(event),
        guid=guid,
        track=_text(event, "track"),
        type_name=_text(event, "type"),
        language=_text(event, "language"),
        abstract=_text(event, "abstract") or subtitle,
        description=_text(event, "description"),
        persons=_persons(event),
    )


def parse(data: bytes) -> SourceProgram:
    """Read a schedule.xml into a SourceProgram (sessions in file order, skips with line numbers)."""
    root = read_tree(data)
    if root.tag != "schedule":
        raise ImportRefused(f"This XML file is not a schedule: its root element is <{root.tag}>.")
    program = SourceProgram(format="frab-xml")
    tz = _conference(root, program)
    for track in root.iterfind("tracks/track"):  # FOSDEM: a top-level <tracks> list
        name = values.text(track.text)
        if name:
            program.tracks.append(SourceTrack(name=name))
    seen_rooms = set()
    for room in root.iterfind("day/room"):
        name = values.text(room.get("name"))
        if name and name not in seen_rooms:
            seen_rooms.add(name)
            program.rooms.append(SourceRoom(name=name, guid=(room.get("guid") or "").strip()))
    for event in root.iter("event"):
        room = event.getparent()
        day = room.getparent() if room is not None else None
        program.sessions.append(
            _session(
                event,
                day if day is not None and day.tag == "day" else None,
                room if room is not None and room.tag == "room" else None,
                tz,
                program.day_start_hour,
            )
        )
    return program
