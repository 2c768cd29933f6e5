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


_DTD_REFUSED = (
    "The file has a document type declaration (DOCTYPE){where}; schedule files never need one, and "
    "files with one (entities, external or parameter-entity DTDs) are refused for safety."
)
_PROLOG_SPACE = b" \t\r\n"


def _prolog_doctype(data: bytes) -> int | None:
    """The offset of a DOCTYPE in the prolog (however long: comments, processing instructions and
    white space before the root element are all read), or None. Only the prolog may hold one."""
    position = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    size = len(data)
    while position < size:
        while position < size and data[position] in _PROLOG_SPACE:
            position += 1
        if data.startswith(b"<?", position):
            closing = b"?>"
        elif data.startswith(b"<!--", position):
            closing = b"-->"
        elif data[position : position + 9].upper() == b"<!DOCTYPE":
            return position
        else:
            return None  # the root element (or something the parser will refuse)
        end = data.find(closing, position + 2)
        if end < 0:
            return None
        position = end + len(closing)
    return None


def read_tree(data: bytes) -> etree._Element:
    """The document's root. Refuses any DTD wherever it is (a DOCTYPE after kilobytes of comments
    too), checked before parsing and again on the parsed document, and any malformed XML."""
    found = _prolog_doctype(data)
    if found is not None:
        raise ImportRefused(_DTD_REFUSED.format(where=f" at byte {found}"))
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise ImportRefused(f"The file is not well-formed XML: {exc}.") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise ImportRefused(_DTD_REFUSED.format(where=""))
    if any(isinstance(node, etree._Entity) for node in root.iter()):
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
    program.zone_source = "<time_zone_name>" if program.time_zone else ""
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
    """<date> when it has a full timestamp; else the day's date plus <start> (after-midnight aware).
    Naive (a wall-clock time) when the file names no zone and the time has no offset."""
    stamp = values.moment(_text(event, "date"), tz) if "T" in _text(event, "date") else None
    if stamp is not None:
        return stamp
    day_date = (day.get("date") or _text(day, "date")) if day is not None else None
    date = values.day(day_date) or values.day(_text(event, "date"))
    clock = values.clock(_text(event, "start"))
    if date is None or clock is None:
        return None
    if day_change is not None and clock.hour < day_change:
        date += dt.timedelta(days=1)  # listed on the day before: after midnight
    return dt.datetime.combine(date, clock, tzinfo=tz)


def _length(event, start: dt.datetime | None, tz) -> tuple[int | None, dt.datetime | None]:
    """(minutes, end as a wall-clock time): <duration>; else the time from the start to <end> (the
    oldest Pentabarf files: a clock time, the next day when it is before the start, or a full
    timestamp), in real time. The end is returned when it and the start have no zone yet, so that the
    length is counted again in the zone they are read in (SourceSession.floating_end)."""
    minutes = values.duration_minutes(_text(event, "duration"))
    end_text = _text(event, "end")
    if minutes is not None or not end_text or start is None:
        return minutes, None
    if "T" in end_text:
        end = values.moment(end_text, tz if start.tzinfo is not None else None)
    else:
        clock = values.clock(end_text)
        if clock is None:
            return None, None
        end = start.replace(hour=clock.hour, minute=clock.minute)
        if end < start:
            end += dt.timedelta(days=1)
    return values.minutes_between(start, end), end if start.tzinfo is None else None


def _persons(event) -> list[SourcePerson]:
    people = []
    for person in event.iterfind("persons/person"):
        name = values.text(person.text) or _text(person, "name") or _text(person, "public_name")
        if name:
            ident = person.get("id") or person.get("guid") or person.get("code")
            people.append(
                SourcePerson(
                    key=values.person_key(ident=ident, name=name),
                    name=name,
                    guid=values.text(person.get("guid")),
                    code=values.text(person.get("code")),
                )
            )
    return people


def _code(event) -> str:
    for tag in ("feedback_url", "origin_url", "url"):
        match = _CODE_IN_URL.search(_text(event, tag))
        if match:
            return match.group(1)
    return ""


def _references(event, path: str, base: str) -> list[tuple[str, str]]:
    """(title, address) of each `<link href>title</link>` (or `<attachment>`); a hub-style element with
    `<url>`/`<title>` children is read too, so its title never becomes the event's."""
    found = []
    for node in event.iterfind(path):
        href = node.get("href") or _text(node, "url") or _text(node, "href")
        title = _text(node, "title") or values.text(node.text)
        if href:
            found.append((title, values.absolute_url(base, href)))
    return found


def _extras(event, session: SourceSession, base: str) -> None:
    """The fields beyond the program: subtitle, recording consent, links, attachments, addresses."""
    session.subtitle = _text(event, "subtitle")
    recording = event.find("recording")
    if recording is not None:
        session.do_not_record = values.flag(_text(recording, "optout"))
        session.recording_license = _text(recording, "license")[:200]
    session.links = session.web_links("link", _references(event, "links/link", base))
    session.attachments = session.web_links("attachment", _references(event, "attachments/attachment", base))
    session.video_url = session.web_url("video address", _text(event, "video_download_url"))
    session.feedback_url = session.web_url("feedback address", _text(event, "feedback_url"))
    session.origin_url = session.web_url("origin address", _text(event, "origin_url") or _text(event, "url"))


def _session(event, day, room, tz, day_change, base: str = "") -> SourceSession:
    title = _text(event, "title")
    guid = (event.get("guid") or "").strip()
    ident = (event.get("id") or "").strip()
    start = _start(event, day, tz, day_change)
    minutes, floating_end = _length(event, start, tz)
    session = SourceSession(
        key=f"guid:{guid}" if guid else (f"id:{ident}" if ident else f"slug:{_text(event, 'slug')}"),
        ref=_ref(event),
        title=title,
        start=start,
        duration_minutes=minutes,
        floating_end=floating_end,
        room=_text(event, "room") or (room.get("name", "").strip() if room is not None else ""),
        room_guid=(room.get("guid") or "") if room is not None else "",
        code=_code(event),
        guid=guid,
        track=_text(event, "track"),
        type_name=_text(event, "type"),
        language=_text(event, "language"),
        abstract=_text(event, "abstract"),
        description=_text(event, "description"),
        persons=_persons(event),
    )
    _extras(event, session, base)
    return session


def parse(data: bytes) -> SourceProgram:
    """Read a schedule.xml into a SourceProgram (sessions in file order, skips with line numbers)."""
    root = read_tree(data)
    if root.tag != "schedule":
        raise ImportRefused(f"This XML file is not a schedule: its root element is <{root.tag}>.")
    program = SourceProgram(format="frab-xml")
    tz = _conference(root, program)
    base = _text(root, "conference/base_url") or _text(root, "conference/url")
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
        parent = event.getparent()
        if parent is not None and parent.tag == "day":  # the oldest Pentabarf: no <room> wrapper
            day, room = parent, None
        else:
            room = parent if parent is not None and parent.tag == "room" else None
            day = room.getparent() if room is not None else None
            day = day if day is not None and day.tag == "day" else None
        program.sessions.append(_session(event, day, room, tz, program.day_start_hour, base))
    return program
