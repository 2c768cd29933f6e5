"""Attendee use cases: starring sessions, merging the stars a visitor kept in the browser, agenda
settings, notes and feedback on talks, and the secret address of one's calendar."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext

from podium.attendance import rules
from podium.attendance.models import (
    MAX_FEEDBACK_COMMENT_LENGTH,
    MAX_NOTE_LENGTH,
    RATINGS,
    AgendaPreference,
    CalendarFeed,
    Feedback,
    Note,
    Star,
)
from podium.attendance.queries import public_talks
from podium.base.errors import NotAllowed, ServiceError
from podium.events.models import Event
from podium.proposals.models import Proposal

MAX_MERGE = 500


@transaction.atomic
def set_star(*, event: Event, user, code: str, starred: bool) -> bool:
    """Star or unstar one public session; returns whether it is starred now. No side effects.

    A star can always be removed, even after its session left the program (cancelled, or no
    longer listed before the first release); only public sessions can be starred.
    """
    code = code.strip().upper()
    if not starred:
        removed, _ = Star.objects.filter(event=event, user=user, proposal__code=code).delete()
        if removed or public_talks(event).filter(code=code).exists():
            return False
        raise ServiceError(gettext("There is no public session with this code."))
    proposal = public_talks(event).filter(code=code).first()
    if proposal is None:
        raise ServiceError(gettext("There is no public session with this code."))
    Star.objects.get_or_create(event=event, user=user, proposal=proposal)
    return True


@transaction.atomic
def merge_stars(*, event: Event, user, codes: list[str]) -> set[str]:
    """Add the stars a visitor kept in the browser before logging in; returns all their codes now.

    Unknown codes are ignored (a session may have been cancelled since it was starred).
    No side effects.
    """
    if len(codes) > MAX_MERGE:
        raise ServiceError(gettext("At most %(count)s stars can be merged at once.") % {"count": MAX_MERGE})
    wanted = {str(code).strip().upper() for code in codes if str(code).strip()}
    proposals = list(public_talks(event).filter(code__in=wanted))
    have = set(event.stars.filter(user=user).values_list("proposal_id", flat=True))
    Star.objects.bulk_create(
        [Star(event=event, user=user, proposal=p) for p in proposals if p.pk not in have],
        ignore_conflicts=True,
    )
    return set(event.stars.filter(user=user).values_list("proposal__code", flat=True))


@transaction.atomic
def set_change_notices(*, event: Event, user, notify: bool) -> AgendaPreference:
    """Opt in to (or out of) one mail per release about the starred sessions it changes. No side effects."""
    preference, _ = AgendaPreference.objects.get_or_create(event=event, user=user)
    if preference.notify_changes != notify:
        preference.notify_changes = notify
        preference.save(update_fields=["notify_changes", "updated"])
    return preference


@transaction.atomic
def mark_agenda_seen(*, event: Event, user, version: int) -> AgendaPreference:
    """Remember that `user` has seen release `version` of the agenda (never goes back). No side effects."""
    preference, _ = AgendaPreference.objects.select_for_update().get_or_create(event=event, user=user)
    if version > preference.last_seen_version:
        preference.last_seen_version = version
        preference.save(update_fields=["last_seen_version", "updated"])
    return preference


def _number(value: int) -> str:
    """A count with the active language's thousands separator (10,000; 10.000)."""
    return number_format(value, force_grouping=True)


def _check_attendee(by) -> None:
    if by is None or not by.is_authenticated or not by.is_active:
        raise NotAllowed(gettext("Log in to do this."))


@transaction.atomic
def save_note(*, proposal: Proposal, by, text: str, shared: bool = False) -> Note | None:
    """Write `by`'s note on a public talk (one per person and talk: saving again replaces it).

    Empty text (or only blanks) deletes the note and returns None. `shared` shows the note under the
    talk on its public page, with the author's name. Notes are Markdown, at most MAX_NOTE_LENGTH
    characters. No side effects.
    """
    _check_attendee(by)
    text = (text or "").replace("\r\n", "\n")
    if not text.strip():
        Note.objects.filter(user=by, proposal=proposal).delete()
        return None
    if len(text) > MAX_NOTE_LENGTH:
        raise ServiceError(
            gettext("A note can be at most %(limit)s characters long (this one has %(length)s).")
            % {"limit": _number(MAX_NOTE_LENGTH), "length": _number(len(text))},
            field="text",
        )
    if not public_talks(proposal.event).filter(pk=proposal.pk).exists():
        raise ServiceError(gettext("There is no public session with this code."))
    note, created = Note.objects.select_for_update().get_or_create(
        user=by, proposal=proposal, defaults={"event": proposal.event, "text": text, "shared": shared}
    )
    if not created and (note.text, note.shared) != (text, shared):
        note.text, note.shared = text, shared
        note.save(update_fields=["text", "shared", "updated"])
    return note


@transaction.atomic
def delete_note(*, note: Note, by) -> None:
    """Delete a note; only its author may. No side effects."""
    rules.check_note_author(by, note)
    Note.objects.filter(pk=note.pk).delete()


def _rating(value) -> int:
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = 0
    if rating not in RATINGS:
        raise ServiceError(
            gettext("Choose a rating from %(lowest)s to %(highest)s.")
            % {"lowest": min(RATINGS), "highest": max(RATINGS)},
            field="rating",
        )
    return rating


@transaction.atomic
def save_feedback(*, proposal: Proposal, by, rating: int, comment: str = "") -> Feedback:
    """Rate a talk from 1 to 5 with an optional comment; a second submission replaces the first.

    Allowed once the talk has started on the latest release, never for talks that are not on it or were
    cancelled, nor for the talk's own speakers (rules.feedback_refusal). The comment is plain text of at
    most MAX_FEEDBACK_COMMENT_LENGTH characters. No side effects.
    """
    _check_attendee(by)
    rules.check_can_give_feedback(by, proposal)
    rating = _rating(rating)
    comment = (comment or "").replace("\r\n", "\n").strip()
    if len(comment) > MAX_FEEDBACK_COMMENT_LENGTH:
        raise ServiceError(
            gettext("A comment can be at most %(limit)s characters long (this one has %(length)s).")
            % {"limit": _number(MAX_FEEDBACK_COMMENT_LENGTH), "length": _number(len(comment))},
            field="comment",
        )
    feedback, _ = Feedback.objects.update_or_create(
        user=by, proposal=proposal, defaults={"rating": rating, "comment": comment}
    )
    return feedback


@transaction.atomic
def renew_calendar_feed(*, event: Event, user) -> CalendarFeed:
    """Give `user` a new secret address for the calendar of their starred sessions in `event`.

    The address holds 256 random bits; an address made before stops working at once. No side effects.
    """
    _check_attendee(user)
    if not event.is_public:
        raise ServiceError(gettext("There is no public event with this slug."))
    token = secrets.token_urlsafe(32)
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        event=event, user=user, defaults={"token": token}
    )
    if not created:
        feed.token, feed.created = token, timezone.now()
        feed.save(update_fields=["token", "created"])
    return feed
