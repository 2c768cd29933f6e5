"""Who may do what with attendees' notes and feedback: for pages and services alike (no HTTP here)."""

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as format_date

from podium.base.errors import NotAllowed
from podium.events.models import Event
from podium.events.rules import permissions_for
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from podium.schedule.models import ReleasedSession, SlotKind
from podium.schedule.queries import latest_release

LOG_IN = "Log in to give feedback."
NOT_RELEASED = "This talk is not on the published program, so it takes no feedback."
CANCELLED = "This talk was cancelled, so it takes no feedback."
OWN_TALK = "You cannot give feedback on your own talk."
NOT_YOURS = "This note is not yours."

#: Team flags whose holders read every attendee's feedback with the author's name (back office).
FEEDBACK_READERS = ("can_review", "can_edit_event")


def released_session(proposal: Proposal) -> ReleasedSession | None:
    """The talk as the latest release of its (public) event shows it; None when it is not there."""
    if not proposal.event.is_public:
        return None
    release = latest_release(proposal.event)
    if release is None:
        return None
    return release.sessions.filter(kind=SlotKind.SESSION, code=proposal.code).first()


def _not_started(session: ReleasedSession, event: Event) -> str:
    start = format_date(timezone.localtime(session.start, event.tz), "l j F, H:i")
    return f"Feedback opens when the talk starts ({start}, {event.timezone})."


def feedback_refusal(user, proposal: Proposal, *, now: dt.datetime | None = None) -> str | None:
    """Why `user` may not give feedback on `proposal` now, in words for them; None when they may.

    Feedback is for talks on the latest release of a public event, once they have started there, and
    never from the talk's own speakers.
    """
    if not user.is_authenticated:
        return LOG_IN
    if proposal.state in (ProposalState.CANCELLED, ProposalState.WITHDRAWN):
        return CANCELLED
    session = released_session(proposal)
    if session is None:
        return NOT_RELEASED
    if proposal.speakers.filter(pk=user.pk).exists():
        return OWN_TALK
    if (now or timezone.now()) < session.start:
        return _not_started(session, proposal.event)
    return None


def check_can_give_feedback(user, proposal: Proposal) -> None:
    """Refuse `user` unless they may give feedback on `proposal` now (see `feedback_refusal`)."""
    refusal = feedback_refusal(user, proposal)
    if refusal is not None:
        raise NotAllowed(refusal)


def can_read_feedback_authors(user, event: Event) -> bool:
    """Whether `user` reads the feedback on the event's talks with its authors' names: its organisers
    who review or edit. Speakers read their own talks' feedback without names."""
    return permissions_for(user, event).has_any(FEEDBACK_READERS)


def check_note_author(by, note) -> None:
    """Refuse anyone but the note's author: a note is its author's alone, even for operators."""
    if by is None or note.user_id != by.pk:
        raise NotAllowed(NOT_YOURS)
