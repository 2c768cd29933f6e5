"""Reading a file of contacts and applying it to an organiser's contacts and one of its lists.

Two formats, told apart by the file name (.vcf, .vcard) or the content (it starts with BEGIN:VCARD):

- CSV with a header row. Columns are found by their header, in any letter case, with `_` read as a
  space (`HEADER_NAMES` lists the names read); the delimiter is `,`, `;`, tab or `|`, whichever the
  header row uses most, unless given. Values may be quoted ("Smith, Jane", "two\nlines", `""` for a
  quote). A UTF-8 byte order mark is dropped. Line numbers are the file's: the header is line 1 and
  a row that spans several lines is named by its first.
- vCard 3.0 or 4.0: FN (else N), EMAIL (the preferred one, else the first), ORG, TEL (likewise),
  NOTE; folded lines; any number of cards. A card is named by the line of its BEGIN:VCARD.

Every address is checked with Django's validator and stored lower-cased. A row without a valid
address, a value longer than its column, or a line that cannot be read is *invalid*; a row whose
address an earlier row has is *skipped*. `read` only reads; `apply` writes (in the caller's
transaction), or with `dry_run` only counts. Nothing here checks who asks: services.import_contacts
does.
"""

import codecs
import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy, pgettext_lazy

from podium.base.errors import ServiceError
from podium.contacts.models import (
    EMAIL_LENGTH,
    NAME_LENGTH,
    ORGANISATION_LENGTH,
    PHONE_LENGTH,
    Contact,
    ContactList,
    Membership,
)

#: The header names read for each field (compared in lower case, `_` as a space; also without spaces).
HEADER_NAMES = {
    "email": ("email", "e-mail", "mail", "email address", "e-mail address"),
    "name": ("name", "full name"),
    "first name": ("first name", "given name"),
    "last name": ("last name", "family name", "surname"),
    "organisation": ("organisation", "organization", "company", "org"),
    "phone": ("phone", "telephone", "tel", "mobile", "phone number"),
    "notes": ("notes", "note"),
}
#: The fields a contact takes from a file, other than its address; a non-empty one updates.
VALUE_FIELDS = ("name", "organisation", "phone", "notes")
LENGTHS = {
    "email": EMAIL_LENGTH,
    "name": NAME_LENGTH,
    "organisation": ORGANISATION_LENGTH,
    "phone": PHONE_LENGTH,
}
#: Why a row is invalid when a value is longer than its column (`count`: the column's length).
TOO_LONG = {
    "name": ngettext_lazy(
        "the name is longer than %(count)s character", "the name is longer than %(count)s characters", "count"
    ),
    "organisation": ngettext_lazy(
        "the organisation is longer than %(count)s character",
        "the organisation is longer than %(count)s characters",
        "count",
    ),
    "phone": ngettext_lazy(
        "the phone number is longer than %(count)s character",
        "the phone number is longer than %(count)s characters",
        "count",
    ),
}
#: The fields as the report names them (the keys of ReadFile.columns).
FIELD_NAMES = {
    "email": pgettext_lazy("a column of a contacts file", "email"),
    "name": pgettext_lazy("a column of a contacts file", "name"),
    "first name": pgettext_lazy("a column of a contacts file", "first name"),
    "last name": pgettext_lazy("a column of a contacts file", "last name"),
    "organisation": pgettext_lazy("a column of a contacts file", "organisation"),
    "phone": pgettext_lazy("a column of a contacts file", "phone"),
    "notes": pgettext_lazy("a column of a contacts file", "notes"),
}
DELIMITERS = (",", ";", "\t", "|")
#: Rows written per query, and addresses looked up per query.
BATCH = 1000
LOOKUP = 2000
#: A cell that a spreadsheet would run as a formula starts with one of these (see exporting.safe_cell).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_ALIASES = {
    alias: column
    for column, names in HEADER_NAMES.items()
    for name in names
    for alias in (name, name.replace(" ", ""))
}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")

