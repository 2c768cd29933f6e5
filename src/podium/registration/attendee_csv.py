"""Reading an attendee list (CSV) for the import: every row checked, every problem named by its row.

Columns (first row, any letter case): `name`, `email`, `ticket type` (a ticket type's name), optional
`company`, and optional columns named like the event's questions (their labels), answered as the
booking form would be. Rows are numbered as a spreadsheet shows them: the header is row 1. Empty rows
are skipped. Nothing here writes: issuing.import_attendees_csv imports the rows only when there is no
problem at all.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.base.errors import ServiceError
from podium.registration.answers import (
    at,
    clean_attendee,
    clean_value,
    event_questions,
    one_line,
    questions_for,
)
from podium.registration.enums import QuestionKind
from podium.registration.models import TicketType

MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024
NAME, EMAIL, TICKET_TYPE, COMPANY = "name", "email", "ticket type", "company"
ALIASES = {"e-mail": EMAIL, "ticket_type": TICKET_TYPE, "ticket": TICKET_TYPE, "tickettype": TICKET_TYPE}


@dataclass
class Row:
    number: int
    ticket_type: TicketType
    name: str
    email: str
    company: str = ""
    answers: dict = field(default_factory=dict)


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise ServiceError(_("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(_("The file is not UTF-8 text: save it as “CSV UTF-8” and try again.")) from None


def _header(cells: list[str]) -> list[str]:
    names = [one_line(cell).lower() for cell in cells]
    return [ALIASES.get(name, name) for name in names]


def read(event, data: bytes | str) -> tuple[list[Row], list[str]]:
    """(rows, problems) of an attendee list for `event`; the rows are good only when there is no problem."""
    text = _text(data).lstrip("\ufeff")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)  # CR LF, LF or CR alone
    try:
        header = _header(next(reader))
    except StopIteration:
        return [], [_("The file is empty.")]
    except csv.Error as exc:
        return [], [_("Row 1: the file cannot be read as CSV (%(error)s).") % {"error": exc}]
    questions = {question.label.lower(): question for question in event_questions(event)}
    problems = []
    missing = [column for column in (NAME, EMAIL, TICKET_TYPE) if column not in header]
    if missing:
        problems.append(
            ngettext(
                "Row 1: the column %(columns)s is missing.",
                "Row 1: the columns %(columns)s are missing.",
                len(missing),
            )
            % {"columns": ", ".join(missing)}
        )
    unknown = [
        name for name in header if name and name not in (NAME, EMAIL, TICKET_TYPE, COMPANY, *questions)
    ]
    if unknown:
        problems.append(
            _("Row 1: no question is called %(names)s.")
            % {"names": ", ".join(f"“{name}”" for name in unknown)}
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        problems.append(
            ngettext(
                "Row 1: the column %(columns)s appears more than once.",
                "Row 1: the columns %(columns)s appear more than once.",
                len(repeated),
            )
            % {"columns": ", ".join(repeated)}
        )
    if problems:
        return [], problems
    types = {ticket_type.name.lower(): ticket_type for ticket_type in TicketType.objects.filter(event=event)}
    rows = []
    try:
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                return [], [
                    _("The file has more than %(count)s rows; import it in parts.") % {"count": MAX_ROWS}
                ]
            row = _row(
                number, dict(zip(header, cells, strict=False)), types, questions, len(cells) > len(header)
            )
            if isinstance(row, Row):
                rows.append(row)
            else:
                problems.append(row)
    except csv.Error as exc:
        problems.append(
            _("Row %(number)s: the file cannot be read as CSV (%(error)s).")
            % {"number": reader.line_num, "error": exc}
        )
    if not rows and not problems:
        problems.append(_("The file has no attendees."))
    return rows, problems


def _row(number: int, values: dict, types: dict, questions: dict, too_long: bool) -> Row | str:
    """The row, or the problem with it ("Row 3: …")."""
    where = _("Row %(number)s") % {"number": number}
    if too_long:
        return at(where, _("more cells than columns."))
    type_name = one_line(values.get(TICKET_TYPE, ""))
    ticket_type = types.get(type_name.lower())
    if ticket_type is None:
        return (
            at(where, _("there is no ticket type “%(name)s”.") % {"name": type_name})
            if type_name
            else at(where, _("the ticket type is empty."))
        )
    try:
        name, email = clean_attendee(values.get(NAME), values.get(EMAIL), where=where)
        asked = {question.pk for question in questions_for(list(questions.values()), ticket_type)}
        answers = {}
        for label, question in questions.items():
            value = values.get(label, "")
            if question.pk not in asked:
                if value.strip():
                    problem = _("“%(question)s” is not asked for “%(ticket_type)s” tickets.") % {
                        "question": question.label,
                        "ticket_type": ticket_type.name,
                    }
                    return at(where, problem)
                continue
            if value.strip() or (question.kind == QuestionKind.BOOLEAN and label in values):
                answers[question.pk] = clean_value(question, value, where=where, enforce_required=False)
    except ServiceError as exc:
        return exc.message
    return Row(number, ticket_type, name, email, one_line(values.get(COMPANY, ""))[:200], answers)
