"""iCalendar: one VEVENT per session (UID = its key; LOCATION = room; CATEGORIES = track).

Speakers come from X-PODIUM-SPEAKER (Podium's own feeds: the name, and the code in X-PODIUM-CODE),
else from ATTENDEE;CN=…; a SUMMARY written as "Title - Speaker, Speaker" (the common convention, and
Podium's feeds before) loses that suffix when it matches them, and a DESCRIPTION that starts with
Podium's "Speakers: …" line loses that line. The session's language is SUMMARY's LANGUAGE parameter
(or X-PODIUM-LANGUAGE, for a value that is no language tag, such as "de, en").
A cancelled VEVENT (STATUS:CANCELLED) is not a session on the program: it is skipped, with its UID.
A repeating VEVENT (RRULE, RDATE, less its EXDATEs) is one session per occurrence, at most
MAX_OCCURRENCES (else it is skipped and the report says why); a VEVENT with its UID and a RECURRENCE-ID
replaces that occurrence (or, cancelled, removes it). The first occurrence's key is the UID's; the
others' are the UID's with their start, so that a re-import finds each again.

A feed has no description, session type, subtitle or recording licence, and links only as addresses
(ATTACH): a re-import leaves those as they are (`SourceProgram.absent_fields`).
"""

import dataclasses
import datetime as dt
import itertools
import re
import uuid

import icalendar
from dateutil import rrule

from podium.interop.importers import values
from podium.interop.importers.source import ImportRefused, Skip, SourcePerson, SourceProgram, SourceSession

SPEAKERS_LINE = "Speakers: "  # as Podium's feeds write it (exporters.ical.description)
_PODIUM_PRODID = "-//podium//"
# What no feed carries; Podium's own feeds carry do-not-record too.
_ABSENT = frozenset({"description", "session_type", "subtitle", "recording_license", "links", "attachments",
                     "video_url", "feedback_url", "origin_url"})  # fmt: skip

#: The most occurrences a repeating VEVENT may have (a year of daily sessions).
MAX_OCCURRENCES = 366

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


def _all(component, name: str) -> list:
    found = component.get(name)
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


_ESCAPED = re.compile(r"\\([\\;,nN])")


def _x_text(value) -> str:
    """An X- property's text: the parser leaves RFC 5545's escapes in what it does not know."""
    return _ESCAPED.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), values.text(value))


def _persons(component) -> list[SourcePerson]:
    """X-PODIUM-SPEAKER (name and code) when the feed has them, else ATTENDEE;CN=…"""
    people = []
    for speaker in _all(component, "X-PODIUM-SPEAKER"):
        name, code = _x_text(speaker), values.text(speaker.params.get("X-PODIUM-CODE"))
        if name:
            key = values.person_key(ident=code or None, name=name)
            people.append(SourcePerson(key=key, name=name, code=code))
    if people:
        return people
    for attendee in _all(component, "ATTENDEE"):
        name = values.text(attendee.params.get("CN"))
        if name:
            people.append(SourcePerson(key=values.person_key(name=name), name=name))
    return people


def _abstract(description: str, people: list[SourcePerson]) -> str:
    """DESCRIPTION without the speakers line Podium's feeds begin it with."""
    names = ", ".join(person.name for person in people)
    line = f"{SPEAKERS_LINE}{names}"
    if people and (description == line or description.startswith(f"{line}\n")):
        return description[len(line) :].lstrip("\n")
    return description


def _guid(uid: str) -> str:
    """The session's guid from its UID: the UUID before "@host" (Podium's feeds), else the UID."""
    local = uid.rpartition("@")[0]
    try:
        return str(uuid.UUID(local))
    except ValueError:
        return uid


def _moment_key(moment: dt.datetime) -> str:
    """An occurrence's start as text: its instant in UTC, or the wall-clock time of a floating one."""
    if moment.tzinfo is None:
        return moment.strftime("%Y%m%dT%H%M%S")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _dates(component, name: str, tz) -> list[dt.datetime]:
    """The date-times of every RDATE or EXDATE line (periods and whole days left out), as `_when` reads
    a DTSTART."""
    found = []
    for prop in _all(component, name):
        for item in getattr(prop, "dts", []):
            value = item.dt
            if isinstance(value, dt.datetime):
                found.append(value if value.tzinfo or tz is None else value.replace(tzinfo=tz))
    return found


def _occurrences(component, start: dt.datetime, tz) -> list[dt.datetime] | str:
    """The starts of a VEVENT's occurrences in order (DTSTART alone when it does not repeat), or why
    they cannot be read."""
    rules = _all(component, "RRULE")
    extra = _dates(component, "RDATE", tz)
    if not rules and not extra:
        return [start]
    starts = [start, *extra]
    for rule in rules:
        try:
            repeated = rrule.rrulestr(rule.to_ical().decode(), dtstart=start)
            starts += itertools.islice(repeated, MAX_OCCURRENCES + 1)
        except (ValueError, TypeError, OverflowError) as exc:
            return f"its repetition rule (RRULE) cannot be read: {exc}"
    excluded = {_moment_key(moment) for moment in _dates(component, "EXDATE", tz)}
    unique = {_moment_key(moment): moment for moment in starts if _moment_key(moment) not in excluded}
    if len(unique) > MAX_OCCURRENCES:
        return f"it repeats more than {MAX_OCCURRENCES} times (RRULE, RDATE)"
    return [unique[key] for key in sorted(unique)]


