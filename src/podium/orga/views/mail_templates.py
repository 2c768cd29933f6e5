"""The event's system mails (receipt, decisions, schedule change notice, tickets): the list, and one
mail's text to edit beside the placeholders it offers, with a preview and a reset to the default.
For the event's administrators, organisers and mail drafters (events.system_mails)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.forms import save_form
from podium.events import system_mails as services
from podium.mail import system
from podium.mail.models import SystemMailTemplate
from podium.orga.access import event_permission
from podium.orga.forms.mail_templates import SystemMailForm

# The same flags as events.system_mails.can_edit_system_mails.
can_edit_system_mails = event_permission(*services.EDIT_FLAGS)


def _mail(key: str) -> system.SystemMail:
    try:
        return system.system_mail(key)
    except LookupError:
        raise Http404("No such system mail.") from None


def _own(event, key: str) -> SystemMailTemplate | None:
    return event.system_mail_templates.select_related("updated_by").filter(key=key).first()


def _stored_form(event, mail: system.SystemMail) -> SystemMailForm:
    """The form with the text the event sends now: its own, else the default (version 0)."""
    own = _own(event, mail.key)
    if own is None:
        return SystemMailForm.for_text(mail, subject=mail.subject, body=mail.body, version=0)
    return SystemMailForm.for_text(mail, subject=own.subject, body=own.body, version=own.version)


@can_edit_system_mails
def system_mails(request, event):
    """Every system mail of the event: when it is sent, and whether it has the event's own text."""
    event = request.event
    own = {row.key: row for row in event.system_mail_templates.select_related("updated_by")}
    rows = [{"mail": mail, "own": own.get(key)} for key, mail in system.SYSTEM_MAILS.items()]
    return render(request, "orga/mail/system_list.html", {"event": event, "rows": rows})


@can_edit_system_mails
def system_mail(request, event, key):
    """One mail's subject and text, the placeholders it offers beside them, and a preview filled with
    their examples. "Preview" shows the text as typed without saving it; "Save" saves it, or shows
    the text as it is now when someone changed it meanwhile."""
    event = request.event
    mail = _mail(key)
    preview = None
    if request.method == "POST" and "preview" in request.POST:
        form = SystemMailForm(request.POST, mail=mail)
        if form.is_valid():
            data = form.cleaned_data
            preview = system.preview(key, event=event, subject=data["subject"], body=data["body"])
    elif request.method == "POST":
        form, saved = save_form(
            SystemMailForm(request.POST, mail=mail),
            lambda form: services.save_system_mail(
                event=event,
                key=key,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                by=request.user,
                version=form.cleaned_data["version"],
            ),
            reload=lambda: _stored_form(event, mail),
        )
        if saved:
            messages.success(
                request,
                _("The text of “%(mail)s” was saved; mails from now on use it.") % {"mail": mail.label},
            )
            return redirect("orga:system_mail", event=event.slug, key=key)
    else:
        form = _stored_form(event, mail)
    if preview is None and not form.is_bound:
        preview = system.preview(key, event=event, subject=form.initial["subject"], body=form.initial["body"])
    return render(
        request,
        "orga/mail/system_edit.html",
        {"event": event, "mail": mail, "form": form, "own": _own(event, key), "preview": preview},
    )


@can_edit_system_mails
@require_POST
def system_mail_reset(request, event, key):
    """Drop the event's own text of one mail: it is sent in its default words again."""
    mail = _mail(key)
    if services.reset_system_mail(event=request.event, key=key, by=request.user):
        messages.success(request, _("“%(mail)s” is sent with the default text again.") % {"mail": mail.label})
    else:
        messages.info(request, _("“%(mail)s” already had the default text.") % {"mail": mail.label})
    return redirect("orga:system_mail", event=request.event.slug, key=key)
