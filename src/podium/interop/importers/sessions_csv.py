"""A spreadsheet of sessions, one row each, with a header row (see docs/formats.md, "Importers").

Columns (any order, case-insensitive, unknown ones ignored): code, title, speakers (separated by ";"),
track, type, room, start (ISO 8601, or as spreadsheets write dates: 31.01.2027 10:00 day first, or
01/31/2027 9:00 AM and 31/01/2027 09:00 with the order read off the file; without an offset it is read
in the event's time zone), end or duration (minutes or HH:MM), language, abstract, description,
do_not_record (yes/true/1), links (one "title | url" per line), speaker_codes (";"-separated, one per
speaker: Podium's own export). A row is keyed by its code, else its line. A column the file does not
have leaves that field of an existing session as it is on a re-import (`SourceProgram.absent_fields`).
"""

import csv
import datetime as dt
import io
import re

from podium.interop.importers import values
from podium.interop.importers.source import ImportRefused, SourcePerson, SourceProgram, SourceSession

COLUMNS = ("code", "title", "speakers", "track", "type", "room", "start", "end", "duration",
           "language", "abstract", "description", "do_not_record", "links", "speaker_codes")  # fmt: skip
# The proposal field each optional column fills; the fields no column fills are absent.
_FIELDS = {"track": "track", "type": "session_type", "language": "language", "abstract": "abstract",
           "description": "description", "do_not_record": "do_not_record", "links": "links"}  # fmt: skip
_NEVER = frozenset(
    {"subtitle", "recording_license", "attachments", "video_url", "feedback_url", "origin_url"}
)


# A date and time as spreadsheets write them: day.month.year (day first, as in Germany), or with slashes
# (month first in the US, day first in Britain: the file tells which), a time of hours and minutes
# (seconds, AM or PM optional).
_SPREADSHEET_MOMENT = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[./])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4}),?\s+"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<half>[AaPp]\.?[Mm]\.?)?"
)


def _day_first(cells: list[str]) -> bool | None:
    """Whether the file's slashed dates put the day first: read off a date whose first part (day first)
    or second part (month first) is above 12; None when it has no slashed dates. Refused when no date
    tells (01/02/2027 is 1 February or 2 January), or when the dates tell both."""
    slashed = [m for m in map(_SPREADSHEET_MOMENT.fullmatch, cells) if m and m["sep"] == "/"]
    if not slashed:
        return None
    day_first = any(int(m["a"]) > 12 for m in slashed)
    month_first = any(int(m["b"]) > 12 for m in slashed)
    example = slashed[0].group(0)
    if day_first and month_first:
        raise ImportRefused(
            f"The file's dates are written with slashes ({example}), some with the day first and some "
            "with the month first. Write them as 2027-01-31 10:00 (ISO 8601)."
        )
    if not day_first and not month_first:
        raise ImportRefused(
            f"The file's dates are written with slashes ({example}) and none of them tells whether the "
            "day or the month comes first. Write them as 2027-01-31 10:00 (ISO 8601)."
        )
    return day_first


def _moment(cell: str | None, tz, day_first: bool | None):
    """A start or end: ISO 8601 (values.moment), else a date and time as spreadsheets write them."""
    parsed = values.moment(cell, tz)
    found = _SPREADSHEET_MOMENT.fullmatch(cell or "") if parsed is None else None
    if found is None:
        return parsed
    first, second = int(found["a"]), int(found["b"])
    day, month = (first, second) if found["sep"] == "." or day_first else (second, first)
    hour = int(found["hour"])
    if found["half"]:  # 12 AM is midnight, 12 PM noon
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if found["half"][0] in "Pp" else 0)
    try:
        parsed = dt.datetime(
            int(found["year"]), month, day, hour, int(found["minute"]), int(found["second"] or 0)
        )
    except ValueError:
        return None
    return parsed.replace(tzinfo=tz) if tz is not None else parsed


def _cell(value: str) -> str:
    """A cell's text, without the quote a spreadsheet export puts before "=", "+", "-", "@"."""
    value = (value or "").strip()
    return value[1:] if value[:1] == "'" and value[1:2] in ("=", "+", "-", "@") else value


