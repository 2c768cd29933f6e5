"""The team's proposal list and detail; an organiser's edit, decision and state change of one proposal."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from podium.attendance import rules as attendance_rules
from podium.attendance.queries import feedback_summary
from podium.base.bidi import isolated
from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.orga.access import event_permission
from podium.orga.forms.program_extras import BulkTagForm, TaggedProposalFilterForm
from podium.orga.forms.review import ProposalEditForm, ProposalFilterForm
from podium.orga.sorting import Column, Sort
from podium.orga.views.seats import seat_panel
from podium.proposals import queries, services, states, tagging
from podium.proposals.enums import Actor, ProposalState
from podium.proposals.models import Proposal
from podium.reviews import rules as review_rules
from podium.reviews import services as review_services

# Everyone whose team may see the event's proposals (see proposals.rules.team_visible_proposals).
PROPOSAL_VIEWERS = ("is_admin", "can_edit_event", "can_review", "can_schedule", "can_send_mail")

PROPOSAL_COLUMNS = [
    Column("code", gettext_lazy("Code"), "code"),
    Column("title", gettext_lazy("Title"), "title"),
    Column("track", gettext_lazy("Track"), "track__name"),
    Column("type", gettext_lazy("Session type"), "session_type__name"),
    Column("state", gettext_lazy("State"), "state"),
    Column("submitted", gettext_lazy("Submitted"), "created"),
]


def filtered(request, proposals, *, form_class=ProposalFilterForm, **options):
    """(filter form, filtered proposals) of a list page; `proposals` come from `queries.for_viewer`, and
    speakers' names are searched only where the viewer sees them. `options` go to the form."""
    form = form_class(
        request.GET,
        event=request.event,
        search_label=_("Title or code") if proposals.anonymised else _("Title, code or speaker"),
        **options,
    )
    return form, form.apply(proposals, search_speakers=not proposals.anonymised)


@event_permission(*PROPOSAL_VIEWERS)
def proposals(request, event):
    """The list with its filters (tags among them); organisers who manage proposals tick proposals to
    tag or untag them at once."""
    event = request.event
    form, visible = filtered(
        request, queries.for_viewer(request.user, event), form_class=TaggedProposalFilterForm
    )
    sort = Sort.from_request(request, PROPOSAL_COLUMNS, "-submitted")
    rows = list(sort.order_by(visible, then=["code"]).prefetch_related("tags"))
    # The states' labels translated once (a model's get_state_display translates them all each call).
    labels = {state: str(label) for state, label in ProposalState.choices}
    for row in rows:
        row.state_label = labels.get(row.state, row.state)
    manage_tags = request.permissions.can_edit_event
    return render(
        request,
        "orga/proposals/list.html",
        {
            "event": event,
            "form": form,
            "proposals": rows,
            "headers": sort.headers(request),
            "anonymised": visible.anonymised,
            "pending_count": sum(1 for p in rows if p.pending_state),
            "manage_tags": manage_tags,
            "tags": list(event.tags.all()) if manage_tags else [],
        },
    )


