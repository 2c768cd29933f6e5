"""What every importer produces: one conference's program, independent of the file format.

Parsers only read; they never touch the database. The import service compares a `SourceProgram`
with what an earlier import created and applies the difference.
"""

import datetime as dt
from dataclasses import dataclass, field

from podium.base.errors import ServiceError
from podium.interop.importers import values
from podium.proposals.links import MAX_LINKS, link, web_url


class ImportRefused(ServiceError):
    """The file cannot be imported at all (hostile, too big, not a schedule); nothing was changed."""


@dataclass
class SourcePerson:
    key: str  # the source's id, guid or code; the name when there is none
    name: str
    bio: str = ""
    named: bool = True  # False when the source gives only an id (an unexpanded pretalx speaker code)
    guid: str = ""  # the person's guid and code as the file gives them (Podium's exports write both),
    code: str = ""  # matched against the event's speakers on a re-import


@dataclass
class SourceRoom:
    name: str
    guid: str = ""
    capacity: int | None = None


@dataclass
class SourceTrack:
    name: str
    colour: str = ""


@dataclass
class SourceSession:
    key: str  # guid, else id, else code: what a re-import matches on
    ref: str  # where it is in the file: XML line, JSON pointer, CSV line, iCal UID
    title: str
    start: dt.datetime | None  # naive when the file gives a wall-clock time and names no zone
    duration_minutes: int | None
    room: str = ""
    room_guid: str = ""
    code: str = ""
    guid: str = ""
    track: str = ""
    type_name: str = ""
    language: str = ""
    abstract: str = ""
    description: str = ""
    persons: list[SourcePerson] = field(default_factory=list)
    subtitle: str = ""
    do_not_record: bool = False
    recording_license: str = ""
    links: list[dict] = field(default_factory=list)  # [{"title", "url"}], http(s) only
    attachments: list[dict] = field(default_factory=list)
    video_url: str = ""
    feedback_url: str = ""
    origin_url: str = ""  # the session's page in the source system
    refused: list[str] = field(default_factory=list)  # addresses left out (not http(s)), for the report
    # The end the file gave as a wall-clock time beside a wall-clock start: once their zone is known
    # (SourceProgram.localize), the length is counted again in real time, as for times with a zone.
    floating_end: dt.datetime | None = None

    def web_url(self, what: str, value) -> str:
        """`value` when it is an http(s) address; else "" and, when something was given, a note."""
        text = values.text(value)
        url = web_url(text)
        if text and url is None:
            self.refused.append(f"{what} “{text[:100]}”")
        return url or ""

    def web_links(self, what: str, pairs) -> list[dict]:
        """[{"title", "url"}] from (title, address) pairs, leaving out (and noting) other addresses."""
        found = []
        for title, value in pairs:
            url = self.web_url(what, value)
            if url:
                found.append(link(values.text(title), url))
        return found[:MAX_LINKS]


@dataclass
class Skip:
    kind: str
    ref: str
    reason: str


@dataclass
class SourceProgram:
    format: str
    title: str = ""
    acronym: str = ""
    time_zone: str = ""  # the zone the file names (IANA name as written), "" when it names none
    zone_source: str = ""  # where the file names it: "<time_zone_name>", "X-WR-TIMEZONE", …
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    day_start_hour: int | None = None
    rooms: list[SourceRoom] = field(default_factory=list)
    tracks: list[SourceTrack] = field(default_factory=list)
    sessions: list[SourceSession] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    # Proposal fields the file cannot carry (an iCal feed has no description): a re-import keeps them.
    absent_fields: frozenset[str] = frozenset()

    @property
    def floating(self) -> list[SourceSession]:
        """Sessions whose start is a wall-clock time without an offset or zone (read in the chosen zone)."""
        return [s for s in self.sessions if s.start is not None and s.start.tzinfo is None]

    def localize(self, tz: dt.tzinfo) -> None:
        """Read every wall-clock start (and end) as a time in `tz`: a session from 01:30 to 03:30 on the
        night the clocks go forward there lasts an hour."""
        for session in self.floating:
            session.start = session.start.replace(tzinfo=tz)
            if session.floating_end is not None:
                end = session.floating_end.replace(tzinfo=tz)
                session.duration_minutes = values.minutes_between(session.start, end)
                session.floating_end = None

    @property
    def events_seen(self) -> int:
        """Every session the file lists: the ones read plus the ones skipped while reading."""
        return len(self.sessions) + sum(1 for skip in self.skips if skip.kind == "session")
