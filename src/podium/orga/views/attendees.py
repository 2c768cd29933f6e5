"""The attendees: every ticket of a paid order with its answers, searchable, and as a spreadsheet
with one column per question. For the team members who see attendees (registration.rules:
`can_check_in` or `can_edit_event`). Cells a spreadsheet would run as a formula are defused as in
the project's other CSV exports."""

import csv
import io

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from podium.interop.exporters.csv import safe_cell
from podium.orga.access import event_permission
from podium.orga.forms.registration import AttendeeSearchForm
from podium.registration.enums import OrderState
from podium.registration.models import Answer, Ticket

# The same flags as registration.rules.can_see_attendees.
can_see_attendees = event_permission("can_check_in", "can_edit_event")
ATTENDEES_PER_PAGE = 200
COLUMNS = ("order", "ticket type", "name", "email", "company")


def _attendees(event, query: str = ""):
    """The tickets of the event's paid orders, with type, order and answers, in order of purchase."""
    tickets = (
        Ticket.objects.filter(order__event=event, order__state=OrderState.PAID)
        .select_related("ticket_type", "order")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by("question_id")))
        .order_by("order__paid_at", "order_id", "pk")
    )
    query = query.strip()
    if query:
        tickets = tickets.filter(
            Q(attendee_name__icontains=query)
            | Q(attendee_company__icontains=query)
            | Q(attendee_email__icontains=query)
            | Q(order__code__iexact=query)
        )
    return tickets


def _with_answers(tickets, questions) -> list:
    """Each ticket with `answer_values`: its answer to each question, in the questions' order."""
    rows = list(tickets)
    for ticket in rows:
        given = {answer.question_id: answer.value for answer in ticket.answers.all()}
        ticket.answer_values = [given.get(question.pk, "") for question in questions]
    return rows


@can_see_attendees
def attendees(request, event):
    event = request.event
    form = AttendeeSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    questions = list(event.registration_questions.all())
    page = Paginator(_attendees(event, query), ATTENDEES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orga/registration/attendees.html",
        {
            "event": event,
            "form": form,
            "questions": questions,
            "page": page,
            "tickets": _with_answers(page.object_list, questions),
        },
    )


@can_see_attendees
def attendees_csv(request, event):
    """Every attendee of a paid order: order, type, name, e-mail, company, one column per question."""
    event = request.event
    questions = list(event.registration_questions.all())
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(name) for name in (*COLUMNS, *(question.label for question in questions))])
    for ticket in _with_answers(_attendees(event), questions):
        row = [
            ticket.order.code,
            ticket.ticket_type.name,
            ticket.attendee_name,
            ticket.attendee_email,
            ticket.attendee_company,
            *ticket.answer_values,
        ]
        writer.writerow([safe_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-attendees.csv"'
    add_never_cache_headers(response)
    return response
