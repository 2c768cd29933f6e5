"""A spreadsheet of sessions, one row each, with a header row (see docs/formats.md, "Importers").

Columns (any order, case-insensitive, unknown ones ignored): code, title, speakers (separated by ";"),
track, type, room, start (ISO 8601; without an offset it is read in the event's time zone), end or
duration (minutes or HH:MM), language, abstract, description. A row is keyed by its code, else its line.
"""

import csv
import io

from podium.interop.importers import values
from podium.interop.importers.source import ImportRefused, SourcePerson, SourceProgram, SourceSession

COLUMNS = ("code", "title", "speakers", "track", "type", "room", "start", "end", "duration",
           "language", "abstract", "description")  # fmt: skip


def _persons(cell: str) -> list[SourcePerson]:
    return [
        SourcePerson(key=values.person_key(name=name.strip()), name=name.strip())
        for name in cell.split(";")
        if name.strip()
    ]


def parse(data: bytes, *, tz=None) -> SourceProgram:
    """Read CSV text into a SourceProgram; start/end values without an offset are read in `tz`, or
    stay naive (wall-clock times, placed in the import's zone later) when it is None."""
    text = data.decode("utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if not {"title", "start"} <= header:
        raise ImportRefused("A CSV of sessions needs a header row with at least the columns title and start.")
    program = SourceProgram(format="sessions-csv")
    for row in reader:
        cells = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        line = reader.line_num
        start = values.moment(cells.get("start"), tz)
        end = values.moment(cells.get("end"), tz)
        minutes = (
            int((end - start).total_seconds() // 60)
            if start and end and (start.tzinfo is None) == (end.tzinfo is None)
            else values.duration_minutes(cells.get("duration"))
        )
        code = cells.get("code", "")
        program.sessions.append(
            SourceSession(
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
                persons=_persons(cells.get("speakers", "")),
            )
        )
    return program
