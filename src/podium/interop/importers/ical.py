"""iCalendar: one VEVENT per session (UID = its key; LOCATION = room; CATEGORIES = track).

Speakers come from ATTENDEE;CN=…; a SUMMARY written as "Title - Speaker, Speaker" (the common
convention, and our own export) loses that suffix when it matches the attendees.
"""

import datetime as dt

import icalendar

from podium.interop.importers import values
from podium.interop.importers.source import ImportRefused, SourcePerson, SourceProgram, SourceSession


def _when(component, name: str, tz) -> dt.datetime | None:
    prop = component.get(name)
    if prop is None:
        return None
    value = prop.dt
    if not isinstance(value, dt.datetime):
        return None  # an all-day entry is not a session
    return value if value.tzinfo else value.replace(tzinfo=tz or dt.UTC)


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
    """Read an .ics file into a SourceProgram."""
    try:
        calendar = icalendar.Calendar.from_ical(data.decode("utf-8-sig"))
    except (ValueError, IndexError, KeyError) as exc:
        raise ImportRefused(f"The file is not a readable iCalendar file: {exc}.") from exc
    name = values.text(calendar.get("X-WR-CALNAME"))
    program = SourceProgram(format="ical", title=name, time_zone=values.text(calendar.get("X-WR-TIMEZONE")))
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
                duration_minutes=int((end - start).total_seconds() // 60) if start and end else None,
                room=values.text(component.get("LOCATION")),
                track=track,
                abstract=values.text(component.get("DESCRIPTION")),
                persons=people,
            )
        )
    return program