@event_permission("can_edit_event")
@require_POST
def proposals_tag(request, event):
    """Put a tag on the ticked proposals, or take it off; back to the list with its filters."""
    event = request.event
    visible = queries.for_viewer(request.user, event)
    form = BulkTagForm(request.POST, event=event, proposals=visible)
    back = request.POST.get("back", "")
    target = reverse("orga:proposals", kwargs={"event": event.slug})
    if back.startswith("?"):
        target += back
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(target)
    add = form.cleaned_data["action"] == "add"
    chosen = list(visible.filter(code__in=form.cleaned_data["codes"]))
    try:
        changed = tagging.tag_proposals(
            event=event, by=request.user, proposals=chosen, tags=[form.cleaned_data["tag"]], add=add
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        tag = isolated(form.cleaned_data["tag"].name)
        count = len(chosen)
        values = {"count": count, "tag": tag, "changed": changed}
        if add:
            text = ngettext(
                "Tagged %(count)s proposal “%(tag)s” (%(changed)s newly).",
                "Tagged %(count)s proposals “%(tag)s” (%(changed)s newly).",
                count,
            )
        else:
            text = ngettext(
                "Removed “%(tag)s” from %(count)s proposal (%(changed)s had it).",
                "Removed “%(tag)s” from %(count)s proposals (%(changed)s had it).",
                count,
            )
        messages.success(request, text % values)
    return redirect(target)


def history_rows(proposal) -> list[dict]:
    """The audit trail of a proposal from `queries.for_viewer`, for display (redacted as its viewer
    may see it, see `queries.history_for_viewer`)."""
    return [
        {"timestamp": entry.timestamp, "who": entry.who, "what": _describe(entry)}
        for entry in queries.history_for_viewer(proposal)
    ]


def _state_label(value) -> str:
    return ProposalState(value).label if value in ProposalState.values else str(value)


def _describe(entry) -> str:
    data = entry.data
    match entry.action:
        case "proposal.submitted":
            return _("Submitted the proposal")
        case "proposal.edited":
            fields = ", ".join(data.get("fields") or []) or _("nothing")
            return _("Edited: %(fields)s") % {"fields": fields}
        case "proposal.state_changed":
            return _("State changed: %(old)s → %(new)s") % {
                "old": _state_label(data.get("from")),
                "new": _state_label(data.get("to")),
            }
        case "proposal.decision_pending":
            return _("Decided: %(decision)s (speakers are told when decisions are sent)") % {
                "decision": _state_label(data.get("decision"))
            }
        case "proposal.decision_retracted":
            return _("Took back the unsent decision: %(decision)s") % {
                "decision": _state_label(data.get("decision"))
            }
        case "proposal.cospeaker_invited":
            if "email" in data:
                return _("Invited a co-speaker: %(email)s") % {"email": data["email"]}
            return _("Invited a co-speaker")
        case "proposal.cospeaker_joined":
            return _("Joined as a co-speaker")
    return entry.action


def _detail_context(request, proposal) -> dict:
    event, user, perms = request.event, request.user, request.permissions
    own_review = proposal.reviews.filter(reviewer=user).first()
    show_reviews = review_rules.can_read_reviews_of(user, proposal)
    readable = review_rules.readable_reviews(user, event).filter(proposal=proposal)
    manage = perms.can_edit_event
    return {
        "event": event,
        "proposal": proposal,
        "reviews": list(readable.select_related("reviewer")) if show_reviews else [],
        "show_reviews": show_reviews,
        "own_review": own_review,
        "can_review": review_rules.can_review(user, proposal),
        "score_labels": event.score_label_map,
        "history": history_rows(proposal),
        "manage": manage,
        "decisions": [
            (d, ProposalState(d).label)
            for d in states.DECISIONS
            if d != proposal.pending_state and states.allowed(proposal.state, d, Actor.ORGANISER)
        ]
        if manage
        else [],
        "state_targets": [
            (s, ProposalState(s).label)
            for s in states.targets(proposal.state, Actor.ORGANISER)
            if s not in states.DECISIONS
        ]
        if manage
        else [],
        "language": event.language_map.get(proposal.language, proposal.language),
        "feedback": feedback_summary(proposal, with_authors=True)
        if attendance_rules.can_read_feedback_authors(user, event)
        else None,
        **seat_panel(request, proposal),
    }


def _load(request, code):
    return get_object_or_404(queries.for_viewer(request.user, request.event), code=code.upper())


@event_permission(*PROPOSAL_VIEWERS)
def proposal(request, event, code):
    proposal = _load(request, code)
    return render(request, "orga/proposals/detail.html", _detail_context(request, proposal))


@event_permission("can_edit_event")
def proposal_edit(request, event, code):
    """Edit as an organiser. A stale version shows the values saved in between next to the user's input."""
    event = request.event
    proposal = _load(request, code)
    conflict = None
    if request.method == "POST":

        def keep_input():
            """The user's input over the proposal as saved in between, whose values the page lists:
            saving again knowingly replaces them."""
            nonlocal proposal, conflict
            proposal = _load(request, code)
            conflict = _current_values(proposal, event)
            data = request.POST.copy()
            data["version"] = proposal.version
            return ProposalEditForm(data, instance=event.proposals.get(pk=proposal.pk), event=event)

        form, saved = save_form(
            # The form works on its own copy: validation writes the input into its instance.
            ProposalEditForm(request.POST, instance=event.proposals.get(pk=proposal.pk), event=event),
            lambda form: services.update_proposal(
                proposal=proposal,
                by=request.user,
                data=form.service_data(),
                version=form.cleaned_data["version"],
                as_organiser=True,
            ),
            reload=keep_input,
        )
        if saved:
            messages.success(request, _("The proposal was saved."))
            return redirect("orga:proposal", event=event.slug, code=proposal.code)
    else:
        form = ProposalEditForm(instance=proposal, event=event)
    return render(
        request,
        "orga/proposals/edit.html",
        {
            "event": event,
            "proposal": proposal,
            "form": form,
            "conflict": conflict,
        },
    )


def _current_values(proposal, event) -> list[tuple[str, str]]:
    labels = {name: Proposal._meta.get_field(name).verbose_name for name in services.PROPOSAL_FIELDS}
    display = {
        "track": str(proposal.track) if proposal.track else "—",
        "session_type": str(proposal.session_type),
        "audience_level": proposal.get_audience_level_display(),
        "language": event.language_map.get(proposal.language, proposal.language),
    }
    return [
        (str(labels[name]).capitalize(), display.get(name, getattr(proposal, name)))
        for name in services.PROPOSAL_FIELDS
    ]


@event_permission("can_edit_event")
@require_POST
def proposal_decide(request, event, code):
    """Accept, reject, or take back an unsent decision; speakers learn of it when decisions are sent."""
    proposal = _load(request, code)
    decision = request.POST.get("decision", "")
    try:
        if decision == "retract":
            review_services.retract_decision(proposal=proposal, by=request.user)
            messages.success(request, _("The unsent decision was taken back."))
        else:
            decided = review_services.decide(proposal=proposal, decision=decision, by=request.user)
            if decided.pending_state:
                messages.success(
                    request,
                    _(
                        "Decision recorded: %(decision)s. The speakers are told when you send the "
                        "decisions from the outbox."
                    )
                    % {"decision": _state_label(decided.pending_state)},
                )
            else:
                messages.success(request, _("The proposal keeps its state; no notification is pending."))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("orga:proposal", event=request.event.slug, code=proposal.code)


@event_permission("can_edit_event")
@require_POST
def proposal_state(request, event, code):
    """Move a proposal to another state directly (e.g. cancel, undo a decision)."""
    proposal = _load(request, code)
    to_state = request.POST.get("state", "")
    if to_state in states.DECISIONS:
        messages.error(
            request,
            _(
                "Accepting and rejecting are decisions: use the decision buttons, so that the "
                "speakers are notified."
            ),
        )
    elif to_state not in ProposalState.values:
        messages.error(request, _("Choose a state to move the proposal to."))
    else:
        try:
            services.set_state_as_organiser(proposal=proposal, to_state=to_state, by=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("The proposal is now %(state)s.") % {"state": _state_label(to_state).lower()}
            )
    return redirect("orga:proposal", event=request.event.slug, code=proposal.code)