Progress = Callable[[str, int, int], None]


class ImportRefused(ServiceError):
    """The file cannot be imported; nothing was written. `report`, when set, lists the bad lines."""

    def __init__(self, message: str, *, report: "ImportReport | None" = None):
        super().__init__(message, field="file")
        self.report = report


@dataclass
class Row:
    line: int
    email: str
    name: str = ""
    organisation: str = ""
    phone: str = ""
    notes: str = ""


@dataclass
class Skip:
    """A line left out: its number and why (in the language active while the file was read)."""

    line: int
    reason: str
    invalid: bool = True

    def __str__(self):
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class ReadFile:
    """What a file holds: its good rows (each address once) and the lines left out, with why."""

    format: str
    rows: list[Row] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    delimiter: str = ""
    #: {field: [the headers it is read from]} (CSV only)
    columns: dict = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    lines: int = 0

    @property
    def invalid(self) -> list[Skip]:
        return [skip for skip in self.skips if skip.invalid]


@dataclass
class ImportReport:
    """What an import did (or, as a dry run or refused, would do)."""

    label: str
    list_name: str
    read: ReadFile
    dry_run: bool = False
    refused: bool = False
    list_created: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    added_to_list: int = 0
    already_on_list: int = 0

    @property
    def skipped(self) -> list[Skip]:
        return sorted(self.read.skips, key=lambda skip: skip.line)

    @property
    def invalid(self) -> list[Skip]:
        return sorted(self.read.invalid, key=lambda skip: skip.line)

    @property
    def summary(self) -> str:
        """The counts in one sentence, in the active language."""
        counts = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": len(self.read.skips),
        }
        if self.dry_run:
            return (
                _(
                    "Would create %(created)s, updated %(updated)s, unchanged %(unchanged)s, skipped %(skipped)s."
                )
                % counts
            )
        return (
            _("Created %(created)s, updated %(updated)s, unchanged %(unchanged)s, skipped %(skipped)s.")
            % counts
        )

    def header_lines(self) -> list[str]:
        """What was read and how, in the active language."""
        read = self.read
        values = {
            "file": self.label or _("the file"),
            "format": read.format,
            "delimiter": _delimiter_name(read.delimiter),
            "count": len(read.rows) + len(read.skips),
        }
        if read.delimiter:
            line = ngettext(
                "Read %(file)s as %(format)s, delimiter %(delimiter)s: %(count)s contact.",
                "Read %(file)s as %(format)s, delimiter %(delimiter)s: %(count)s contacts.",
                values["count"],
            )
        else:
            line = ngettext(
                "Read %(file)s as %(format)s: %(count)s contact.",
                "Read %(file)s as %(format)s: %(count)s contacts.",
                values["count"],
            )
        lines = [line % values]
        if read.columns:
            columns = ", ".join(
                _("%(field)s from %(headers)s")
                % {
                    "field": FIELD_NAMES.get(name, name),
                    "headers": " + ".join(repr(header) for header in headers),
                }
                for name, headers in read.columns.items()
            )
            lines.append(_("Columns: %(columns)s.") % {"columns": columns})
        if read.ignored:
            ignored = ", ".join(repr(header) for header in read.ignored)
            lines.append(_("Ignored columns: %(columns)s.") % {"columns": ignored})
        return lines

    @property
    def text(self) -> str:
        """The report as the command prints it and the page shows it (plain text), in the active
        language."""
        lines = self.header_lines()
        if self.refused:
            count = len(self.invalid)
            lines.append(
                ngettext(
                    "Refused: %(count)s line cannot be imported, so nothing was saved:",
                    "Refused: %(count)s lines cannot be imported, so nothing was saved:",
                    count,
                )
                % {"count": count}
            )
            lines += [f"  {skip}" for skip in self.invalid]
            return "\n".join(lines)
        if self.list_created:
            lines.append(_("List %(name)s (new).") % {"name": repr(self.list_name)})
        else:
            lines.append(_("List %(name)s.") % {"name": repr(self.list_name)})
        lines.append(self.summary)
        counts = {"count": self.added_to_list, "already": self.already_on_list}
        if self.dry_run:
            added = _("Would add %(count)s to the list (%(already)s on it already).")
        else:
            added = _("Added %(count)s to the list (%(already)s on it already).")
        lines.append(added % counts)
        if self.read.skips:
            lines.append(_("Skipped:"))
            lines += [f"  {skip}" for skip in self.skipped]
        if self.dry_run:
            lines.append(_("Dry run: nothing was saved."))
        return "\n".join(lines)