def _repeating(calendar, tz) -> tuple[dict[str, str], set[tuple[str, str]]]:
    """{UID: its DTSTART} of the repeating VEVENTs, and the (UID, start) of the occurrences another VEVENT
    replaces (RECURRENCE-ID)."""
    firsts, replaced = {}, set()
    for component in calendar.walk("VEVENT"):
        uid = values.text(component.get("UID"))
        recurrence = _when(component, "RECURRENCE-ID", tz)
        if not uid:
            continue  # nothing can refer to it
        if recurrence is not None:
            replaced.add((uid, _moment_key(recurrence)))
        elif component.get("RRULE") is not None or component.get("RDATE") is not None:
            start = _when(component, "DTSTART", tz)
            if start is not None:
                firsts[uid] = _moment_key(start)
    return firsts, replaced


def _shifted(session: SourceSession, moment: dt.datetime) -> SourceSession:
    """`session` moved to start at `moment`, its wall-clock end (if any) with it."""
    end = session.floating_end
    return dataclasses.replace(
        session, start=moment, floating_end=end + (moment - session.start) if end is not None else None
    )


def _as_occurrence(session: SourceSession, moment: dt.datetime, first: str) -> SourceSession:
    """`session` as the occurrence at `moment` of a repeating VEVENT whose DTSTART is `first`: the one
    at DTSTART keeps the VEVENT's key and guid, the others have keys of their own."""
    if _moment_key(moment) == first:
        return session
    return dataclasses.replace(
        session,
        key=f"{session.key}|{_moment_key(moment)}",
        ref=f"{session.ref}, {moment:%Y-%m-%d %H:%M}",
        guid="",
    )


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
    podium = values.text(calendar.get("PRODID")).lower().startswith(_PODIUM_PRODID)
    program.absent_fields = _ABSENT if podium else _ABSENT | {"do_not_record"}
    tz = values.zone(program.time_zone)
    firsts, replaced = _repeating(calendar, tz)
    for n, component in enumerate(calendar.walk("VEVENT")):
        uid = values.text(component.get("UID"))
        if values.text(component.get("STATUS")).upper() == "CANCELLED":
            where = f"UID {uid}" if uid else f"VEVENT #{n + 1}"
            program.skips.append(Skip("session", where, "it is cancelled (STATUS:CANCELLED)"))
            continue
        start, end = _when(component, "DTSTART", tz), _when(component, "DTEND", tz)
        # A wall-clock DTEND is counted again in the zone the import reads it in (SourceSession.floating_end);
        # a DURATION is already the real length (RFC 5545 §3.3.6: hours and minutes are exact).
        floating_end = end if start is not None and start.tzinfo is None and end is not None else None
        duration = component.get("DURATION")
        if end is None and start is not None and duration is not None:
            end = start + duration.dt
        people = _persons(component)
        categories = component.get("CATEGORIES")
        track = ""
        if categories is not None:
            first = categories[0] if isinstance(categories, list) else categories
            track = values.text(first.cats[0]) if getattr(first, "cats", None) else ""
        summary = component.get("SUMMARY")
        session = SourceSession(
            key=f"uid:{uid}" if uid else f"vevent:{n}",
            ref=f"UID {uid}" if uid else f"VEVENT #{n + 1}",
            title=_title(values.text(summary), people),
            start=start,
            duration_minutes=values.minutes_between(start, end),
            room=values.text(component.get("LOCATION")),
            guid=_guid(uid) if uid else "",
            track=track,
            language=(
                values.text(getattr(summary, "params", {}).get("LANGUAGE"))
                or _x_text(component.get("X-PODIUM-LANGUAGE"))
            )[:10],
            abstract=_abstract(values.text(component.get("DESCRIPTION")), people),
            persons=people,
            floating_end=floating_end,
        )
        session.do_not_record = values.text(component.get("X-PODIUM-DO-NOT-RECORD")).upper() == "TRUE"
        session.links = session.web_links("link", [(None, value) for value in _all(component, "ATTACH")])
        session.origin_url = session.web_url("origin address", values.text(component.get("URL")))
        recurrence = _when(component, "RECURRENCE-ID", tz)
        if recurrence is not None and start is not None and uid:
            # It replaces one occurrence of a repeating VEVENT: it takes that occurrence's key.
            first = firsts.get(uid, _moment_key(recurrence))
            program.sessions.append(_as_occurrence(session, recurrence, first))
            continue
        occurrences = _occurrences(component, start, tz) if start is not None else [start]
        if isinstance(occurrences, str):
            program.skips.append(Skip("session", session.ref, occurrences))
            continue
        if occurrences == [start]:  # it does not repeat
            program.sessions.append(session)
            continue
        for moment in occurrences:
            if (uid, _moment_key(moment)) not in replaced:
                program.sessions.append(_as_occurrence(_shifted(session, moment), moment, _moment_key(start)))
    return program
