"""Who may do what with attendees' notes, feedback and seats: for pages and services alike (no HTTP here)."""

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from podium.attendance import seat_queries
from podium.base.errors import NotAllowed
from podium.events.models import Event
from podium.events.rules import permissions_for
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from podium.schedule.models import ReleasedSession, SlotKind
from podium.schedule.queries import latest_release

LOG_IN = gettext_lazy("Log in to give feedback.")
NOT_RELEASED = gettext_lazy("This talk is not on the published program, so it takes no feedback.")
CANCELLED = gettext_lazy("This talk was cancelled, so it takes no feedback.")
OWN_TALK = gettext_lazy("You cannot give feedback on your own talk.")
NOT_YOURS = gettext_lazy("This note is not yours.")


def _day_and_time_format() -> str:
    """The format of a weekday, date and time in the active language's order."""
    return pgettext("date format: weekday, day, month, time", "l j F, H:i")


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
    start = format_date(timezone.localtime(session.start, event.tz), _day_and_time_format())
    return _("Feedback opens when the talk starts (%(start)s, %(timezone)s).") % {
        "start": start,
        "timezone": event.timezone,
    }


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


# --- Seats at sessions that need one ---------------------------------------------------------------

#: Team flags whose holders see who booked a seat (those who see the attendees, registration.rules).
SEAT_LIST_READERS = ("can_check_in", "can_edit_event")

LOG_IN_TO_BOOK = gettext_lazy("Log in to book a seat.")
NO_SEAT_NEEDED = gettext_lazy("This session needs no booking: just come.")
SEAT_NOT_RELEASED = gettext_lazy("This session is not on the published program, so it takes no bookings.")
SEAT_CANCELLED = gettext_lazy("This session was cancelled, so it takes no bookings.")
OWN_SESSION = gettext_lazy("You speak at this session, so your place is kept: you need no seat.")
NOT_YOUR_SEAT = gettext_lazy("This seat is not yours.")


def _seat_started(session: ReleasedSession, event: Event) -> str:
    start = format_date(timezone.localtime(session.start, event.tz), _day_and_time_format())
    return _(
        "This session started on %(start)s (%(timezone)s); seats can only be booked before it starts."
    ) % {"start": start, "timezone": event.timezone}


def _no_ticket(user, event: Event) -> str:
    return _(
        "Seats are for people with a ticket to %(event)s. You need a paid ticket that you bought, "
        "or that names your address (%(email)s) as the attendee's; buy one first, or ask whoever "
        "bought yours to put your address on it."
    ) % {"event": event.name, "email": user.email}


def clash_message(clash: ReleasedSession, event: Event) -> str:
    start = format_date(timezone.localtime(clash.start, event.tz), _day_and_time_format())
    end = format_date(timezone.localtime(clash.end, event.tz), "H:i")
    return _(
        "This session overlaps “%(title)s” (%(start)s–%(end)s), where you have a seat. "  # noqa: RUF001
        "Cancel that seat first if you would rather come to this one."
    ) % {"title": clash.title, "start": start, "end": end}


def seat_refusal(user, proposal: Proposal, session: ReleasedSession | None, *, now=None) -> str | None:
    """Why `user` may not book a seat at (or wait for) `proposal` now, in words for them; None when they
    may. `session` is the proposal as the latest release shows it (`released_session`).

    Seats are booked at sessions of the latest release of a public event whose type requires a seat,
    before they start, not by the session's own speakers; when the event sells tickets, only by people
    holding a valid ticket of it (seat_queries.holds_ticket). Overlaps with one's other seats are
    checked separately (seat_queries.clashing_seat), as are the seats left.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return LOG_IN_TO_BOOK
    if not proposal.session_type.requires_seat:
        return NO_SEAT_NEEDED
    if proposal.state in (ProposalState.CANCELLED, ProposalState.WITHDRAWN):
        return SEAT_CANCELLED
    if session is None:
        return SEAT_NOT_RELEASED
    if proposal.speakers.filter(pk=user.pk).exists():
        return OWN_SESSION
    if (now or timezone.now()) >= session.start:
        return _seat_started(session, proposal.event)
    event = proposal.event
    if seat_queries.sells_tickets(event) and not seat_queries.holds_ticket(user, event):
        return _no_ticket(user, event)
    return None


def check_can_book(user, proposal: Proposal, session: ReleasedSession | None) -> None:
    """Refuse `user` unless they may book a seat at `proposal` now (see `seat_refusal`)."""
    refusal = seat_refusal(user, proposal, session)
    if refusal is not None:
        raise NotAllowed(refusal)


def check_can_cancel_seat(by, booking) -> None:
    """A seat or waiting-list place is cancelled by its holder, by the event's organisers
    (`can_edit_event`) or by an operator (`by=None`)."""
    if by is None or booking.user_id == by.pk:
        return
    if not permissions_for(by, booking.event).can_edit_event:
        raise NotAllowed(NOT_YOUR_SEAT)


def can_see_seat_lists(user, event: Event) -> bool:
    """Whether `user` sees who booked the seats of the event's sessions (names and addresses)."""
    return permissions_for(user, event).has_any(SEAT_LIST_READERS)
