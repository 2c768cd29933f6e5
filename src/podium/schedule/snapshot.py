"""Build the public snapshot of the draft: the rows a release copies, in a fixed number of queries."""

from dataclasses import dataclass, field

from podium.events.models import Event
from podium.proposals.models import SESSION_DETAILS, SpeakerProfile
from podium.schedule.changelog import diff_sessions, fingerprint
from podium.schedule.models import ReleasedSession, ReleasedSpeaker, Slot, SlotKind
from podium.schedule.queries import latest_release, release_slots


@dataclass
class Snapshot:
    sessions: list[ReleasedSession] = field(default_factory=list)
    speakers: list[ReleasedSpeaker] = field(default_factory=list)
    rooms: list[dict] = field(default_factory=list)
    tracks: list[dict] = field(default_factory=list)

    def session_dicts(self) -> dict[str, dict]:
        """{slot uuid: session dict} of the sessions (not breaks), the input of changelog.diff_sessions."""
        return {
            str(session.slot_uuid): session_dict(session)
            for session in self.sessions
            if session.kind == SlotKind.SESSION
        }

    def public_payload(self) -> dict:
        """Everything the public sees, for the fingerprint."""
        return {
            "sessions": sorted(
                (released_session_payload(session) for session in self.sessions),
                key=lambda item: item["slot_uuid"],
            ),
            "speakers": sorted(
                (
                    [s.code, s.name, s.bio, s.photo, s.website, s.social, s.session_codes]
                    for s in self.speakers
                ),
            ),
            "rooms": self.rooms,
            "tracks": self.tracks,
        }


SESSION_FIELDS = (
    "slot_uuid",
    "slot_id",
    "kind",
    "code",
    "title",
    "abstract",
    "description",
    "track_id",
    "track_name",
    "track_colour",
    "room_id",
    "room_uuid",
    "room_name",
    "start",
    "end",
    "day",
    "session_type",
    "language",
    "audience_level",
    "speakers",
)


# Fields copied from the proposal as they are. In the fingerprint only when set, so programs that
# use none of them keep the fingerprint they had before these fields existed.
EXTRA_FIELDS = ("guid", *SESSION_DETAILS)


def released_session_payload(session: ReleasedSession) -> dict:
    payload = {
        name: (str(value) if name in ("slot_uuid", "room_uuid", "start", "end", "day") and value else value)
        for name in SESSION_FIELDS
        for value in [getattr(session, name)]
    }
    return payload | {name: getattr(session, name) for name in EXTRA_FIELDS if getattr(session, name)}


def session_dict(session: ReleasedSession) -> dict:
    """The fields the changelog compares, with times as ISO strings (UTC)."""
    return {
        "code": session.code,
        "title": session.title,
        "abstract": session.abstract,
        "description": session.description,
        "start": session.start.isoformat(),
        "end": session.end.isoformat(),
        "minutes": session.duration_minutes,
        "room_uuid": str(session.room_uuid) if session.room_uuid else None,
        "room_name": session.room_name,
        "track_name": session.track_name,
        "session_type": session.session_type,
        "language": session.language,
        "speaker_names": [speaker["name"] for speaker in session.speakers],
        "speaker_codes": [speaker["code"] for speaker in session.speakers],
        "subtitle": session.subtitle,
        "do_not_record": session.do_not_record,
        "links": [session.links, session.attachments, session.video_url],
    }


def released_dicts(release) -> dict[str, dict]:
    """{slot uuid: session dict} of a stored release's sessions."""
    return {
        str(session.slot_uuid): session_dict(session)
        for session in release.sessions.filter(kind=SlotKind.SESSION)
    }


