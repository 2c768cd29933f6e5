"""Reads of the draft schedule and of releases, shared by the back office, the public site and exports."""

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from podium.events.models import Event
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


def latest_release(event: Event) -> Release | None:
    """The release everything public reads, or None before the first one.

    Its changelog is left out (read when used): an import's can be hundreds of kilobytes, and most
    requests that look up the release never read it."""
    return event.releases.defer("changes").order_by("-version").first()


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
