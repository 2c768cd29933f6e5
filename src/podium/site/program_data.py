"""One release's public program read once, for rendering all its pages in one go (release_files).

A view reads what its page needs with a few queries. Writing a release's files renders some two
thousand pages (FOSDEM size), and the same few queries per page were most of the time: here the
release's sessions, speakers, seats, shared notes and sponsors are read once, and the views' page
functions take them (their `data=` argument) instead of querying. Each answer is the one the view's
query gives: where Python cannot order rows as the database does, the query runs as before.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import F
from django.utils.encoding import filepath_to_uri

from podium.attendance import seat_queries
from podium.attendance.models import Note
from podium.events.models import Event
from podium.schedule.models import Release, ReleasedSession, ReleasedSpeaker, SlotKind
from podium.schedule.queries import release_days, released_sessions
from podium.sponsors.public import PublicSponsors, public_sponsors


def _default_order(session: ReleasedSession) -> tuple:
    """ReleasedSession's Meta ordering (start, room, id); only used when no room is missing."""
    return (session.start, session.room_id, session.pk)


@dataclass
class ProgramData:
    """The release's program as its public pages read it (see the module's docstring)."""

    event: Event
    release: Release
    sessions: list[ReleasedSession]  # sessions and breaks as `released_sessions` orders them
    speakers: dict[str, ReleasedSpeaker]  # by code
    seats: dict  # seat_queries.seats_by_code for the whole release
    notes: dict[str, list[Note]]  # the notes shared under each talk, as attendance.queries.shared_notes
    sponsors: PublicSponsors
    days: list
    urls: dict = field(default_factory=dict)  # the addresses the pages link to (templatetags.site_urls)
    fragments: dict = field(default_factory=dict)  # the pages' repeated fragments (templatetags.site_once)
    _photo_urls: dict[str, str] = field(default_factory=dict)
    _talks: dict[str, list[ReleasedSession]] = field(default_factory=dict)
    _by_day: dict = field(default_factory=dict)  # the sessions of each day, in their order
    _rooms: dict[int, str | None] = field(default_factory=dict)  # each session's room UUID as text

    def __post_init__(self):
        for session in self.sessions:
            if session.kind == SlotKind.SESSION:
                self._talks.setdefault(session.code, []).append(session)
            self._by_day.setdefault(session.day, []).append(session)
            self._rooms[id(session)] = None if session.room_uuid is None else str(session.room_uuid)

    # --- What the views ask -----------------------------------------------------------------------

    def sessions_of(self, *, day=None, track_id=None, room_uuid=None) -> list[ReleasedSession]:
        """`released_sessions(release, day=…, track_id=…, room_uuid=…)` as a list."""
        chosen = []
        room = None if room_uuid is None else str(room_uuid)
        for session in self.sessions if day is None else self._by_day.get(day, []):
            if track_id is not None and not (session.track_id == track_id or session.kind == SlotKind.BREAK):
                continue
            if room is not None and not (
                (session.room_uuid is not None and self._rooms[id(session)] == room)
                or (session.kind == SlotKind.BREAK and session.room_uuid is None)
            ):
                continue
            chosen.append(session)
        return chosen

    def talk(self, code: str) -> ReleasedSession | None:
        """The released talk `code` (`.filter(kind=SESSION, code=code).first()`)."""
        candidates = self._talks.get(code, [])
        if len(candidates) == 1:
            return candidates[0]
        if candidates and all(session.room_id is not None for session in candidates):
            return min(candidates, key=_default_order)
        return self.release.sessions.filter(kind=SlotKind.SESSION, code=code).first()

    def talks_of(self, codes) -> list[ReleasedSession]:
        """The released talks with these codes in the default order (`.filter(code__in=codes)`)."""
        chosen = [session for code in dict.fromkeys(codes) for session in self._talks.get(code, [])]
        if all(session.room_id is not None for session in chosen):
            return sorted(chosen, key=_default_order)
        return list(self.release.sessions.filter(kind=SlotKind.SESSION, code__in=list(codes)))

    def speaker(self, code: str) -> ReleasedSpeaker | None:
        return self.speakers.get(code)

    def seats_of(self, codes) -> dict:
        """`seats_by_code(event, release, codes)`."""
        return {code: self.seats[code] for code in codes if code in self.seats}

    def notes_of(self, code: str) -> list[Note]:
        return self.notes.get(code, [])

    def photo_url(self, speaker: ReleasedSpeaker) -> str:
        """What views.program's `_photo_url` answers, asked of the storage once per photo."""
        if not speaker.photo:
            return ""
        if speaker.photo not in self._photo_urls:
            exists = default_storage.exists(speaker.photo)
            self._photo_urls[speaker.photo] = (
                settings.MEDIA_URL + filepath_to_uri(speaker.photo) if exists else ""
            )
        return self._photo_urls[speaker.photo]


def _shared_notes(event: Event) -> dict[str, list[Note]]:
    notes: dict[str, list[Note]] = defaultdict(list)
    rows = (
        Note.objects.filter(event=event, shared=True)
        .select_related("user")
        .annotate(talk_code=F("proposal__code"))
        .order_by("created", "id")
    )
    for note in rows:
        notes[note.talk_code].append(note)
    return dict(notes)


def load(event: Event, release: Release) -> ProgramData:
    """Everything the release's public pages read, in a handful of queries."""
    return ProgramData(
        event=event,
        release=release,
        sessions=list(released_sessions(release)),
        speakers={speaker.code: speaker for speaker in release.speakers.all()},
        seats=seat_queries.seats_by_code(event, release),
        notes=_shared_notes(event),
        sponsors=public_sponsors(event),
        days=release_days(release),
    )