def _links(session: SourceSession, cell: str) -> list[dict]:
    pairs = []
    for line in cell.splitlines():
        title, bar, url = line.strip().rpartition("|")
        pairs.append((title, url) if bar else ("", line))
    return session.web_links("link", [pair for pair in pairs if pair[1].strip()])


_NAMES = re.compile(r"(?:\\.|[^;\\])+")  # names between ";", where "\;" is part of a name
_UNESCAPE = re.compile(r"\\(.)")


def _persons(cell: str, codes_cell: str = "") -> list[SourcePerson]:
    """The speakers, keyed by their codes when a speaker_codes column gives one per name."""
    names = [_UNESCAPE.sub(r"\1", name).strip() for name in _NAMES.findall(cell) if name.strip()]
    codes = [code.strip() for code in codes_cell.split(";") if code.strip()]
    if len(codes) != len(names):
        codes = [""] * len(names)
    return [
        SourcePerson(key=values.person_key(ident=code or None, name=name), name=name, code=code)
        for name, code in zip(names, codes, strict=True)
    ]


def parse(data: bytes, *, tz=None) -> SourceProgram:
    """Read CSV text into a SourceProgram; start/end values without an offset are read in `tz`, or
    stay naive (wall-clock times, placed in the import's zone later) when it is None."""
    text = data.decode("utf-8-sig")
    # The separator is the header's (cells may hold ";" and ","); lines may end with CR LF, LF or CR
    # alone (a spreadsheet on an old Mac).
    header_line = (text.splitlines() or [""])[0]
    reader = csv.DictReader(
        io.StringIO(text, newline=""), dialect=csv.excel, delimiter=max(",;\t", key=header_line.count)
    )
    try:
        names = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except csv.Error as exc:
        raise ImportRefused(f"The CSV file's header row cannot be read: {exc}.") from exc
    header = set(names)
    if not {"title", "start"} <= header:
        raise ImportRefused("A CSV of sessions needs a header row with at least the columns title and start.")
    twice = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if twice:
        raise ImportRefused(
            f"The header row names the column {', '.join(twice)} more than once: which one is meant is "
            "not known. Rename or remove one of them."
        )
    program = SourceProgram(format="sessions-csv")
    program.absent_fields = _NEVER | {name for column, name in _FIELDS.items() if column not in header}
    rows = []
    try:
        for row in reader:
            cells = {(k or "").strip().lower(): _cell(v) for k, v in row.items() if isinstance(v, str)}
            rows.append((cells, reader.line_num))
    except csv.Error as exc:
        raise ImportRefused(f"The CSV file cannot be read after line {reader.line_num}: {exc}.") from exc
    day_first = _day_first([cells.get(name, "") for cells, _line in rows for name in ("start", "end")])
    program.sessions = [_session(cells, line, tz, day_first) for cells, line in rows]
    return program


def _session(cells: dict, line: int, tz, day_first: bool | None) -> SourceSession:
    """One row's cells as a session (`line`: where it ends in the file)."""
    start = _moment(cells.get("start"), tz, day_first)
    end = _moment(cells.get("end"), tz, day_first)
    minutes = values.minutes_between(start, end)
    # Wall-clock times: the length is counted again in the zone they are read in (localize).
    floating_end = end if minutes is not None and start.tzinfo is None else None
    if minutes is None:
        minutes = values.duration_minutes(cells.get("duration"))
    code = cells.get("code", "")
    session = SourceSession(
        key=f"code:{code}" if code else f"line:{line}",
        ref=f"line {line}",
        title=cells.get("title", ""),
        start=start,
        duration_minutes=minutes,
        room=cells.get("room", ""),
        code=code,
        track=cells.get("track", ""),
        type_name=cells.get("type", ""),
        language=cells.get("language", ""),
        abstract=cells.get("abstract", ""),
        description=cells.get("description", ""),
        persons=_persons(cells.get("speakers", ""), cells.get("speaker_codes", "")),
        floating_end=floating_end,
    )
    session.do_not_record = values.flag(cells.get("do_not_record", ""))
    session.links = _links(session, cells.get("links", ""))
    return session
