"""Mail campaign pages: campaigns (draft, review with a preview for any recipient, approve, send,
cancel, the log of each recipient), templates with their placeholders and a preview, audiences with
who they match now, and one address's mail history (re-subscribe).

Every team member with a mail flag sees every campaign, template and audience of the event
(campaigns.rules.SEE_FLAGS); drafting, approving and sending are checked by the services.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.campaigns import audiences, queries, rules, services
from podium.campaigns.models import Campaign, CampaignState, Template
from podium.mail import placeholders
from podium.orga.access import event_permission
from podium.orga.forms.campaigns import ActionForm, AudienceForm, CampaignForm, PersonForm, TemplateForm

can_see = event_permission(*rules.SEE_FLAGS)
can_draft = event_permission(*rules.DRAFT_FLAGS)
can_send = event_permission(*rules.SEND_FLAGS)
RECIPIENTS_PER_PAGE = 100
SHOWN_MATCHES = 200

DONE = {
    "submit": gettext_lazy(
        "Submitted for review: the mails are held in the outbox until the campaign is approved and sent."
    ),
    "approve": gettext_lazy("Approved. Someone who sends mail can send it now."),
    "send": gettext_lazy("Sending started. The mails go out at the campaign's rate."),
    "cancel": gettext_lazy("The campaign was cancelled; its held mails were discarded."),
}


def _private(response):
    add_never_cache_headers(response)
    return response


def _page(request, template, context):
    return _private(render(request, f"orga/campaigns/{template}", {"event": request.event, **context}))


def _may(request) -> dict:
    user, event = request.user, request.event
    return {
        "may_draft": rules.can_draft(user, event),
        "may_approve": rules.can_approve(user, event),
        "may_send": rules.can_send(user, event),
    }


# --- campaigns ---------------------------------------------------------------------------------------


@can_see
def campaigns(request, event):
    """The event's campaigns with their state and counts."""
    return _page(
        request,
        "list.html",
        {"campaigns": list(queries.campaigns_with_counts(request.event)), **_may(request)},
    )


def _campaign_form(request, campaign=None):
    event = request.event
    if request.method == "POST":
        form = CampaignForm(request.POST, event=event)
    elif campaign is not None:
        form = CampaignForm(initial=CampaignForm.initial_for(campaign), event=event)
    else:
        form = CampaignForm(initial={"rate_per_minute": 100}, event=event)
    if campaign is None and "version" in form.fields:
        del form.fields["version"]
    return form


def _save_campaign(request, form, campaign=None):
    data = form.cleaned_data
    return services.save_campaign(
        event=request.event,
        by=request.user,
        name=data["name"],
        audience=data["audience"],
        template=data["template"],
        rate_per_minute=data["rate_per_minute"],
        campaign=campaign,
        version=data.get("version") if campaign is not None else None,
    )


@can_draft
def campaign_new(request, event):
    form = _campaign_form(request)
    if request.method == "POST":
        form, saved = save_form(form, lambda form: _save_campaign(request, form))
        if saved:
            messages.success(
                request, _("The campaign was saved as a draft. Preview it, then submit it for review.")
            )
            return redirect("orga:campaign", event=request.event.slug, pk=saved.pk)
    return _page(request, "campaign_form.html", {"form": form, "campaign": None})


@can_draft
def campaign_edit(request, event, pk):
    campaign = get_object_or_404(request.event.campaigns, pk=pk)
    if campaign.state != CampaignState.DRAFT:
        messages.info(request, _("Only a draft can be changed."))
        return redirect("orga:campaign", event=request.event.slug, pk=campaign.pk)
    form = _campaign_form(request, campaign)
    if request.method == "POST":
        form, saved = save_form(
            form,
            lambda form: _save_campaign(request, form, campaign),
            reload=lambda: CampaignForm(initial=CampaignForm.initial_for(campaign), event=request.event),
            refresh=campaign,
        )
        if saved:
            messages.success(request, _("The draft was saved."))
            return redirect("orga:campaign", event=request.event.slug, pk=campaign.pk)
    return _page(request, "campaign_form.html", {"form": form, "campaign": campaign})


