"""Reads of the draft schedule and of releases, shared by the back office, the public site and exports."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from podium.events.models import Event
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal, ProposalSpeaker
from podium.proposals.states import SCHEDULABLE
from podium.schedule.models import Release, ReleasedSession, Slot, SlotKind


def schedulable_proposals(event: Event) -> QuerySet[Proposal]:
    """Accepted and confirmed proposals with what the editor shows of them (speakers, type, track, slot)."""
    return (
        event.proposals.filter(state__in=SCHEDULABLE)
        .select_related("session_type", "track", "slot__room")
        .prefetch_related(Prefetch("speaker_links", queryset=ProposalSpeaker.objects.select_related("user")))
        .order_by("title", "code")
    )


def unscheduled_proposals(event: Event) -> QuerySet[Proposal]:
    """Accepted and confirmed proposals that have no place in the draft yet."""
    return schedulable_proposals(event).filter(Q(slot__isnull=True) | Q(slot__start__isnull=True))


def placed_slots(event: Event, day: dt.date | None = None) -> QuerySet[Slot]:
    """Slots with a place in the draft: breaks, and sessions that are still accepted or confirmed.

    A cancelled or withdrawn session keeps its slot (it comes back if reinstated) but is not shown.
    """
    slots = (
        event.slots.filter(start__isnull=False)
        .filter(Q(kind=SlotKind.BREAK) | Q(proposal__state__in=SCHEDULABLE))
        .select_related("room", "proposal__session_type", "proposal__track")
        .prefetch_related(
            Prefetch("proposal__speaker_links", queryset=ProposalSpeaker.objects.select_related("user"))
        )
        .order_by("start", "room__position", "id")
    )
    if day is not None:
        start, end = event.day_range(day)
        slots = slots.filter(start__lt=end, end__gt=start)
    return slots


def published_states(event: Event) -> tuple[str, ...]:
    """The proposal states a release publishes, by the event's rule: confirmed sessions only (the
    default, as the acceptance mail says), or accepted ones too (`Event.publish_unconfirmed`).
    The draft holds both either way; the editor marks the sessions a release would leave out."""
    return SCHEDULABLE if event.publish_unconfirmed else (ProposalState.CONFIRMED,)


def is_published_state(event: Event, state: str) -> bool:
    return state in published_states(event)


def release_slots(event: Event, day: dt.date | None = None) -> QuerySet[Slot]:
    """The placed slots a release copies: breaks, and the sessions the event's rule publishes."""
    return placed_slots(event, day).filter(
        Q(kind=SlotKind.BREAK) | Q(proposal__state__in=published_states(event))
    )


def left_out_slots(event: Event) -> list[Slot]:
    """Placed sessions a release leaves out by the event's rule (accepted, not confirmed yet)."""
    return list(
        placed_slots(event)
        .filter(kind=SlotKind.SESSION)
        .exclude(proposal__state__in=published_states(event))
        .order_by("start", "room__position", "id")
    )


def latest_release(event: Event) -> Release | None:
    """The release everything public reads, or None before the first one.

    Its changelog is left out (read when used): an import's can be hundreds of kilobytes, and most
    requests that look up the release never read it."""
    return event.releases.defer("changes").order_by("-version").first()


@dataclass(frozen=True)
class SpeakerPlace:
    """Where and when a speaker's session is, as the latest release has it (`released`: None when
    it is not in it), and whether the draft holds another place not published yet (`draft_differs`:
    the speaker is told a change is coming, never the unpublished place itself)."""

    release: Release | None
    released: ReleasedSession | None
    draft_differs: bool
    left_out: bool  # placed in the draft, but the event publishes only confirmed sessions


def speaker_place(proposal: Proposal) -> SpeakerPlace:
    """The place of `proposal` a speaker may see: from the latest release only."""
    event = proposal.event
    release = latest_release(event)
    released = None
    if release is not None:
        released = release.sessions.filter(kind=SlotKind.SESSION, code=proposal.code).first()
    slot = Slot.objects.filter(event=event, proposal=proposal).first()
    placed = slot is not None and slot.start is not None
    if released is None:
        differs = False
    else:
        differs = not placed or (slot.room_id, slot.start, slot.end) != (
            released.room_id,
            released.start,
            released.end,
        )
    left_out = placed and proposal.state in SCHEDULABLE and not is_published_state(event, proposal.state)
    return SpeakerPlace(release=release, released=released, draft_differs=differs, left_out=left_out)


def released_sessions(
    release: Release, *, day: dt.date | None = None, track_id=None, room_uuid=None
) -> QuerySet[ReleasedSession]:
    """The sessions and breaks of a release, optionally one day, track or room (breaks stay in a room view)."""
    sessions = release.sessions.all().order_by("start", "room_name", "id")
    if day is not None:
        sessions = sessions.filter(day=day)
    if track_id is not None:
        sessions = sessions.filter(Q(track_id=track_id) | Q(kind=SlotKind.BREAK))
    if room_uuid is not None:
        sessions = sessions.filter(Q(room_uuid=room_uuid) | Q(kind=SlotKind.BREAK, room_uuid__isnull=True))
    return sessions


def release_days(release: Release) -> list[dt.date]:
    return list(release.sessions.order_by("day").values_list("day", flat=True).distinct())
