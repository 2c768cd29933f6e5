"""Who keeps an organiser's contact lists. No HTTP here; services check these, pages ask them.

The organiser's administrators (a team with `is_admin`) and the members of its teams that write or
send mail (`can_draft_mail`, `can_send_mail`) see, import, export and edit the contacts; a team
limited to some events still counts, as the lists belong to the organiser, not to an event.
Site administrators may do everything.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from podium.base.errors import NotAllowed
from podium.events.models import Team

CONTACT_FLAGS = ("is_admin", "can_draft_mail", "can_send_mail")


def can_manage_contacts(user, organiser) -> bool:
    """Whether `user` sees and changes `organiser`'s contacts and lists."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    flagged = Q()
    for flag in CONTACT_FLAGS:
        flagged |= Q(**{flag: True})
    return Team.objects.filter(flagged, organiser=organiser, members=user).exists()


def check_can_manage_contacts(by, organiser) -> None:
    """Refuse `by` unless they keep the organiser's contacts (None: an operator on the command line)."""
    if by is not None and not can_manage_contacts(by, organiser):
        raise NotAllowed(_("Only the organiser's administrators and its mail teams may change its contacts."))
