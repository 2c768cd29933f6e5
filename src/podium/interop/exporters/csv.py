"""Spreadsheets for organisers: the released sessions and their speakers.

Not public: speakers.csv holds e-mail addresses and sessions.csv each proposal's current state, so
these are read live (never cached) and served only to the event's team. Cells that a spreadsheet
would run as a formula (= + - @, tab, carriage return) are prefixed with a quote.
"""

import csv
import io

from podium.proposals.links import as_lines
from podium.proposals.models import SpeakerProfile
from podium.schedule.models import Release, SlotKind
from podium.schedule.queries import released_sessions

from . import common

CONTENT_TYPE = "text/csv; charset=utf-8"
SESSION_COLUMNS = (
    "code",
    "title",
    "speakers",
    "track",
    "type",
    "room",
    "start",
    "end",
    "duration_minutes",
    "language",
    "state",
    "abstract",
    "do_not_record",
    "links",
    "speaker_codes",
    "attachments",
    "video_url",
)
SPEAKER_COLUMNS = ("code", "name", "email", "sessions")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def names_cell(name: str) -> str:
    """A speaker's name in the ";"-separated speakers cell: a ";" (or a backslash) in it is escaped
    with a backslash, as the importer reads it."""
    return name.replace("\\", "\\\\").replace(";", "\\;")


def safe_cell(value) -> str:
    """The value as text that a spreadsheet shows rather than evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _table(columns, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def render_sessions(release: Release) -> common.Export:
    event = release.event
    tz = event.tz
    sessions = list(released_sessions(release).filter(kind=SlotKind.SESSION))
    states = dict(event.proposals.filter(code__in=[s.code for s in sessions]).values_list("code", "state"))
    rows = [
        (
            session.code,
            session.title,
            "; ".join(names_cell(speaker["name"]) for speaker in session.speakers),
            session.track_name,
            common.own_type_name(session.session_type, session.duration_minutes),
            session.room_name,
            common.local_iso(session.start, tz),
            common.local_iso(session.end, tz),
            session.duration_minutes,
            session.language,
            states.get(session.code, ""),
            session.abstract,
            "yes" if session.do_not_record else "",
            as_lines(session.links),
            "; ".join(speaker["code"] for speaker in session.speakers),
            as_lines(session.attachments),
            session.video_url,
        )
        for session in sessions
    ]
    return common.Export(_table(SESSION_COLUMNS, rows), CONTENT_TYPE, f"{event.slug}-sessions.csv")


def render_speakers(release: Release) -> common.Export:
    event = release.event
    speakers = list(release.speakers.order_by("name", "code"))
    emails = dict(
        SpeakerProfile.objects.filter(event=event, code__in=[s.code for s in speakers]).values_list(
            "code", "user__email"
        )
    )
    rows = [
        (speaker.code, speaker.name, emails.get(speaker.code, ""), ", ".join(speaker.session_codes))
        for speaker in speakers
    ]
    return common.Export(_table(SPEAKER_COLUMNS, rows), CONTENT_TYPE, f"{event.slug}-speakers.csv")