def _preview_of(request, campaign):
    """The mail of one recipient: of a submitted campaign, the held mail itself (?to=address, default
    the first); of a draft, the template filled for a person the audience matches now."""
    to = (request.GET.get("to") or "").strip().lower()
    if campaign.state == CampaignState.DRAFT:
        people = audiences.recipients(campaign.audience)
        chosen = next((p for p in people if p.email.lower() == to), people[0] if people else None)
        if chosen is None:
            return None, [], len(people)
        subject, body, html = services.preview(
            event=request.event, template=campaign.template, recipient=chosen
        )
        options = [p.email.lower() for p in people[:SHOWN_MATCHES]]
        return {"to": chosen.email, "subject": subject, "body": body, "html": html}, options, len(people)
    rows = queries.recipients_of(campaign).filter(mail__isnull=False)
    row = rows.filter(address=to).first() if to else None
    row = row or rows.first()
    options = list(rows.values_list("address", flat=True)[:SHOWN_MATCHES])
    if row is None:
        return None, options, 0
    mail = row.mail
    return {"to": mail.to, "subject": mail.subject, "body": mail.body, "html": mail.html}, options, None


@can_see
def campaign(request, event, pk):
    """One campaign: its state and who moved it, its counts, the skipped, a preview for any
    recipient, and the actions its state and the user's flags allow."""
    try:
        found = queries.campaign_with_counts(request.event, pk)
    except Campaign.DoesNotExist:
        raise Http404("No such campaign.") from None
    preview, options, matching = _preview_of(request, found)
    problems = services.placeholder_problems(found) if found.state == CampaignState.DRAFT else []
    may = _may(request)
    return _page(
        request,
        "detail.html",
        {
            "campaign": found,
            "preview": preview,
            "options": options,
            "matching": matching,
            "problems": problems,
            "skipped": list(queries.skipped_of(found)[:SHOWN_MATCHES]),
            "self_approval_refused": rules.self_approval_refused(request.user, found),
            **may,
        },
    )


ACTIONS = {
    "submit": services.submit_campaign,
    "approve": services.approve_campaign,
    "send": services.send_campaign,
    "cancel": services.cancel_campaign,
}


