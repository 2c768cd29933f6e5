"""Who may review which proposal, and whose reviews a user may read: for pages, API and services alike.

Also the event's review settings as the rules read them: the phase (reviews open, closed, decisions),
conflicts of interest (a reviewer never reviews a proposal they declared one with) and the
assignment-only mode (a reviewer sees only the proposals assigned to them).
"""

from django.db.models import Q
from django.db.models.functions import Lower

from podium.accounts.models import User
from podium.events.models import Team
from podium.events.rules import permissions_for
from podium.proposals.enums import ProposalState
from podium.proposals.models import ProposalSpeaker
from podium.proposals.rules import team_visible_proposals
from podium.reviews.models import (
    Assignment,
    Conflict,
    Review,
    ReviewPhase,
    ReviewSettings,
    SpeakerConflict,
)

OWN_PROPOSAL = "You cannot review your own proposal."
WITHDRAWN = "This proposal was withdrawn; it is no longer reviewed."
NOT_REVIEWABLE = "You may not review this proposal."
CONFLICTED = "You declared a conflict of interest with this proposal; you do not review it."
CONFLICTED_PERSON = "A conflict of interest declared for you covers this proposal; you do not review it."
REVIEWS_CLOSED = "Reviews are closed for this event: reviews can no longer be written or changed."
DECISIONS_PHASE = (
    "The event is in its decisions phase: reviews can no longer be written or changed, only read."
)
NO_DECISIONS_YET = (
    "Reviews are closed and decisions are not open yet: move the event to its decisions phase "
    "(review settings) to accept or reject proposals."
)
# Access through any of these flags shows every proposal, even in the assignment-only mode.
SEES_ALL = ("is_admin", "can_edit_event", "can_schedule", "can_send_mail")


def settings_for(event) -> ReviewSettings:
    """The event's review settings (unsaved defaults when it has none), read once per event object."""
    cached = getattr(event, "_podium_review_settings", None)
    if cached is None:
        cached = ReviewSettings.objects.filter(event=event).first() or ReviewSettings(event=event)
        event._podium_review_settings = cached
    return cached


def forget_settings(event) -> None:
    """Drop the settings read for this event object (after they changed)."""
    if hasattr(event, "_podium_review_settings"):
        del event._podium_review_settings


def phase_refusal(event) -> str | None:
    """Why no review may be written or changed now, or None while reviews are open."""
    phase = settings_for(event).phase
    if phase == ReviewPhase.CLOSED:
        return REVIEWS_CLOSED
    if phase == ReviewPhase.DECISIONS:
        return DECISIONS_PHASE
    return None


def decision_refusal(event) -> str | None:
    """Why organisers may not decide now: only while reviews are closed and decisions not yet open.
    While reviews are open (events that do not use phases) and in the decisions phase they may."""
    return NO_DECISIONS_YET if settings_for(event).phase == ReviewPhase.CLOSED else None


def assigned_only(user, event, perms=None) -> bool:
    """Whether `user` sees only the proposals assigned to them: in an event in the assignment-only
    mode, for those whose access to proposals comes from reviewing alone."""
    perms = perms or permissions_for(user, event)
    if not perms.can_review or perms.has_any(SEES_ALL):
        return False
    return settings_for(event).assignment_only


def limit_to_assigned(user, event, perms, proposals):
    """Registered in proposals.rules.VISIBILITY_LIMITS: the assignment-only mode."""
    if assigned_only(user, event, perms):
        return proposals.filter(review_assignments__reviewer=user)
    return proposals


def person_conflicted(reviewer, event):
    """The ids of `event`'s proposals that a conflict of interest of `reviewer` with a person covers:
    a speaker is the account named, or has the address named (any case), whenever they joined."""
    declared = SpeakerConflict.objects.filter(event=event, reviewer=reviewer)
    return (
        ProposalSpeaker.objects.filter(proposal__event=event)
        .annotate(address=Lower("user__email"))
        .filter(
            Q(user_id__in=declared.exclude(speaker=None).values("speaker_id"))
            | Q(address__in=declared.exclude(email="").values("email"))
        )
        .values("proposal_id")
    )


