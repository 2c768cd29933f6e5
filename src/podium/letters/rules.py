"""Who may ask for an invitation letter, and who sees and decides the requests. No HTTP here;
services check these, pages ask them.

- A user may ask when they hold a ticket of a paid order of the event (bought for themselves or
  issued to their address), or are a speaker of a confirmed proposal of it.
- The requests, with their passport data, are seen and decided by team members with
  `can_issue_letters` in the event, and by the organiser's administrators (`is_admin`).
- The requester sees their own requests and downloads their own approved letter.
"""

from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

from podium.base.errors import NotAllowed
from podium.events.rules import permissions_for
from podium.letters.models import LetterRequest, LetterRole
from podium.proposals.enums import ProposalState
from podium.registration.enums import OrderState
from podium.registration.models import Ticket

ISSUE_FLAGS = ("can_issue_letters", "is_admin")
REFUSED = gettext_lazy(
    "Invitation letters are for people who hold a paid ticket for this event and for its confirmed "
    "speakers. Once you have a ticket, you can ask for one here."
)


def is_confirmed_speaker(user, event) -> bool:
    return event.proposals.filter(speakers=user, state=ProposalState.CONFIRMED).exists()


def holds_paid_ticket(user, event) -> bool:
    return Ticket.objects.filter(
        Q(order__buyer=user) | Q(attendee_email__iexact=user.email),
        order__event=event,
        order__state=OrderState.PAID,
    ).exists()


def role_of(user, event) -> str | None:
    """LetterRole.SPEAKER for a confirmed speaker, ATTENDEE for a paid ticket's holder, else None."""
    if user is None or not user.is_authenticated:
        return None
    if is_confirmed_speaker(user, event):
        return LetterRole.SPEAKER
    if holds_paid_ticket(user, event):
        return LetterRole.ATTENDEE
    return None


def check_may_ask(user, event) -> str:
    """The role in which `user` asks for a letter to `event`, or NotAllowed with the reason."""
    role = role_of(user, event)
    if role is None:
        raise NotAllowed(str(REFUSED))
    return role


def can_issue_letters(user, event) -> bool:
    """Whether `user` sees the event's letter requests (passport data included) and decides them."""
    return permissions_for(user, event).has_any(ISSUE_FLAGS)


def check_can_issue_letters(by, event) -> None:
    """Refuse `by` unless they issue the event's letters (None: an operator on the command line)."""
    if by is not None and not can_issue_letters(by, event):
        raise NotAllowed(gettext("Only team members who issue invitation letters may do this."))


def may_download(user, letter: LetterRequest) -> bool:
    """The requester or the letter team, once the letter is approved (a withdrawn one: no longer)."""
    if not letter.is_valid or user is None or not user.is_authenticated:
        return False
    return letter.user_id == user.pk or can_issue_letters(user, letter.event)
