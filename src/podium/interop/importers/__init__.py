"""Read conference schedules from other systems: detect the format from the content, then parse.

`read_program(data, fmt=None)` returns a `SourceProgram` or raises `ImportRefused` with a message a
person can act on (too big, binary, hostile XML, not a schedule). Parsers never write anything.
"""

import codecs
import json
import re

from django.conf import settings

from podium.interop.importers import frab_xml, ical, pretalx_api, schedule_json, sessions_csv
from podium.interop.importers.source import ImportRefused, SourceProgram

__all__ = ["FORMATS", "ImportRefused", "SourceProgram", "check_size", "detect", "read_program"]

FORMATS = ("frab-xml", "frab-json", "pretalx-api", "ical", "sessions-csv")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "PODIUM_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_size(size: int) -> None:
    """Refuse a file over the limit before reading it (PODIUM_IMPORT_MAX_BYTES, 50 MB by default)."""
    limit = max_bytes()
    if size > limit:
        raise ImportRefused(
            f"The file is {size / 1_048_576:.1f} MB; imports are limited to {limit / 1_048_576:.1f} MB."
        )


_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_XML_ENCODING = re.compile(r"""^(\s*<\?xml[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def _as_utf8(data: bytes) -> bytes:
    """UTF-16 text with its byte order mark (a spreadsheet's "Unicode text", some XML) as UTF-8, its XML
    declaration saying so; other bytes as they are."""
    if not data.startswith(_UTF16_MARKS):
        return data
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            "The file is not UTF-8 text, nor the UTF-16 its first bytes announce (undecodable bytes at "
            f"position {exc.start}); upload a schedule file, or save it as UTF-8."
        ) from exc
    return _XML_ENCODING.sub(r"\1\2UTF-8\2", text, count=1).encode("utf-8")


def _check_binary(data: bytes) -> None:
    """Refuse binary files (NUL bytes)."""
    if b"\x00" in data[:1_000_000]:
        raise ImportRefused("The file is binary (it contains NUL bytes); upload a schedule text file.")


def _check_text(data: bytes) -> None:
    """Refuse bytes that are not UTF-8 text."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(
            f"The file is not UTF-8 text (undecodable byte at position {exc.start}); "
            "upload a schedule file, or save it as UTF-8."
        ) from exc


def _head(data: bytes) -> bytes:
    return data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")


def detect(data: bytes) -> str:
    """The format, sniffed from the content (never from the file name)."""
    head = _head(data)
    if head.startswith(b"<"):
        return "frab-xml"
    if head.startswith(b"BEGIN:VCALENDAR"):
        return "ical"
    if head[:1] in (b"{", b"["):
        try:
            document = json.loads(data.decode("utf-8-sig"))
        except ValueError as exc:
            raise ImportRefused(f"The file looks like JSON but cannot be read: {exc}.") from exc
        return "pretalx-api" if pretalx_api.looks_like(document) else "frab-json"
    first_line = head.split(b"\n", 1)[0].lower()
    if b"title" in first_line and b"start" in first_line:
        return "sessions-csv"
    raise ImportRefused(
        "The format of this file is not recognised: import frab/Pentabarf XML, frab or pretalx "
        "schedule JSON, a pretalx API dump, iCalendar, or a CSV of sessions."
    )


def read_program(data: bytes, *, fmt: str | None = None, tz=None) -> SourceProgram:
    """Check the bytes, detect (or take) the format and parse. Wall-clock times of a file that names
    no zone stay naive (see `SourceProgram.floating`), unless `tz` is given to read them in."""
    check_size(len(data))
    data = _as_utf8(data)
    _check_binary(data)
    if fmt is not None and fmt not in FORMATS:
        raise ImportRefused(f"Unknown format “{fmt}”; choose one of: {', '.join(FORMATS)}.")
    if fmt == "ical" or (fmt is None and _head(data).startswith(b"BEGIN:VCALENDAR")):
        data = ical.unfold(data)  # RFC 5545: unfold first, then decode
    _check_text(data)
    fmt = fmt or detect(data)
    program = _parse(data, fmt)
    if tz is not None:
        program.localize(tz)
    return program


def _parse(data: bytes, fmt: str) -> SourceProgram:
    if fmt == "frab-xml":
        return frab_xml.parse(data)
    if fmt == "ical":
        return ical.parse(data)
    if fmt == "sessions-csv":
        return sessions_csv.parse(data)
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except ValueError as exc:
        raise ImportRefused(f"The file is not valid JSON: {exc}.") from exc
    if fmt == "pretalx-api":
        return pretalx_api.parse(document)
    return schedule_json.parse(document)
