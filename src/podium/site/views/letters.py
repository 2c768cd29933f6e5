"""Invitation letters for visas on the public site.

- `/<event>/letter/`: a ticket holder or confirmed speaker asks for a letter, changes the request
  while it waits, sees its state (waiting, approved, declined with the reason), and downloads the
  approved letter (`letter.pdf`). Anyone else is told who may ask.
- `/<event>/letters/verify/` and `/<event>/letters/verify/<code>/`: anyone checks a letter's code and
  learns only the name as in the passport, the event and whether the letter is valid.

Who may ask and who may download is decided by letters.rules and the services; these views ask and show.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from podium.base.forms import save_form
from podium.base.permissions import login_required, public
from podium.events.visibility import INSIDERS, event_or_404
from podium.letters import pdf, rules, services
from podium.letters.models import LetterRequest, LetterState
from podium.schedule.queries import latest_release
from podium.site.letter_forms import LetterRequestForm, VerifyForm

EDITABLE = (
    "passport_name",
    "nationality",
    "passport_number",
    "date_of_birth",
    "arrival",
    "departure",
    "address",
    "note",
)


def _page(request, template: str, event, context: dict, status: int = 200):
    response = render(
        request,
        f"site/letters/{template}",
        {"event": event, "release": latest_release(event), **context},
        status=status,
    )
    add_never_cache_headers(response)
    return response


def _url(event) -> str:
    return reverse("site:letter", kwargs={"event": event.slug})


def _initial(letter: LetterRequest | None, user) -> dict:
    if letter is None:
        return {"passport_name": user.name}
    return {**{name: getattr(letter, name) for name in EDITABLE}, "version": letter.version}


@login_required
def letter(request, event):
    """GET: the visitor's requests and the form (new, or the waiting one to change). POST: save it."""
    event = event_or_404(event, request.user, admit=INSIDERS)
    mine = list(LetterRequest.objects.filter(event=event, user=request.user).order_by("-created_at", "-pk"))
    waiting = next((row for row in mine if row.state == LetterState.WAITING), None)
    approved = next((row for row in mine if row.state == LetterState.APPROVED), None)
    role = rules.role_of(request.user, event)
    may_ask = role is not None and approved is None
    form = None
    if may_ask:
        form = LetterRequestForm(request.POST or None, initial=_initial(waiting, request.user))
        if request.method == "POST":
            form, saved = save_form(
                form,
                lambda form: services.save_request(
                    event=event,
                    by=request.user,
                    data=form.data_for_service(),
                    version=form.cleaned_data.get("version"),
                ),
                # A stale edit shows the request as stored now (a new one, if it was decided meanwhile).
                reload=lambda: LetterRequestForm(
                    initial=_initial(services.waiting_request(event, request.user), request.user)
                ),
            )
            if saved:
                messages.success(
                    request, _("Your request is saved. We will write to you when it is decided.")
                )
                return redirect(_url(event))
    elif request.method == "POST":
        messages.error(request, rules.REFUSED if role is None else _("Your letter is approved already."))
        return redirect(_url(event))
    return _page(
        request,
        "letter.html",
        event,
        {
            "requests": mine,
            "waiting": waiting,
            "approved": approved,
            "form": form,
            "refused": rules.REFUSED if role is None else "",
            "role": role,
            "retention_days": settings.PODIUM_LETTER_RETENTION_DAYS,
        },
    )


@login_required
def letter_pdf(request, event):
    """The visitor's approved letter as a PDF; 404 while there is none."""
    event = event_or_404(event, request.user, admit=INSIDERS)
    letter = (
        LetterRequest.objects.select_related("event__organiser")
        .filter(event=event, user=request.user, state=LetterState.APPROVED)
        .first()
    )
    if letter is None or not rules.may_download(request.user, letter):
        raise Http404("There is no approved letter for you.")
    response = HttpResponse(pdf.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename(letter)}"'
    add_never_cache_headers(response)
    return response


@public
def verify(request, event):
    """The form that takes a letter's code; a code given goes to its page."""
    event = event_or_404(event)
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = form.cleaned_data["code"].strip()
        return redirect("site:letter_verified", event=event.slug, verification=code)
    return _page(request, "verify.html", event, {"form": form})


@public
def verified(request, event, verification):
    """What a letter's code proves: the name as in the passport, the event, valid or not. Nothing else."""
    event = event_or_404(event)
    found = (
        LetterRequest.objects.filter(event=event, verification_code=verification)
        .only("passport_name", "state", "event_id")
        .first()
    )
    context = {
        "form": VerifyForm(),
        "found": found is not None,
        "name": found.passport_name if found else "",
        "valid": bool(found and found.is_valid),
    }
    response = _page(request, "verified.html", event, context, status=200 if found else 404)
    response["X-Robots-Tag"] = "noindex"
    return response