def _profiles(event: Event, user_ids: set[int], *, create: bool) -> dict[int, SpeakerProfile]:
    """Each speaker's profile. With `create`, a speaker without one (rare: profiles are made on
    submission and on accepting an invite) gets one now; without, a blank unsaved one stands in."""
    profiles = {p.user_id: p for p in event.speaker_profiles.filter(user_id__in=user_ids)}
    missing = user_ids - profiles.keys()
    if missing and not create:
        return profiles | {
            user_id: SpeakerProfile(event=event, user_id=user_id, code="") for user_id in missing
        }
    if missing:
        SpeakerProfile.objects.bulk_create(
            [SpeakerProfile(event=event, user_id=user_id) for user_id in sorted(missing)]
        )
        profiles = {p.user_id: p for p in event.speaker_profiles.filter(user_id__in=user_ids)}
    return profiles


def build_snapshot(event: Event, *, for_publishing: bool = True) -> Snapshot:
    """The draft's public program as unsaved release rows (their `release` is set when saved): the
    breaks and the sessions the event's rule publishes (`queries.release_slots`).

    With `for_publishing` False nothing is written (for a preview on a GET request).
    """
    slots: list[Slot] = list(release_slots(event))
    user_ids = {
        link.user_id for slot in slots if slot.proposal_id for link in slot.proposal.speaker_links.all()
    }
    profiles = _profiles(event, user_ids, create=for_publishing)
    snapshot = Snapshot(
        rooms=[
            {"id": room.pk, "uuid": str(room.uuid), "name": room.name, "capacity": room.capacity}
            for room in event.rooms.order_by("position", "name")
        ],
        tracks=[
            {"id": track.pk, "name": track.name, "colour": track.colour}
            for track in event.tracks.order_by("name")
        ],
    )
    speaker_sessions: dict[int, list[str]] = {}
    for slot in slots:
        proposal = slot.proposal
        speakers = []
        if proposal is not None:
            for link in proposal.speaker_links.all():
                speakers.append({"code": profiles[link.user_id].code, "name": link.user.name})
                speaker_sessions.setdefault(link.user_id, []).append(proposal.code)
        snapshot.sessions.append(
            ReleasedSession(
                slot_uuid=slot.uuid,
                slot_id=slot.pk,
                kind=slot.kind,
                code=proposal.code if proposal else "",
                title=proposal.title if proposal else slot.title,
                abstract=proposal.abstract if proposal else "",
                description=proposal.description if proposal else "",
                track_id=proposal.track_id if proposal else None,
                track_name=proposal.track.name if proposal and proposal.track_id else "",
                track_colour=proposal.track.colour if proposal and proposal.track_id else "",
                room_id=slot.room_id,
                room_uuid=slot.room.uuid if slot.room_id else None,
                room_name=slot.room.name if slot.room_id else "",
                start=slot.start,
                end=slot.end,
                day=event.conference_day(slot.start),
                session_type=proposal.session_type.name if proposal else "",
                language=proposal.language if proposal else "",
                audience_level=proposal.audience_level if proposal else "",
                speakers=speakers,
                **({name: getattr(proposal, name) for name in EXTRA_FIELDS} if proposal else {}),
            )
        )
    users = {
        link.user_id: link.user
        for slot in slots
        if slot.proposal_id
        for link in slot.proposal.speaker_links.all()
    }
    for user_id, codes in speaker_sessions.items():
        profile = profiles[user_id]
        snapshot.speakers.append(
            ReleasedSpeaker(
                code=profile.code,
                name=users[user_id].name,
                bio=profile.bio,
                photo=profile.photo.name if profile.photo else "",
                website=profile.website,
                social=profile.social,
                session_codes=codes,
            )
        )
    return snapshot


def preview_release(event: Event) -> tuple[list[dict], bool]:
    """What publishing now would change: (changelog entries, whether anything public changed at all).

    Writes nothing.
    """
    previous = latest_release(event)
    snapshot = build_snapshot(event, for_publishing=False)
    changes = diff_sessions(released_dicts(previous) if previous else {}, snapshot.session_dicts())
    changed = previous is None or previous.fingerprint != fingerprint(snapshot.public_payload())
    return changes, changed
