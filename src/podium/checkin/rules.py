"""Who may check people in: team members with `can_check_in` for this event (a team limited to other
events gives nothing here). No HTTP here; services check it, pages and the API declare it."""

from django.utils.translation import gettext as _

from podium.base.errors import NotAllowed
from podium.events.rules import permissions_for


def can_check_in(user, event) -> bool:
    return permissions_for(user, event).can_check_in


def check_can_check_in(by, event) -> None:
    """Refuse `by` unless they check people in at this event (None: an operator on the command line)."""
    if by is not None and not can_check_in(by, event):
        raise NotAllowed(_("You may not check people in at this event."))