def _delimiter_name(delimiter: str) -> str:
    return _("tab") if delimiter == "\t" else repr(delimiter)


# --- Text -----------------------------------------------------------------------------------------


def decode(data: bytes | str, encoding: str | None = None) -> str:
    """The file as text: UTF-8 (with or without a byte order mark), UTF-16 with its mark, or `encoding`."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ImportRefused(
                _("Unknown encoding %(encoding)s; try utf-8, cp1252 or latin-1.")
                % {"encoding": repr(encoding)}
            ) from None
    elif data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if encoding:
            raise ImportRefused(
                _("Line %(line)s is not %(encoding)s text.") % {"line": line, "encoding": encoding}
            ) from None
        raise ImportRefused(
            _(
                "Line %(line)s is not UTF-8 text. Save the file as UTF-8, or give its encoding "
                "(for example cp1252 or latin-1)."
            )
            % {"line": line}
        ) from None
    return text.removeprefix("\ufeff")


def one_line(value: str) -> str:
    return " ".join(str(value or "").split())


def unquote_cell(value: str) -> str:
    """A cell without the apostrophe a CSV export puts before a would-be formula (exporting.safe_cell)."""
    if value.startswith("'") and value[1:].lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


def clean_email(raw: str) -> tuple[str, str]:
    """(address lower-cased, "") or ("", why it is not one)."""
    text = (raw or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[len("mailto:") :].strip()
    if not text:
        return "", _("no e-mail address")
    try:
        if len(text) > EMAIL_LENGTH:
            raise ValidationError("too long")
        validate_email(text)
    except ValidationError:
        return "", _("%(value)s is not an e-mail address") % {"value": repr((raw or "").strip())}
    return text.lower(), ""


def make_row(line: int, email: str, values: dict) -> Row | Skip:
    """A row from raw values ({field: text}), or why it is invalid."""
    address, problem = clean_email(email)
    if problem:
        return Skip(line, problem)
    clean = {name: one_line(values.get(name, "")) for name in ("name", "organisation", "phone")}
    for name, value in clean.items():
        if len(value) > LENGTHS[name]:
            return Skip(line, TOO_LONG[name] % {"count": LENGTHS[name]})
    notes = _LINE_BREAK.sub("\n", str(values.get("notes") or "")).strip()
    return Row(line, address, notes=notes, **clean)


def _deduplicate(read: ReadFile, found) -> None:
    """Keep the first row of each address; later ones are skipped, naming the first."""
    first: dict[str, int] = {}
    for item in found:
        if isinstance(item, Skip):
            read.skips.append(item)
        elif item.email in first:
            reason = _("skipped, same address as line %(line)s") % {"line": first[item.email]}
            read.skips.append(Skip(item.line, reason, False))
        else:
            first[item.email] = item.line
            read.rows.append(item)


# --- CSV --------------------------------------------------------------------------------------------


def header_key(cell: str) -> str:
    return " ".join(cell.replace("_", " ").split()).lower()


def sniff_delimiter(text: str) -> str:
    """The delimiter the header row uses most (`,` when it uses none)."""
    header = _LINE_BREAK.split(text, maxsplit=1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _columns(header: list[str]) -> tuple[dict[str, list[int]], list[str]]:
    """({field: [column indexes]}, [ignored headers]) of a header row."""
    found: dict[str, list[int]] = {}
    ignored = []
    for index, cell in enumerate(header):
        key = header_key(cell)
        column = _ALIASES.get(key) or _ALIASES.get(key.replace(" ", ""))
        if column:
            found.setdefault(column, []).append(index)
        elif key:
            ignored.append(cell.strip())
    return found, ignored


def _accepted_email_names() -> str:
    return ", ".join(HEADER_NAMES["email"])


def _first(cells: list[str], indexes: list[int]) -> str:
    """The first non-empty cell of these columns."""
    for index in indexes:
        if index < len(cells) and cells[index].strip():
            return unquote_cell(cells[index].strip())
    return ""


def read_csv(text: str, *, delimiter: str | None = None, progress: Progress | None = None) -> ReadFile:
    """The rows of a CSV file with a header row (see the module's docstring)."""
    if delimiter in ("tab", "\\t"):
        delimiter = "\t"
    if delimiter is not None and len(delimiter) != 1:
        raise ImportRefused(
            _("The delimiter must be one character (or 'tab'), not %(delimiter)s.")
            % {"delimiter": repr(delimiter)}
        )
    delimiter = delimiter or sniff_delimiter(text)
    total = text.count("\n") + 1
    read = ReadFile(format="CSV", delimiter=delimiter)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    except csv.Error as exc:
        raise ImportRefused(
            _("Line 1 (the header row) cannot be read as CSV: %(error)s.") % {"error": exc}
        ) from None
    columns, read.ignored = _columns(header)
    if "email" not in columns:
        found = delimiter.join(cell.strip() for cell in header)
        raise ImportRefused(
            _(
                "The file has no e-mail column. Its header row is %(header)s; name the column with the "
                "addresses one of: %(names)s."
            )
            % {"header": repr(found), "names": _accepted_email_names()}
        )
    if len(columns["email"]) > 1:
        names = " and ".join(repr(header[index].strip()) for index in columns["email"])
        raise ImportRefused(
            _("The columns %(names)s both hold e-mail addresses; keep one of them.") % {"names": names}
        )
    read.columns = {name: [header[index].strip() for index in indexes] for name, indexes in columns.items()}
    width = len(header)
    found = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            reason = _("cannot be read as CSV (%(error)s); write a quote inside a quoted value twice")
            found.append(Skip(start, reason % {"error": exc}))
            line = reader.line_num
            continue
        line = reader.line_num
        if progress is not None and line // BATCH != (start - 1) // BATCH:
            progress("read", line, total)
        if not any(cell.strip() for cell in cells):
            continue
        if any(cell.strip() for cell in cells[width:]):
            reason = ngettext(
                "%(values)s values where the header has %(count)s column "
                "(a value with a %(delimiter)s in it needs quotes)",
                "%(values)s values where the header has %(count)s columns "
                "(a value with a %(delimiter)s in it needs quotes)",
                width,
            )
            values = {"values": len(cells), "count": width, "delimiter": _delimiter_name(delimiter)}
            found.append(Skip(start, reason % values))
            continue
        values = {name: _first(cells, indexes) for name, indexes in columns.items()}
        if not values.get("name"):
            values["name"] = " ".join(
                part for part in (values.get("first name", ""), values.get("last name", "")) if part
            )
        found.append(make_row(start, values["email"], values))
    read.lines = line
    if progress is not None:
        progress("read", total, total)
    _deduplicate(read, found)
    return read


# --- vCard ------------------------------------------------------------------------------------------


def is_vcard(text: str, filename: str = "") -> bool:
    if filename.lower().endswith((".vcf", ".vcard")):
        return True
    return text.lstrip()[:11].upper() == "BEGIN:VCARD"


def unfold(text: str):
    """(line number, logical line) of a vCard: a line starting with a space or tab continues the last."""
    current, start = None, 0
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if line[:1] in (" ", "\t") and current is not None:
            current += line[1:]
            continue
        if current is not None:
            yield start, current
        current, start = line, number
    if current is not None:
        yield start, current


def _split(text: str, separator: str, *, quotes: bool = False, escapes: bool = False) -> list[str]:
    """`text` split at `separator`, except inside double quotes or after a backslash (kept as is)."""
    parts, current, quoted, index = [], [], False, 0
    while index < len(text):
        char = text[index]
        if escapes and char == "\\" and index + 1 < len(text):
            current.append(text[index : index + 2])
            index += 2
            continue
        if quotes and char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            parts.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def unescape(value: str) -> str:
    r"""A vCard text value: \n is a line break, \, \; and \\ the character itself."""
    return re.sub(r"\\(.)", lambda match: "\n" if match.group(1) in "nN" else match.group(1), value)


def parse_property(line: str) -> tuple[str, dict, str] | None:
    """(NAME, {PARAM: [values]}, raw value) of a content line, or None when it is not one."""
    head, colon, value = "", "", ""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, colon, value = line[:index], ":", line[index + 1 :]
            break
    if not colon:
        return None
    name, *raw_params = _split(head, ";", quotes=True)
    name = name.rsplit(".", 1)[-1].strip().upper()
    params: dict[str, list[str]] = {}
    for param in raw_params:
        key, equals, values = param.partition("=")
        if not equals:  # vCard 2.1 style: a bare type
            key, values = "TYPE", key
        params.setdefault(key.strip().upper(), []).extend(
            item.strip().strip('"') for item in values.split(",") if item.strip()
        )
    return name, params, value


def _rank(params: dict) -> int:
    """1 for the preferred value (TYPE=pref, PREF=1), PREF=n for others, 100 without a preference."""
    if any(value.lower() == "pref" for value in params.get("TYPE", [])):
        return 1
    for value in params.get("PREF", []):
        if value.isdigit():
            return int(value)
    return 100


def _best(values: list[tuple[int, str]]) -> str:
    """The preferred value, else the first."""
    return min(values, key=lambda item: item[0])[1] if values else ""


def _card(line: int, properties: list[tuple[str, dict, str]]) -> Row | Skip:
    fn = n = org = note = ""
    emails, phones = [], []
    for name, params, value in properties:
        if name == "FN" and not fn:
            fn = unescape(value)
        elif name == "N" and not n:
            parts = [unescape(part).strip() for part in _split(value, ";", escapes=True)]
            family, given, additional = [*parts, "", "", ""][:3]
            n = " ".join(part for part in (given, additional, family) if part)
        elif name == "EMAIL":
            emails.append((_rank(params), value.strip()))
        elif name == "TEL":
            phones.append((_rank(params), unescape(value).strip().removeprefix("tel:")))
        elif name == "ORG" and not org:
            parts = [unescape(part).strip() for part in _split(value, ";", escapes=True)]
            org = ", ".join(part for part in parts if part)
        elif name == "NOTE" and not note:
            note = unescape(value)
    if not emails:
        return Skip(line, _("the card has no EMAIL"))
    email = unescape(_best(emails))
    values = {"name": fn.strip() or n, "organisation": org, "phone": _best(phones), "notes": note}
    return make_row(line, email, values)


def read_vcard(text: str, *, progress: Progress | None = None) -> ReadFile:
    """The cards of a vCard file (see the module's docstring)."""
    read = ReadFile(format="vCard")
    total = text.count("\n") + 1
    found = []
    start, properties = None, []
    number = 0
    for number, line in unfold(text):
        if progress is not None and number % BATCH == 0:
            progress("read", number, total)
        upper = line.strip().upper()
        if upper == "BEGIN:VCARD":
            if start is not None:
                found.append(Skip(start, _("the card has no END:VCARD")))
            start, properties = number, []
        elif upper == "END:VCARD":
            if start is not None:
                found.append(_card(start, properties))
            start = None
        elif start is not None and line.strip():
            parsed = parse_property(line)
            if parsed is not None:
                properties.append(parsed)
    if start is not None:
        found.append(Skip(start, _("the card has no END:VCARD")))
    if not found:
        raise ImportRefused(_("The file holds no vCard (no line BEGIN:VCARD)."))
    read.lines = number
    if progress is not None:
        progress("read", total, total)
    _deduplicate(read, found)
    return read


def read(
    data: bytes | str,
    *,
    filename: str = "",
    delimiter: str | None = None,
    encoding: str | None = None,
    progress: Progress | None = None,
) -> ReadFile:
    """Read a CSV or vCard file of contacts; ImportRefused when the file as a whole cannot be read."""
    text = decode(data, encoding)
    if not text.strip():
        raise ImportRefused(_("The file is empty."))
    if is_vcard(text, filename):
        return read_vcard(text, progress=progress)
    return read_csv(text, delimiter=delimiter, progress=progress)


# --- Applying ---------------------------------------------------------------------------------------


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def existing_contacts(organiser, emails: list[str]) -> dict[str, Contact]:
    """{address: contact} of the organiser's contacts with these addresses (one query per LOOKUP)."""
    found = {}
    for chunk in _chunks(emails, LOOKUP):
        for contact in Contact.objects.filter(organiser=organiser, email__in=chunk):
            found[contact.email] = contact
    return found


def _ids(organiser, emails: list[str]):
    """(address, id) of the organiser's contacts with these addresses."""
    for chunk in _chunks(emails, LOOKUP):
        yield from Contact.objects.filter(organiser=organiser, email__in=chunk).values_list("email", "pk")


class _Writer:
    """Rows written in batches with plain SQL (Django's bulk_create and bulk_update spent most of an
    import's time building their SQL), reporting progress after each batch."""

    def __init__(self, total: int, progress: Progress | None):
        self.total, self.done, self.progress = total, 0, progress

    def _done(self, count: int) -> None:
        self.done += count
        if self.progress is not None:
            self.progress("save", self.done, self.total)

    @staticmethod
    def _arrays(model, columns: list[str], chunk: list) -> tuple[str, list]:
        """PostgreSQL: `unnest(%s::type[], …)` of the chunk's columns, and the arrays (a short
        statement whatever the number of rows, which the driver need not parse at length)."""
        types = {field.column: field.db_type(connection) for field in model._meta.concrete_fields}
        casts = ", ".join(f"%s::{types[column]}[]" for column in columns)
        return f"unnest({casts})", [list(values) for values in zip(*chunk, strict=True)]

    def write(self, model, columns: list[str], rows: list) -> None:
        """Many rows per INSERT: column arrays on PostgreSQL, else VALUES lists of at most 30,000
        values (SQLite's limit is 32,766)."""
        quote = connection.ops.quote_name
        into = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(column) for column in columns)})"
        size = min(BATCH, 30_000 // len(columns))
        with connection.cursor() as cursor:
            for chunk in _chunks(rows, size):
                if connection.vendor == "postgresql":
                    source, params = self._arrays(model, columns, chunk)
                    cursor.execute(f"{into} SELECT * FROM {source}", params)  # noqa: S608 - our names
                else:
                    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
                    values = ", ".join([row] * len(chunk))
                    cursor.execute(f"{into} VALUES {values}", [value for item in chunk for value in item])
                self._done(len(chunk))

    def update(self, model, columns: list[str], rows: list) -> None:
        """`rows` end with the primary key; one statement per batch on PostgreSQL, else executemany."""
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        with connection.cursor() as cursor:
            for chunk in _chunks(rows, BATCH):
                if connection.vendor == "postgresql":
                    source, params = self._arrays(model, [*columns, "id"], chunk)
                    names = ", ".join(quote(column) for column in [*columns, "id"])
                    sets = ", ".join(f"{quote(column)} = v.{quote(column)}" for column in columns)
                    sql = f"UPDATE {table} SET {sets} FROM {source} AS v({names}) WHERE {table}.id = v.id"  # noqa: S608
                    cursor.execute(sql, params)
                else:
                    sets = ", ".join(f"{quote(column)} = %s" for column in columns)
                    cursor.executemany(f"UPDATE {table} SET {sets} WHERE {quote('id')} = %s", chunk)  # noqa: S608
                self._done(len(chunk))


def changes(contact: Contact, row: Row) -> list[str]:
    """The fields the row changes: those it gives (non-empty) that differ from the stored ones."""
    return [
        name for name in VALUE_FIELDS if getattr(row, name) and getattr(row, name) != getattr(contact, name)
    ]


def apply(
    *,
    organiser,
    list_name: str,
    read: ReadFile,
    label: str,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Create and update the organiser's contacts from `read` and put them all on the list `list_name`
    (created when it does not exist). Refused (ImportRefused with the report) when the file has
    invalid lines, unless `skip_invalid`. With `dry_run` nothing is written; the counts are the same.
    Call it inside a transaction: it writes in batches."""
    report = ImportReport(label=label, list_name=list_name, read=read, dry_run=dry_run)
    if read.invalid and not skip_invalid:
        report.refused = True
        raise ImportRefused(report.text, report=report)
    rows = read.rows
    now = timezone.now()
    existing = existing_contacts(organiser, [row.email for row in rows])
    new, changed = [], []
    for row in rows:
        contact = existing.get(row.email)
        if contact is None:
            values = {name: getattr(row, name) for name in VALUE_FIELDS}
            new.append(Contact(organiser=organiser, email=row.email, created=now, updated=now, **values))
            continue
        fields = changes(contact, row)
        if fields:
            for name in fields:
                setattr(contact, name, getattr(row, name))
            contact.updated = now
            contact.version += 1
            changed.append(contact)
        else:
            report.unchanged += 1
    report.created, report.updated = len(new), len(changed)
    contact_list = ContactList.objects.filter(organiser=organiser, name=list_name).first()
    report.list_created = contact_list is None
    members = set()
    if contact_list is not None and existing:
        ids = [contact.pk for contact in existing.values()]
        for chunk in _chunks(ids, LOOKUP):
            members.update(
                Membership.objects.filter(contact_list=contact_list, contact_id__in=chunk).values_list(
                    "contact_id", flat=True
                )
            )
    report.already_on_list = len(members)
    report.added_to_list = len(rows) - len(members)
    if dry_run:
        return report
    if contact_list is None:
        contact_list = ContactList.objects.create(organiser=organiser, name=list_name, created=now)
    writer = _Writer(len(new) + len(changed) + report.added_to_list, progress)
    stamp = connection.ops.adapt_datetimefield_value(now)
    writer.write(
        Contact,
        ["organiser_id", "email", *VALUE_FIELDS, "created", "updated", "version"],
        [(organiser.pk, c.email, *(getattr(c, name) for name in VALUE_FIELDS), stamp, stamp, 1) for c in new],
    )
    ids = dict(_ids(organiser, [contact.email for contact in new]))
    writer.update(
        Contact,
        [*VALUE_FIELDS, "updated", "version"],
        [(*(getattr(c, name) for name in VALUE_FIELDS), stamp, c.version, c.pk) for c in changed],
    )
    joining = [contact.pk for contact in existing.values() if contact.pk not in members]
    joining += [ids[contact.email] for contact in new]
    writer.write(
        Membership,
        ["contact_list_id", "contact_id", "joined"],
        [(contact_list.pk, pk, stamp) for pk in joining],
    )
    return report
