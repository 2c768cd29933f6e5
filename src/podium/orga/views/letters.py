"""Visa letter requests of an event: the list, one request with its passport data and the decision
(approve, decline with a reason, withdraw an approved letter), and the approved letter as a PDF.
For team members with `can_issue_letters` and the organiser's administrators (letters.rules)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy

from podium.base.forms import save_form
from podium.letters import pdf, services
from podium.letters.models import LetterRequest, LetterState
from podium.orga.access import event_permission
from podium.orga.forms.letters import DecisionForm, LetterFilterForm

# The same flags as letters.rules.can_issue_letters.
can_issue_letters = event_permission("can_issue_letters", "is_admin")

SERVICES = {
    "approve": lambda letter, by, form: services.approve_request(
        letter=letter, by=by, version=form.cleaned_data["version"]
    ),
    "decline": lambda letter, by, form: services.decline_request(
        letter=letter, by=by, version=form.cleaned_data["version"], reason=form.cleaned_data["reason"]
    ),
    "withdraw": lambda letter, by, form: services.withdraw_letter(
        letter=letter, by=by, version=form.cleaned_data["version"]
    ),
}
DONE = {
    "approve": gettext_lazy("Approved; the requester was sent the letter."),
    "decline": gettext_lazy("Declined; the requester was told why."),
    "withdraw": gettext_lazy("The letter was withdrawn."),
}


def _letter(request, pk) -> LetterRequest:
    return get_object_or_404(request.event.letter_requests.select_related("user", "decided_by"), pk=pk)


def _private(response):
    add_never_cache_headers(response)
    return response


@can_issue_letters
def letters(request, event):
    """Every request of the event, waiting ones first, optionally of one state."""
    form = LetterFilterForm(request.GET or None)
    state = form.cleaned_data["state"] if form.is_valid() else ""
    rows = request.event.letter_requests.select_related("user").order_by("state", "created_at", "pk")
    if state:
        rows = rows.filter(state=state)
    rows = sorted(rows, key=lambda row: (row.state != LetterState.WAITING, row.created_at, row.pk))
    return _private(
        render(
            request,
            "orga/letters/list.html",
            {
                "event": request.event,
                "form": form,
                "rows": rows,
                "retention_days": settings.PODIUM_LETTER_RETENTION_DAYS,
            },
        )
    )


@can_issue_letters
def letter(request, event, letter):
    """One request: what was asked, its state, and the decisions its state allows (POST)."""
    found = _letter(request, letter)
    form = DecisionForm(request.POST or None, initial={"version": found.version})
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        form, saved = save_form(
            form, lambda form: SERVICES[form.cleaned_data["decision"]](found, request.user, form)
        )
        if saved:
            messages.success(request, DONE[decision])
            return redirect("orga:letter", event=request.event.slug, letter=found.pk)
        found.refresh_from_db()
    return _private(
        render(
            request,
            "orga/letters/detail.html",
            {
                "event": request.event,
                "letter": found,
                "form": form,
                "version": found.version,
                "unprintable": pdf.unprintable_words(found),
            },
        )
    )


@can_issue_letters
def letter_pdf(request, event, letter):
    """The approved letter as its requester gets it."""
    found = _letter(request, letter)
    if not found.is_valid:
        raise Http404("This letter is not approved.")
    response = HttpResponse(pdf.letter_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(found)}"'
    return _private(response)
