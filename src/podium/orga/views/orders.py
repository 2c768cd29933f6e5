"""The organisers' orders: a sortable, searchable list, one order with its tickets and answers and
the actions on it (mark paid, cancel, refund; each confirmed, a stale one refused), tickets issued
by hand and an attendee list imported from a spreadsheet.

Orders are loaded through `request.event`, so another event's order code is a 404.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.orga.access import event_permission
from podium.orga.forms.registration import ImportForm, IssueForm, OrderSearchForm
from podium.orga.sorting import Column, Sort
from podium.registration import issuing, services
from podium.registration.attendee_csv import MAX_BYTES
from podium.registration.enums import OrderState
from podium.registration.models import Answer
from podium.registration.queries import settings_for

can_edit_event = event_permission("can_edit_event")
ORDERS_PER_PAGE = 100
ORDER_COLUMNS = (
    Column("code", gettext_lazy("Code"), "code"),
    Column("buyer", gettext_lazy("Buyer"), "email"),
    Column("state", gettext_lazy("State"), "state"),
    Column("total", gettext_lazy("Total"), "total"),
    Column("tickets", gettext_lazy("Tickets"), "ticket_count"),
    Column("created", gettext_lazy("Created"), "created_at"),
)


@can_edit_event
def orders(request, event):
    """Every order of the event: filter by state, search code, buyer and attendees, sort by column."""
    event = request.event
    form = OrderSearchForm(request.GET or None)
    rows = event.orders.select_related("buyer").annotate(ticket_count=Count("tickets", distinct=True))
    if form.is_valid():
        if form.cleaned_data["state"]:
            rows = rows.filter(state=form.cleaned_data["state"])
        query = form.cleaned_data["q"].strip()
        if query:
            matching = event.orders.filter(
                Q(code__iexact=query)
                | Q(email__icontains=query)
                | Q(buyer__name__icontains=query)
                | Q(tickets__attendee_name__icontains=query)
                | Q(tickets__attendee_email__icontains=query)
            )
            rows = rows.filter(pk__in=matching.values("pk"))
    sort = Sort.from_request(request, ORDER_COLUMNS, "-created")
    page = Paginator(sort.order_by(rows, then=("-pk",)), ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    counts = dict(event.orders.order_by().values("state").annotate(n=Count("pk")).values_list("state", "n"))
    return render(
        request,
        "orga/registration/orders.html",
        {
            "event": event,
            "form": form,
            "page": page,
            "headers": sort.headers(request),
            "settings": settings_for(event),
            "counts": [(state, label, counts.get(state, 0)) for state, label in OrderState.choices],
        },
    )


def _order(request, code: str):
    return get_object_or_404(
        request.event.orders.select_related("buyer", "voucher", "event"), code=code.upper()
    )


@can_edit_event
def order(request, event, code):
    """One order: buyer, state, tickets with their answers, and the actions its state allows."""
    found = _order(request, code)
    tickets = list(found.tickets.select_related("ticket_type").order_by("pk"))
    answers: dict = {}
    for answer in Answer.objects.filter(ticket__order=found).select_related("question"):
        answers.setdefault(answer.ticket_id, []).append(answer)
    for ticket in tickets:
        ticket.answer_list = answers.get(ticket.pk, [])
    return render(
        request,
        "orga/registration/order.html",
        {
            "event": request.event,
            "order": found,
            "tickets": tickets,
            "settings": settings_for(request.event),
            "actions": [action for action in ACTIONS.values() if found.state in action.states],
        },
    )


class Action:
    def __init__(self, key, verb, states, service, done, warning=""):
        self.key, self.verb, self.states, self.service, self.done, self.warning = (
            key,
            verb,
            states,
            service,
            done,
            warning,
        )


ACTIONS = {
    action.key: action
    for action in (
        Action(
            "mark_paid",
            gettext_lazy("Mark paid"),
            (OrderState.PENDING,),
            services.mark_paid,
            gettext_lazy("Order %(code)s was marked paid; the tickets were sent to the buyer."),
            gettext_lazy("Mark paid only when the money has arrived: the tickets are sent at once."),
        ),
        Action(
            "cancel",
            gettext_lazy("Cancel order"),
            (OrderState.PENDING, OrderState.PAID),
            services.cancel_order,
            gettext_lazy("Order %(code)s was cancelled; its seats are free for others."),
            gettext_lazy("Its tickets stop working and their seats go to the waiting list or become free."),
        ),
        Action(
            "refund",
            gettext_lazy("Refund order"),
            (OrderState.PAID,),
            services.refund_order,
            gettext_lazy("Order %(code)s was refunded; its seats are free for others."),
            gettext_lazy(
                "Return the money outside Podium; the tickets stop working and their seats become free."
            ),
        ),
    )
}


@can_edit_event
def order_action(request, event, code, action: str):
    """GET: what the action does, with a button (the confirm step). POST: do it, unless the order
    changed since the page was shown (its version)."""
    found = _order(request, code)
    action = ACTIONS[action]
    if request.method == "POST":
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            messages.error(request, _("This page is out of date. Reload it and try again."))
            return redirect("orga:order", event=request.event.slug, code=found.code)
        try:
            action.service(order=found, by=request.user, version=version)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, action.done % {"code": found.code})
        return redirect("orga:order", event=request.event.slug, code=found.code)
    return render(
        request,
        "orga/registration/order_action.html",
        {
            "event": request.event,
            "order": found,
            "action": action,
            "allowed": found.state in action.states,
            "settings": settings_for(request.event),
        },
    )


@can_edit_event
def issue(request, event):
    """Give tickets of one type to a list of people: one paid order each, price 0."""
    event = request.event
    form = IssueForm(request.POST or None, event=event)
    if request.method == "POST":
        form, issued = save_form(
            form,
            lambda form: issuing.issue_tickets(
                event=event,
                ticket_type=form.cleaned_data["ticket_type"],
                people=form.cleaned_data["people"],
                by=request.user,
                send_mail=form.cleaned_data["send_mail"],
            ),
            fields={
                "attendee_name": "people",
                "attendee_email": "people",
                "answers": "people",
                "items": "people",
            },
        )
        if issued:
            messages.success(
                request,
                ngettext("%(n)s ticket was issued.", "%(n)s tickets were issued.", len(issued))
                % {"n": len(issued)},
            )
            return redirect("orga:orders", event=event.slug)
    return render(request, "orga/registration/issue.html", {"event": event, "form": form})


@can_edit_event
def import_attendees(request, event):
    """Upload an attendee list (CSV): every row is checked; nothing is imported when one is wrong."""
    event = request.event
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = issuing.import_attendees_csv(
                event=event,
                data=form.cleaned_data["file"].read(MAX_BYTES + 1),
                by=request.user,
                send_mail=form.cleaned_data["send_mail"],
            )
        except issuing.ImportRefused as exc:
            problems = exc.problems
            form.add_error(
                None,
                ngettext(
                    "The file has %(n)s problem; nothing was imported.",
                    "The file has %(n)s problems; nothing was imported.",
                    len(problems),
                )
                % {"n": len(problems)},
            )
        except ServiceError as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(
                request,
                ngettext("%(n)s attendee was imported.", "%(n)s attendees were imported.", len(imported))
                % {"n": len(imported)},
            )
            return redirect("orga:orders", event=event.slug)
    columns = [
        "name",
        "email",
        "ticket type",
        "company",
        *event.registration_questions.values_list("label", flat=True),
    ]
    return render(
        request,
        "orga/registration/import.html",
        {"event": event, "form": form, "problems": problems, "columns": columns},
        status=400 if problems else 200,
    )