def conflict_pairs(event, reviewer_ids, proposal_ids) -> set[tuple[int, int]]:
    """{(reviewer id, proposal id)} among these that a conflict of interest covers, of either kind
    (with the proposal, or with one of its speakers), in three queries."""
    reviewer_ids, proposal_ids = list(reviewer_ids), list(proposal_ids)
    pairs = set(
        Conflict.objects.filter(proposal_id__in=proposal_ids, reviewer_id__in=reviewer_ids).values_list(
            "reviewer_id", "proposal_id"
        )
    )
    people = list(
        SpeakerConflict.objects.filter(event=event, reviewer_id__in=reviewer_ids).values_list(
            "reviewer_id", "speaker_id", "email"
        )
    )
    if not people:
        return pairs
    links = list(
        ProposalSpeaker.objects.filter(proposal_id__in=proposal_ids).values_list(
            "proposal_id", "user_id", "user__email"
        )
    )
    for reviewer_id, speaker_id, email in people:
        for proposal_id, user_id, address in links:
            if user_id == speaker_id or (email and address.lower() == email):
                pairs.add((reviewer_id, proposal_id))
    return pairs


def reviewable(user, event, proposals):
    """Narrow `proposals` (of `event`, at most those the user's teams see) to those the user may review:
    they need the review flag, and never review their own proposal, a withdrawn one or one a conflict
    of interest of theirs covers (with the proposal, or with one of its speakers)."""
    if not permissions_for(user, event).can_review:
        return proposals.none()
    return (
        proposals.exclude(speakers=user)
        .exclude(state=ProposalState.WITHDRAWN)
        .exclude(pk__in=Conflict.objects.filter(reviewer=user).values("proposal_id"))
        .exclude(pk__in=person_conflicted(user, event))
    )


def conflict_candidates(user, event):
    """The proposals a reviewer may declare a conflict of interest with themselves: those they see (in
    the assignment-only mode, those assigned to them; organisers declare the others on their behalf),
    not withdrawn, not their own."""
    return team_visible_proposals(user, event).exclude(state=ProposalState.WITHDRAWN).exclude(speakers=user)


def reviewable_proposals(user, event):
    """The proposals of `event` that `user` may review."""
    return reviewable(user, event, team_visible_proposals(user, event))


def can_review(user, proposal) -> bool:
    """Whether `user` may review `proposal` (save or change their review of it), phase aside."""
    return reviewable_proposals(user, proposal.event).filter(pk=proposal.pk).exists()


def review_refusal(user, proposal) -> str | None:
    """Why `user` may not review `proposal` now, in words for them; None when they may."""
    if proposal.speakers.filter(pk=user.pk).exists():
        return OWN_PROPOSAL
    if Conflict.objects.filter(reviewer=user, proposal=proposal).exists():
        return CONFLICTED
    if person_conflicted(user, proposal.event).filter(proposal_id=proposal.pk).exists():
        return CONFLICTED_PERSON
    if can_review(user, proposal):
        return phase_refusal(proposal.event)
    if proposal.state == ProposalState.WITHDRAWN:
        return WITHDRAWN
    return NOT_REVIEWABLE


def can_read_reviews(user, event) -> bool:
    """Whether `user` reads every review of the proposals they see in `event` (those who manage the
    proposals). Anyone else reads their own reviews, and the others' reviews of a proposal only once
    they reviewed it themselves, so that they score without being swayed; in the decisions phase,
    reviewers read the reviews of every proposal they may review."""
    return permissions_for(user, event).can_edit_event


def can_read_reviews_of(user, proposal) -> bool:
    """Whether `user` reads the reviews of `proposal` (one they may see)."""
    if can_read_reviews(user, proposal.event) or proposal.reviews.filter(reviewer=user).exists():
        return True
    return (
        settings_for(proposal.event).phase == ReviewPhase.DECISIONS
        and reviewable_proposals(user, proposal.event).filter(pk=proposal.pk).exists()
    )


def readable_reviews(user, event):
    """The reviews of `event` that `user` may read (see `can_read_reviews`)."""
    reviews = Review.objects.filter(proposal__in=team_visible_proposals(user, event))
    if not can_read_reviews(user, event):
        reviewed = Review.objects.filter(reviewer=user, proposal__event=event).values("proposal_id")
        readable = Q(reviewer=user) | Q(proposal_id__in=reviewed)
        if settings_for(event).phase == ReviewPhase.DECISIONS:
            readable |= Q(proposal_id__in=reviewable_proposals(user, event).values("pk"))
        reviews = reviews.filter(readable)
    return reviews


# --- Assignment ---------------------------------------------------------------------------------


def can_manage_reviews(user, event) -> bool:
    """Review settings, criteria, assignments: those who manage the event's proposals."""
    return permissions_for(user, event).can_edit_event


def reviewers(event):
    """The users who may review in `event` (a team with the review flag that reaches the event)."""
    teams = Team.objects.filter(organiser_id=event.organiser_id, can_review=True).filter(
        Q(all_events=True) | Q(limit_events=event)
    )
    return User.objects.filter(teams__in=teams, is_active=True).distinct().order_by("name", "email", "pk")


def assignments_of(user, event):
    return Assignment.objects.filter(reviewer=user, proposal__event=event)
