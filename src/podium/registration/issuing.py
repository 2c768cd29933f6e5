"""Tickets the organisers give out by hand: to a list of people, or from an attendee list (CSV).

Each person gets an order of their own (so each can be cancelled alone), paid, price 0, linked to the
account with their address when there is one. The sale window and the type's visibility do not
apply (that is the point of issuing by hand), the quota does: all seats are taken together or none.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.base import audit
from podium.base.errors import ServiceError
from podium.registration import orders, rules, seats
from podium.registration.answers import clean_answers, clean_attendee, event_questions, one_line
from podium.registration.attendee_csv import read
from podium.registration.enums import OrderOrigin
from podium.registration.models import Order, TicketType


class ImportRefused(ServiceError):
    """An attendee list with problems; `problems` names each by its row. Nothing was imported."""

    def __init__(self, problems: list[str]):
        count = len(problems)
        summary = ngettext(
            "The file has %(count)s problem; nothing was imported.",
            "The file has %(count)s problems; nothing was imported.",
            count,
        ) % {"count": count}
        super().__init__(" ".join([summary, *problems[:20]]))
        self.problems = problems


def _account(email: str):
    from podium.accounts.models import User

    return User.objects.filter(email__iexact=email).first()


@seats.retry_when_busy
@transaction.atomic
def _issue(*, event, lines: list[orders.Line], by, send_mail: bool, imported: bool = False) -> list[Order]:
    orders.reserve(lines)
    issued = [
        orders.write(
            event=event,
            buyer=_account(line.email),
            email=line.email,
            lines=[line],
            origin=OrderOrigin.ISSUED,
            by=by,
            send_mail=send_mail,
        )
        for line in lines
    ]
    if imported:
        audit.record(action="order.imported", actor=by, target=event, event_id=event.pk, orders=len(issued))
    return issued


def _person(item) -> dict:
    """A person given as a dict (name, email, company, answers) or a (name, email) pair."""
    if isinstance(item, dict):
        return item
    name, email, *rest = item
    return {"name": name, "email": email, "answers": rest[0] if rest else {}}


def issue_tickets(*, event, ticket_type: TicketType, people, by, send_mail: bool = True) -> list[Order]:
    """An organiser (`can_edit_event`) gives tickets of `ticket_type` to `people` (dicts with name,
    email, optional company and answers, or (name, email) pairs): one paid order each, price 0.
    Refused when any person is wrong (nothing issued) or fewer seats are left than people.

    Side effects per order: audit entry, `order.placed` and `order.paid` webhook deliveries, and,
    with `send_mail`, the ticket by mail to the person.
    """
    rules.check_can_manage_orders(by, event)
    if ticket_type.event_id != event.pk:
        raise ServiceError(_("Choose a ticket type of this event."), field="ticket_type")
    people = [_person(item) for item in people]
    if not people:
        raise ServiceError(_("Name at least one person."), field="people")
    questions = event_questions(event)
    lines = []
    for number, person in enumerate(people, start=1):
        where = _("Person %(number)s") % {"number": number} if len(people) > 1 else ""
        name, email = clean_attendee(person.get("name"), person.get("email"), where=where)
        answers = clean_answers(
            questions, ticket_type, person.get("answers") or {}, where=where, enforce_required=False
        )
        company = one_line(person.get("company"))[:200]
        lines.append(
            orders.Line(ticket_type, name, email, price=Decimal(0), company=company, answers=answers)
        )
    return _issue(event=event, lines=lines, by=by, send_mail=send_mail)


def import_attendees_csv(*, event, data: bytes | str, by, send_mail: bool = True) -> list[Order]:
    """An organiser (`can_edit_event`) imports an attendee list (attendee_csv.py describes the columns):
    every row is checked first, and nothing is imported when any row is wrong (`ImportRefused` names
    each problem by its row) or a ticket type has fewer seats left than rows. Each row becomes a paid
    order of its own, price 0, like `issue_tickets`.

    Side effects per row: as `issue_tickets`; one audit entry for the import.
    """
    rules.check_can_manage_orders(by, event)
    rows, problems = read(event, data)
    if problems:
        raise ImportRefused(problems)
    lines = [
        orders.Line(
            row.ticket_type, row.name, row.email, price=Decimal(0), company=row.company, answers=row.answers
        )
        for row in rows
    ]
    try:
        return _issue(event=event, lines=lines, by=by, send_mail=send_mail, imported=True)
    except seats.SoldOut as exc:
        raise ImportRefused([exc.message]) from exc
