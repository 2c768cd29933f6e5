"""iCalendar: one VEVENT per session (UID = its key; LOCATION = room; CATEGORIES = track).

Speakers come from ATTENDEE;CN=…; a SUMMARY written as "Title - Speaker, Speaker" (the common
convention, and our own export) loses that suffix when it matches the attendees.
"""

import datetime as dt
import re

import icalendar

from podium.interop.importers import values
from podium.interop.importers.source import ImportRefused, SourcePerson, SourceProgram, SourceSession

_LINE_END = re.compile(rb"\r+\n")
_FOLD = re.compile(rb"\n[ \t]")


def unfold(data: bytes) -> bytes:
    """RFC 5545 §3.1 on the raw bytes, before any decoding: line ends with extra CRs (CR CR LF) become
    one, and folded lines are joined, so a fold inside a multi-byte UTF-8 character joins it again."""
    return _FOLD.sub(b"", _LINE_END.sub(b"\n", data))


def _when(component, name: str, tz) -> dt.datetime | None:
    """A time with its zone (UTC, TZID); a floating time in `tz`, or naive when the file names none."""
    prop = component.get(name)
    if prop is None:
        return None
    value = prop.dt
    if not isinstance(value, dt.datetime):
        return None  # an all-day entry is not a session
    return value if value.tzinfo or tz is None else value.replace(tzinfo=tz)


def _named_zone(calendar) -> tuple[str, str]:
    """The zone the calendar names (its name, and where): X-WR-TIMEZONE, else an IANA VTIMEZONE TZID,
    else the IANA TZID its events' times use."""
    name = values.text(calendar.get("X-WR-TIMEZONE"))
    if name:
        return name, "X-WR-TIMEZONE"
    for component in calendar.walk("VTIMEZONE"):
        tzid = values.text(component.get("TZID"))
        if values.zone(tzid) is not None:
            return tzid, "VTIMEZONE"
    for component in calendar.walk("VEVENT"):
        start = component.get("DTSTART")
        key = getattr(getattr(getattr(start, "dt", None), "tzinfo", None), "key", None)
        if key and key != "UTC" and values.zone(key) is not None:
            return key, "the TZID of its times"
    return "", ""


def _persons(component) -> list[SourcePerson]:
    attendees = component.get("ATTENDEE") or []
    if not isinstance(attendees, list):
        attendees = [attendees]
    people = []
    for attendee in attendees:
        name = values.text(attendee.params.get("CN"))
        if name:
            people.append(SourcePerson(key=values.person_key(name=name), name=name))
    return people


def _title(summary: str, people: list[SourcePerson]) -> str:
    names = ", ".join(person.name for person in people)
    if people and summary.endswith(f" - {names}"):
        return summary[: -len(names) - 3].strip()
    return summary


def parse(data: bytes) -> SourceProgram:
    """Read an .ics file into a SourceProgram (the bytes are unfolded first, then decoded)."""
    try:
        calendar = icalendar.Calendar.from_ical(unfold(data).decode("utf-8-sig"))
    except (ValueError, IndexError, KeyError) as exc:
        raise ImportRefused(f"The file is not a readable iCalendar file: {exc}.") from exc
    name = values.text(calendar.get("X-WR-CALNAME"))
    time_zone, zone_source = _named_zone(calendar)
    program = SourceProgram(format="ical", title=name, time_zone=time_zone, zone_source=zone_source)
    tz = values.zone(program.time_zone)
    for n, component in enumerate(calendar.walk("VEVENT")):
        uid = values.text(component.get("UID"))
        start, end = _when(component, "DTSTART", tz), _when(component, "DTEND", tz)
        duration = component.get("DURATION")
        if end is None and start is not None and duration is not None:
            end = start + duration.dt
        people = _persons(component)
        categories = component.get("CATEGORIES")
        track = ""
        if categories is not None:
            first = categories[0] if isinstance(categories, list) else categories
            track = values.text(first.cats[0]) if getattr(first, "cats", None) else ""
        program.sessions.append(
            SourceSession(
                key=f"uid:{uid}" if uid else f"vevent:{n}",
                ref=f"UID {uid}" if uid else f"VEVENT #{n + 1}",
                title=_title(values.text(component.get("SUMMARY")), people),
                start=start,
                duration_minutes=values.minutes_between(start, end),
                room=values.text(component.get("LOCATION")),
                track=track,
                abstract=values.text(component.get("DESCRIPTION")),
                persons=people,
            )
        )
    return program
