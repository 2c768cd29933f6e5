"""Conflicts of interest with a person (reviews.SpeakerConflict), on the reviewer's conflicts page and on
the organisers' assignment page: declared by e-mail address (or, for those who see the speakers, by
choosing one), withdrawn by a button.

A reviewer who may not see who the speakers are (anonymised review) only types an address; the answer
repeats that address and says the same whether or not anyone with it has an account or a proposal.
These helpers serve the views in review.py (which carry the permission decorators).
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from podium.base.bidi import isolated
from podium.base.errors import ServiceError
from podium.orga.forms.reviewing import PersonConflictForm
from podium.proposals import rules as proposal_rules
from podium.proposals.enums import ProposalState
from podium.proposals.models import ProposalSpeaker
from podium.reviews import services
from podium.reviews.models import SpeakerConflict

ACTIONS = ("declare_person", "withdraw_person")


def speaker_choices(user, event) -> list[tuple[str, str]]:
    """(address, "Name <address>") of the speakers of the proposals `user` sees, for those who see who
    the speakers are; nobody else gets a list (they type an address)."""
    if not proposal_rules.can_see_identity(user, event):
        return []
    visible = proposal_rules.team_visible_proposals(user, event).exclude(state=ProposalState.WITHDRAWN)
    people = (
        ProposalSpeaker.objects.filter(proposal__in=visible)
        .exclude(user=user)
        .values_list("user__name", "user__email")
        .distinct()
        .order_by("user__name", "user__email")
    )
    return [(email.lower(), f"{name} <{email}>" if name else email) for name, email in people]


def own_context(user, event, form=None) -> dict:
    """The reviewer's conflicts with people and the form to declare one."""
    return {
        "person_conflicts": SpeakerConflict.objects.filter(event=event, reviewer=user).order_by(
            "email", "pk"
        ),
        "person_form": form or PersonConflictForm(speakers=speaker_choices(user, event)),
    }


def organiser_context(event, reviewers, form=None) -> dict:
    """Every conflict with a person in the event, with the codes of the proposals it covers now."""
    conflicts = list(
        SpeakerConflict.objects.filter(event=event)
        .select_related("reviewer", "speaker")
        .order_by("email", "pk")
    )
    links = list(
        ProposalSpeaker.objects.filter(proposal__event=event)
        .exclude(proposal__state=ProposalState.WITHDRAWN)
        .values_list("proposal__code", "user_id", "user__email")
    )
    for conflict in conflicts:
        conflict.covers = sorted(
            {
                code
                for code, user_id, email in links
                if user_id == conflict.speaker_id or (conflict.email and email.lower() == conflict.email)
            }
        )
    return {
        "person_conflicts": conflicts,
        "person_form": form or PersonConflictForm(reviewers=reviewers, prefix="person"),
    }


def handle_own(request, event):
    """A reviewer declares or withdraws a conflict with a person for themselves."""
    user = request.user
    if request.POST.get("action") == "withdraw_person":
        _withdraw(request, SpeakerConflict.objects.filter(event=event, reviewer=user))
    else:
        form = PersonConflictForm(request.POST, speakers=speaker_choices(user, event))
        if form.is_valid():
            _declare(request, event, reviewer=user, address=form.address, own=True)
        else:
            messages.error(request, " ".join(form.errors.get("email", form.non_field_errors())))
    return redirect("orga:review_conflicts", event=event.slug)


def handle_organiser(request, event, reviewers):
    """Someone who manages the event's reviews declares or withdraws a reviewer's conflict with a person.
    Returns the response, or the invalid form to show again."""
    if request.POST.get("action") == "withdraw_person":
        _withdraw(request, SpeakerConflict.objects.filter(event=event))
        return redirect("orga:review_assignments", event=event.slug)
    form = PersonConflictForm(request.POST, reviewers=reviewers, prefix="person")
    if form.is_valid():
        reviewer = form.cleaned_data["reviewer"]
        if _declare(request, event, reviewer=reviewer, address=form.address, own=False, form=form):
            return redirect("orga:review_assignments", event=event.slug)
    return form


def _declare(request, event, *, reviewer, address: str, own: bool, form=None) -> bool:
    try:
        conflict = services.declare_speaker_conflict(
            event=event, reviewer=reviewer, by=request.user, email=address
        )
    except ServiceError as exc:
        if form is not None:
            form.add_error("email" if exc.field == "email" else None, exc.message)
        else:
            messages.error(request, exc.message)
        return False
    if own:
        text = _(
            "Conflict of interest with %(email)s recorded: you are not given, and do not review, any "
            "proposal this person speaks on in this event, now or later."
        )
    else:
        text = _(
            "Conflict of interest recorded: %(reviewer)s is not given, and does not review, any proposal "
            "%(email)s speaks on in this event, now or later."
        )
    messages.success(
        request, text % {"email": conflict.email, "reviewer": isolated(reviewer.name or reviewer.email)}
    )
    return True


def _withdraw(request, conflicts) -> None:
    raw = request.POST.get("conflict", "")
    conflict = (
        conflicts.filter(pk=int(raw)).select_related("event", "reviewer").first() if raw.isdigit() else None
    )
    if conflict is None:
        messages.info(request, _("There was no such conflict of interest (withdrawn already?)."))
        return
    services.withdraw_speaker_conflict(conflict=conflict, by=request.user)
    messages.success(
        request,
        _("Conflict of interest with %(email)s withdrawn.") % {"email": conflict.email or _("this person")},
    )
