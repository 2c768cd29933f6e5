"""Who may review which proposal, and whose reviews a user may read: for pages, API and services alike."""

from django.db.models import Q

from podium.events.rules import permissions_for
from podium.proposals.enums import ProposalState
from podium.proposals.rules import team_visible_proposals
from podium.reviews.models import Review

OWN_PROPOSAL = "You cannot review your own proposal."
WITHDRAWN = "This proposal was withdrawn; it is no longer reviewed."
NOT_REVIEWABLE = "You may not review this proposal."


def reviewable(user, event, proposals):
    """Narrow `proposals` (of `event`, at most those the user's teams see) to those the user may review:
    they need the review flag, and never review their own proposal or a withdrawn one."""
    if not permissions_for(user, event).can_review:
        return proposals.none()
    return proposals.exclude(speakers=user).exclude(state=ProposalState.WITHDRAWN)


def reviewable_proposals(user, event):
    """The proposals of `event` that `user` may review."""
    return reviewable(user, event, team_visible_proposals(user, event))


def can_review(user, proposal) -> bool:
    """Whether `user` may review `proposal` (save or change their review of it)."""
    return reviewable_proposals(user, proposal.event).filter(pk=proposal.pk).exists()


def review_refusal(user, proposal) -> str | None:
    """Why `user` may not review `proposal`, in words for them; None when they may."""
    if proposal.speakers.filter(pk=user.pk).exists():
        return OWN_PROPOSAL
    if can_review(user, proposal):
        return None
    if proposal.state == ProposalState.WITHDRAWN:
        return WITHDRAWN
    return NOT_REVIEWABLE


def can_read_reviews(user, event) -> bool:
    """Whether `user` reads every review of the proposals they see in `event` (those who manage the
    proposals). Anyone else reads their own reviews, and the others' reviews of a proposal only once
    they reviewed it themselves, so that they score without being swayed."""
    return permissions_for(user, event).can_edit_event


def can_read_reviews_of(user, proposal) -> bool:
    """Whether `user` reads the reviews of `proposal` (one they may see)."""
    return can_read_reviews(user, proposal.event) or proposal.reviews.filter(reviewer=user).exists()


def readable_reviews(user, event):
    """The reviews of `event` that `user` may read (see `can_read_reviews`)."""
    reviews = Review.objects.filter(proposal__in=team_visible_proposals(user, event))
    if not can_read_reviews(user, event):
        reviewed = Review.objects.filter(reviewer=user, proposal__event=event).values("proposal_id")
        reviews = reviews.filter(Q(reviewer=user) | Q(proposal_id__in=reviewed))
    return reviews