@can_see
@require_POST
def campaign_action(request, event, pk):
    """Submit, approve, send or cancel (each service checks the user's flags and the state)."""
    found = get_object_or_404(request.event.campaigns, pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the campaign."))
        return redirect("orga:campaign", event=request.event.slug, pk=found.pk)
    action = form.cleaned_data["action"]
    try:
        ACTIONS[action](campaign=found, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, DONE[action])
    return redirect("orga:campaign", event=request.event.slug, pk=found.pk)


@can_see
def campaign_recipients(request, event, pk):
    """The log of a campaign: each person, the status of their mail and when it was sent."""
    found = get_object_or_404(
        request.event.campaigns.select_related("submitted_by", "approved_by", "sent_by"), pk=pk
    )
    page = Paginator(queries.recipients_of(found), RECIPIENTS_PER_PAGE).get_page(request.GET.get("page"))
    return _page(request, "recipients.html", {"campaign": found, "page": page})


# --- templates -------------------------------------------------------------------------------------------


@can_see
def templates(request, event):
    return _page(
        request,
        "templates.html",
        {"templates": list(request.event.campaign_templates.all()), **_may(request)},
    )


def _save_template(request, form, template=None):
    data = form.cleaned_data
    return services.save_template(
        event=request.event,
        by=request.user,
        name=data["name"],
        subject=data["subject"],
        body=data["body"],
        html_enabled=data["html_enabled"],
        template=template,
        version=data.get("version") if template is not None else None,
    )


@can_draft
def template_edit(request, event, pk=None):
    """Write a template: the placeholders are listed beside the editor; "Preview" fills them with
    examples without saving; unknown placeholders are refused when it is saved."""
    template = get_object_or_404(request.event.campaign_templates, pk=pk) if pk else None
    preview = None
    if request.method == "POST":
        form = TemplateForm(request.POST)
        if template is None:
            del form.fields["version"]
        if "preview" in request.POST:
            if form.is_valid():
                draft = Template(
                    event=request.event,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    html_enabled=form.cleaned_data["html_enabled"],
                )
                allowed = [p.name for p in audiences.all_placeholders()]
                problems = placeholders.problems(draft.subject + "\n" + draft.body, allowed)
                for problem in problems:
                    form.add_error("body", problem)
                if not problems:
                    subject, body, html = services.preview(event=request.event, template=draft)
                    preview = {"subject": subject, "body": body, "html": html}
        else:
            form, saved = save_form(
                form,
                lambda form: _save_template(request, form, template),
                reload=(lambda: TemplateForm(initial=TemplateForm.initial_for(template)))
                if template
                else None,
                refresh=template,
            )
            if saved:
                messages.success(request, _("The template was saved."))
                return redirect("orga:campaign_template", event=request.event.slug, pk=saved.pk)
    else:
        form = TemplateForm(initial=TemplateForm.initial_for(template)) if template else TemplateForm()
        if template is None:
            del form.fields["version"]
    kinds = [(kind.label, kind.placeholders) for kind in audiences.KINDS.values() if kind.placeholders]
    return _page(
        request,
        "template_form.html",
        {
            "form": form,
            "template": template,
            "preview": preview,
            "common": audiences.COMMON,
            "kinds": kinds,
        },
    )


# --- audiences ---------------------------------------------------------------------------------------------


@can_see
def audience_list(request, event):
    rows = [(a, audiences.describe(a)) for a in request.event.campaign_audiences.all()]
    return _page(request, "audiences.html", {"rows": rows, **_may(request)})


def _save_audience(request, form, audience=None):
    data = form.cleaned_data
    return services.save_audience(
        event=request.event,
        by=request.user,
        name=data["name"],
        kind=data["kind"],
        filters=form.filters(),
        audience=audience,
        version=data.get("version") if audience is not None else None,
    )


@can_draft
def audience_edit(request, event, pk=None):
    """Make or change an audience; the page shows how many people it matches now, and who. The kind is
    chosen first (?kind=), its filter fields follow."""
    event = request.event
    audience = get_object_or_404(event.campaign_audiences, pk=pk) if pk else None
    kind = request.POST.get("kind") or request.GET.get("kind") or (audience.kind if audience else "speakers")
    if audiences.kind_of(kind) is None:
        kind = "speakers"
    if request.method == "POST":
        form = AudienceForm(request.POST, event=event, kind=kind)
        if audience is None:
            del form.fields["version"]
        form, saved = save_form(
            form,
            lambda form: _save_audience(request, form, audience),
            reload=(
                lambda: AudienceForm(
                    initial=AudienceForm.initial_for(audience), event=event, kind=audience.kind
                )
            )
            if audience
            else None,
            refresh=audience,
        )
        if saved:
            messages.success(request, _("The audience was saved."))
            return redirect("orga:campaign_audience", event=event.slug, pk=saved.pk)
    elif audience is not None and kind == audience.kind:
        form = AudienceForm(initial=AudienceForm.initial_for(audience), event=event, kind=kind)
    else:
        initial = {"kind": kind, "name": audience.name if audience else ""}
        form = AudienceForm(initial=initial, event=event, kind=kind)
        if audience is None:
            del form.fields["version"]
        else:
            form.initial["version"] = audience.version
    people = audiences.recipients(audience) if audience is not None else []
    return _page(
        request,
        "audience_form.html",
        {
            "form": form,
            "audience": audience,
            "kind": audiences.kind_of(kind),
            "kinds": audiences.KINDS.values(),
            "count": len(people),
            "people": people[:SHOWN_MATCHES],
        },
    )


# --- people --------------------------------------------------------------------------------------------------


@can_see
def person(request, event):
    """Search an address: every mail of the organiser's events to it, its bounces and unsubscription."""
    form = PersonForm(request.GET or None)
    found = (
        queries.history(request.event.organiser, form.cleaned_data["address"]) if form.is_valid() else None
    )
    page = Paginator(found["mails"], RECIPIENTS_PER_PAGE).get_page(request.GET.get("page")) if found else None
    return _page(request, "person.html", {"form": form, "found": found, "page": page, **_may(request)})


@can_send
@require_POST
def resubscribe(request, event):
    form = PersonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give an address."))
        return redirect("orga:campaign_person", event=request.event.slug)
    address = form.cleaned_data["address"]
    try:
        removed = services.resubscribe(event=request.event, address=address, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if removed:
            messages.success(
                request, _("%(address)s gets the organiser's campaign mail again.") % {"address": address}
            )
        else:
            messages.info(request, _("%(address)s was not unsubscribed.") % {"address": address})
    response = redirect("orga:campaign_person", event=request.event.slug)
    response["Location"] += "?" + urlencode({"address": address})
    return response
