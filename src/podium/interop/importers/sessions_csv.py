"""A spreadsheet of sessions, one row each, with a header row (see docs/formats.md, "Importers").

Columns (any order, case-insensitive, unknown ones ignored): code, title, speakers (separated by ";"),
track, type, room, start (ISO 8601; without an offset it is read in the event's time zone), end or
duration (minutes or HH:MM), language, abstract, description, do_not_record (yes/true/1), links (one
"title | url" per line), speaker_codes (";"-separated, one per speaker: Podium's own export). A row is keyed by its code, else its line. A column the file does not have
leaves that field of an existing session as it is on a re-import (`SourceProgram.absent_fields`).
"""

import csv
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
    try:
        for row in reader:
            program.sessions.append(_session(row, reader.line_num, tz))
    except csv.Error as exc:
        raise ImportRefused(f"The CSV file cannot be read after line {reader.line_num}: {exc}.") from exc
    return program


def _session(row: dict, line: int, tz) -> SourceSession:
    """One row as a session (`line`: where it ends in the file)."""
    cells = {(k or "").strip().lower(): _cell(v) for k, v in row.items() if isinstance(v, str)}
    start = values.moment(cells.get("start"), tz)
    end = values.moment(cells.get("end"), tz)
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
