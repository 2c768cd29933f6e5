"""Who may see and change proposals, and whether speaker identity is shown."""

from django.db.models import Q

from podium.events.rules import permissions_for
from podium.proposals.models import Proposal


def team_visible_proposals(user, event):
    """Proposals of `event` the user may see as a team member (limited by the teams' tracks)."""
    perms = permissions_for(user, event)
    if not (
        perms.can_edit_event
        or perms.can_review
        or perms.is_admin
        or perms.can_schedule
        or perms.can_send_mail
    ):
        return Proposal.objects.none()
    proposals = event.proposals.all()
    if perms.track_ids is not None:
        proposals = proposals.filter(track_id__in=perms.track_ids)
    return proposals


def reviewable_proposals(user, event):
    """Proposals the user may review: visible to their teams, not their own, not withdrawn."""
    if not permissions_for(user, event).can_review:
        return Proposal.objects.none()
    return team_visible_proposals(user, event).exclude(speakers=user).exclude(state="withdrawn")


def shows_speaker_identity(user, event) -> bool:
    """False when the event anonymises review and the user is only a reviewer."""
    if not event.anonymise_review:
        return True
    return permissions_for(user, event).sees_speaker_identity


def can_manage_proposals(user, event) -> bool:
    return permissions_for(user, event).can_edit_event


def own_proposals(user, event):
    if not user.is_authenticated:
        return Proposal.objects.none()
    return event.proposals.filter(Q(speakers=user)).distinct()
