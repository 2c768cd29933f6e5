"""Setting up registration: its settings, ticket types, questions, vouchers, and the waiting list.

Every object is loaded through `request.event`, so a primary key of another event's object is a 404.
Ticket types, questions and vouchers share one new, edit and delete pattern with rooms, tracks and
session types on the set-up pages (objects.py).
"""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.base.forms import save_form
from podium.orga.access import event_permission
from podium.orga.forms.registration import QuestionForm, RegistrationSettingsForm, TicketTypeForm, VoucherForm
from podium.orga.views.objects import Kind, views
from podium.orga.views.questions import question_kind, question_list
from podium.registration import services, setup
from podium.registration.enums import ACTIVE_WAITING, HOLDING, WaitingState
from podium.registration.models import WaitingListEntry
from podium.registration.queries import settings_for

can_edit_event = event_permission("can_edit_event")


@can_edit_event
def registration_settings(request, event):
    """The event's registration settings; a stale version shows the stored ones with the conflict."""
    event = request.event
    current = settings_for(event)

    def stored_form():
        return RegistrationSettingsForm(
            initial=RegistrationSettingsForm.initial_for(settings_for(event)), event=event
        )

    if request.method == "POST":
        form, saved = save_form(
            RegistrationSettingsForm(request.POST, event=event),
            lambda form: services.save_registration_settings(
                event=event, by=request.user, values=form.service_data(), version=form.cleaned_data["version"]
            ),
            reload=stored_form,
        )
        if saved:
            messages.success(request, _("The registration settings were saved."))
            return redirect("orga:registration_settings", event=event.slug)
    else:
        form = stored_form()
    return render(
        request,
        "orga/registration/settings.html",
        {"event": event, "form": form, "settings": current, "saved_before": current.pk is not None},
    )


# --- Ticket types, questions, vouchers: one pattern, three kinds (objects.py) -----------------------


TICKET_TYPE = Kind(
    key="ticket_type",
    noun=gettext_lazy("ticket type"),
    list_name="ticket_types",
    form=TicketTypeForm,
    objects=lambda event: event.ticket_types.all(),
    label=lambda obj: obj.name,
    save=lambda *, event, by, form, obj, version: setup.save_ticket_type(
        event=event, by=by, data=form.service_data(), ticket_type=obj, version=version
    ),
    delete=lambda obj, by: setup.delete_ticket_type(ticket_type=obj, by=by),
)
QUESTION = question_kind(
    key="question",
    list_name="questions",
    form=QuestionForm,
    objects=lambda event: event.registration_questions.all(),
    services=setup,
)
VOUCHER = Kind(
    key="voucher",
    noun=gettext_lazy("voucher"),
    list_name="vouchers",
    form=VoucherForm,
    objects=lambda event: event.vouchers.all(),
    label=lambda obj: obj.code,
    save=lambda *, event, by, form, obj, version: setup.save_voucher(
        event=event, by=by, data=form.service_data(), voucher=obj, version=version
    ),
    delete=lambda obj, by: setup.delete_voucher(voucher=obj, by=by),
)
# Create, edit and delete a ticket type, question or voucher (`kind` comes from the URL pattern).
object_new, object_edit, object_delete = views((TICKET_TYPE, QUESTION, VOUCHER), can_edit_event)


@can_edit_event
def ticket_types(request, event):
    types = request.event.ticket_types.annotate(
        sold=Count("tickets", filter=Q(tickets__order__state__in=HOLDING)),
        waiting=Count("waiting_list", filter=Q(waiting_list__state__in=ACTIVE_WAITING)),
    )
    return render(
        request,
        "orga/registration/ticket_types.html",
        {"event": request.event, "ticket_types": types, "settings": settings_for(request.event)},
    )


@can_edit_event
def questions(request, event):
    questions = request.event.registration_questions.prefetch_related("ticket_types")
    return question_list(request, questions, "orga/registration/questions.html")


@can_edit_event
def vouchers(request, event):
    vouchers = request.event.vouchers.select_related("ticket_type")
    return render(
        request,
        "orga/registration/vouchers.html",
        {"event": request.event, "vouchers": vouchers, "settings": settings_for(request.event)},
    )


@can_edit_event
def waiting_list(request, event):
    """Per ticket type: who waits (in turn) and the offers out with their expiry."""
    entries = (
        WaitingListEntry.objects.filter(event=request.event, state__in=ACTIVE_WAITING)
        .select_related("ticket_type")
        .order_by("ticket_type__position", "ticket_type__name", "ticket_type_id", "created_at", "pk")
    )
    groups: dict = {}
    for entry in entries:
        groups.setdefault(entry.ticket_type, []).append(entry)
    return render(
        request,
        "orga/registration/waiting_list.html",
        {
            "event": request.event,
            "groups": [
                {
                    "type": ticket_type,
                    "entries": rows,
                    "offered": sum(1 for row in rows if row.state == WaitingState.OFFERED),
                }
                for ticket_type, rows in groups.items()
            ],
        },
    )
