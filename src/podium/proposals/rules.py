"""Who may see proposals, and whether they see who the speakers are.

Reviewing (who may review which proposal, and read whose reviews) is decided in reviews/rules.py.
"""

from django.db.models import Q

from podium.events.rules import permissions_for
from podium.proposals.models import Proposal

#: Functions (user, event, permissions, proposals) -> proposals that narrow what a team member sees,
#: registered by higher layers when they load (reviews: the assignment-only mode of review).
VISIBILITY_LIMITS: list = []


def team_visible_proposals(user, event):
    """Proposals of `event` the user may see as a team member (limited by the teams' tracks, and by
    each of `VISIBILITY_LIMITS`)."""
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
    for limit in VISIBILITY_LIMITS:
        proposals = limit(user, event, perms, proposals)
    return proposals


def can_see_identity(user, event) -> bool:
    """Whether `user` sees who the speakers of `event`'s proposals are.

    False when the event anonymises review and the user neither administers nor edits the event
    (a reviewer, a scheduler or a mailer): they see no names, addresses, bios, photos, websites or
    organiser notes, and the proposals' history names no speaker. `queries.for_viewer` applies it.
    """
    if not event.anonymise_review:
        return True
    perms = permissions_for(user, event)
    return perms.is_admin or perms.can_edit_event


def can_manage_proposals(user, event) -> bool:
    return permissions_for(user, event).can_edit_event


def own_proposals(user, event):
    if not user.is_authenticated:
        return Proposal.objects.none()
    return event.proposals.filter(Q(speakers=user)).distinct()
