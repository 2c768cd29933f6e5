"""Writing an organiser's contacts (or one list's) as CSV or vCard 3.0, streamed row by row.

The CSV has the header names the import reads (email, name, organisation, phone, notes), so an
export imported again creates and changes nothing. A cell a spreadsheet would run as a formula
(=, +, -, @ first) gets an apostrophe in front, which the import takes off again
(importing.unquote_cell). vCard values escape backslashes, commas, semicolons and line breaks, and
lines longer than 75 bytes are folded.
"""

import csv
from collections.abc import Iterable, Iterator

from podium.contacts.importing import FORMULA_STARTS
from podium.contacts.models import Contact

FORMATS = ("csv", "vcard")
CSV_COLUMNS = ("email", "name", "organisation", "phone", "notes")
FOLD_AT = 75  # bytes per vCard line, without the line break (RFC 6350 3.2)


def contacts_of(organiser, contact_list=None):
    """The organiser's contacts, or those of one of its lists, by address."""
    contacts = contact_list.contacts.all() if contact_list is not None else organiser.contacts.all()
    return contacts.order_by("email")


def safe_cell(value: str) -> str:
    """The value as text a spreadsheet shows rather than evaluates (the import reads it back as it was)."""
    text = value or ""
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like target for csv.writer that hands back what was written."""

    def write(self, text: str) -> str:
        return text


def csv_lines(contacts: Iterable[Contact]) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\r\n")
    yield writer.writerow(CSV_COLUMNS)
    for contact in contacts:
        yield writer.writerow([safe_cell(getattr(contact, name)) for name in CSV_COLUMNS])


def escape(value: str) -> str:
    """A vCard text value: backslash, comma, semicolon and line breaks escaped."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded into lines of at most 75 bytes (never inside a UTF-8 character)."""
    if len(line.encode("utf-8")) <= FOLD_AT:
        return line + "\r\n"
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = FOLD_AT if not parts else FOLD_AT - 1  # a continuation starts with a space
        if size + width > limit:
            parts.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def _n(name: str) -> str:
    """The N property's family and given names, guessed from the full name (its last word)."""
    given, _, family = name.rpartition(" ")
    return f"{escape(family)};{escape(given)};;;"


def vcard(contact: Contact) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{escape(contact.name)}"]
    lines.append(f"N:{_n(contact.name)}")
    lines.append(f"EMAIL;TYPE=INTERNET:{escape(contact.email)}")
    if contact.organisation:
        lines.append(f"ORG:{escape(contact.organisation)}")
    if contact.phone:
        lines.append(f"TEL:{escape(contact.phone)}")
    if contact.notes:
        lines.append(f"NOTE:{escape(contact.notes)}")
    lines.append("END:VCARD")
    return "".join(fold(line) for line in lines)


def vcard_lines(contacts: Iterable[Contact]) -> Iterator[str]:
    for contact in contacts:
        yield vcard(contact)


def export_lines(contacts, fmt: str) -> Iterator[str]:
    """The export of `contacts` (a query set, read in chunks) in `fmt`, piece by piece."""
    rows = contacts.iterator(chunk_size=2000)
    return csv_lines(rows) if fmt == "csv" else vcard_lines(rows)
