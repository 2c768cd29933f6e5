"""Who may do what with an event's mail campaigns. No HTTP here; services check these, pages ask them.

- Draft (templates, audiences, campaigns, submitting for review): `can_draft_mail`, `can_send_mail`,
  `can_edit_event` or an administrator (`is_admin`).
- Approve: `can_approve_mail` or `is_admin`, and not the one who submitted it unless the event allows
  it (`Event.campaign_self_approval`).
- Send (and re-subscribe an address): `can_send_mail` or `is_admin`.
- Every team member with any of these flags sees every draft, template and audience of the event.
"""

from django.utils.translation import gettext as _

from podium.base.errors import NotAllowed
from podium.events.rules import permissions_for

DRAFT_FLAGS = ("can_draft_mail", "can_send_mail", "can_edit_event", "is_admin")
APPROVE_FLAGS = ("can_approve_mail", "is_admin")
SEND_FLAGS = ("can_send_mail", "is_admin")
SEE_FLAGS = tuple(dict.fromkeys((*DRAFT_FLAGS, *APPROVE_FLAGS, *SEND_FLAGS)))


def can_see(user, event) -> bool:
    return permissions_for(user, event).has_any(SEE_FLAGS)


def can_draft(user, event) -> bool:
    return permissions_for(user, event).has_any(DRAFT_FLAGS)


def can_approve(user, event) -> bool:
    return permissions_for(user, event).has_any(APPROVE_FLAGS)


def can_send(user, event) -> bool:
    return permissions_for(user, event).has_any(SEND_FLAGS)


def check_can_see(by, event) -> None:
    if by is not None and not can_see(by, event):
        raise NotAllowed(_("Only team members who work on mail may do this."))


def check_can_draft(by, event) -> None:
    """Refuse `by` unless they may draft mail in `event` (None: an operator on the command line)."""
    if by is not None and not can_draft(by, event):
        raise NotAllowed(_("Only team members who draft mail may do this."))


def self_approval_refused(by, campaign) -> bool:
    """Whether `by` submitted the campaign and the event wants another person to approve it."""
    return by is not None and campaign.submitted_by_id == by.pk and not campaign.event.campaign_self_approval


def check_can_approve(by, campaign) -> None:
    """Refuse `by` unless they approve mail in the campaign's event and may approve this one."""
    if by is None:
        return
    if not can_approve(by, campaign.event):
        raise NotAllowed(_("Only team members who approve mail may approve a campaign."))
    if self_approval_refused(by, campaign):
        raise NotAllowed(_("Another team member must approve a campaign you submitted."))


def check_can_send(by, event) -> None:
    if by is not None and not can_send(by, event):
        raise NotAllowed(_("Only team members who send mail may do this."))
