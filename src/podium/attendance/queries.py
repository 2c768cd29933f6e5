"""Reads of attendees' stars, notes, feedback and calendar feeds."""

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Prefetch, QuerySet
from django.utils.crypto import constant_time_compare

from podium.attendance.models import CalendarFeed, Feedback, Note
from podium.events.models import Event
from podium.proposals.models import Proposal, ProposalSpeaker
from podium.schedule.models import Release, ReleasedSession, SlotKind
from podium.schedule.queries import latest_release, published_states


def public_talks(event: Event) -> QuerySet[Proposal]:
    """The proposals the public may see and star: those in the latest release, or before the first
    release the ones a release would publish (confirmed, or accepted too: Event.publish_unconfirmed)
    when the event lists them. None for a hidden event."""
    if not event.is_public:
        return event.proposals.none()
    release = latest_release(event)
    if release is not None:
        codes = release.sessions.exclude(code="").values("code")
        return event.proposals.filter(code__in=codes)
    if event.show_accepted_talks:  # those a release would publish, by the event's rule
        return event.proposals.filter(state__in=published_states(event))
    return event.proposals.none()


def starred_codes(event: Event, user) -> set[str]:
    """The codes of the sessions `user` starred in `event` (empty for anonymous visitors)."""
    if not user.is_authenticated:
        return set()
    return set(event.stars.filter(user=user).values_list("proposal__code", flat=True))


def star_counts(event: Event) -> dict[int, int]:
    """{proposal id: number of stars}: the demand signal for scheduling."""
    return dict(event.stars.values_list("proposal_id").annotate(count=Count("id")).order_by())


def shared_notes(event: Event, code: str) -> list[Note]:
    """The notes attendees shared under the talk `code`, oldest first, with their authors."""
    return list(
        Note.objects.filter(event=event, proposal__code=code, shared=True)
        .select_related("user")
        .order_by("created", "id")
    )


@dataclass
class NoteEntry:
    """One of an attendee's notes with what the program says about its talk (`session` when the
    latest release has it, else the talk's title and, while it is public, its speakers)."""

    note: Note
    code: str
    title: str
    session: ReleasedSession | None = None
    speakers: list[str] = field(default_factory=list)


def notes_in_program_order(event: Event, user, release: Release | None) -> list[NoteEntry]:
    """`user`'s notes on `event`'s talks: those on the release in its order (day, time, room), then the
    others by title. A fixed number of queries, however many notes there are."""
    notes = list(
        Note.objects.filter(event=event, user=user)
        .select_related("proposal")
        .prefetch_related(
            Prefetch("proposal__speaker_links", queryset=ProposalSpeaker.objects.select_related("user"))
        )
    )
    if not notes:
        return []
    codes = [note.proposal.code for note in notes]
    sessions = {}
    if release is not None:
        sessions = {
            session.code: session
            for session in release.sessions.filter(kind=SlotKind.SESSION, code__in=codes)
        }
    public = set(public_talks(event).filter(code__in=codes).values_list("pk", flat=True))
    placed, others = [], []
    for note in notes:
        proposal = note.proposal
        session = sessions.get(proposal.code)
        if session is not None:
            speakers = [entry["name"] for entry in session.speakers]
            placed.append(NoteEntry(note, proposal.code, session.title, session, speakers))
        else:
            speakers = [person.name for person in proposal.ordered_speakers] if proposal.pk in public else []
            others.append(NoteEntry(note, proposal.code, proposal.title, None, speakers))
    placed.sort(key=lambda entry: (entry.session.start, entry.session.room_name, entry.session.pk))
    others.sort(key=lambda entry: (entry.title.casefold(), entry.code))
    return placed + others


@dataclass
class FeedbackSummary:
    count: int
    average: float | None
    entries: list[Feedback]


def feedback_summary(proposal: Proposal, *, with_authors: bool) -> FeedbackSummary:
    """The feedback on a talk: how many, the average rating, and the entries newest first (all of
    them with their authors for organisers; for speakers only those with a comment, without authors)."""
    totals = proposal.feedback.aggregate(count=Count("id"), average=Avg("rating"))
    entries = proposal.feedback.order_by("-updated", "-id")
    if with_authors:
        entries = entries.select_related("user")
    else:
        entries = entries.exclude(comment="").only("pk", "proposal_id", "rating", "comment", "updated")
    return FeedbackSummary(totals["count"], totals["average"], list(entries))


#: The longest id an address may name (keeps the number within a 64-bit column).
_MAX_ID_DIGITS = 18


def calendar_feed(event: Event, key: str) -> CalendarFeed | None:
    """The calendar feed an address's key ("<id>-<token>") names in `event`, or None for an unknown,
    replaced or malformed key. The token is compared in constant time; the row is found by its id."""
    ident, _, token = (key or "").partition("-")
    if not (ident.isascii() and ident.isdigit() and len(ident) <= _MAX_ID_DIGITS) or not token:
        return None
    feed = (
        CalendarFeed.objects.filter(event=event, pk=int(ident), user__is_active=True)
        .select_related("user")
        .first()
    )
    if feed is None or not constant_time_compare(feed.token, token):
        return None
    return feed
