"""Warnings about the draft schedule, with severities, in a fixed number of queries.

The database already refuses two slots in one room at once; these are the rules it cannot check:
people in two places, availability, event days, plenary sessions, breaks, capacity.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from podium.events.models import Event, RoomAvailability
from podium.proposals.models import SpeakerAvailability
from podium.schedule.models import Slot, SlotKind
from podium.schedule.queries import placed_slots

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}


@dataclass(frozen=True)
class Conflict:
    severity: str
    kind: str
    message: str
    codes: tuple[str, ...] = ()


def _fmt(event: Event, moment: dt.datetime) -> str:
    return moment.astimezone(event.tz).strftime("%a %H:%M")


def _merge(windows: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    merged: list[list[dt.datetime]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _within(windows, start, end) -> bool:
    return any(w_start <= start and end <= w_end for w_start, w_end in windows)


def _overlapping_pairs(slots: list[Slot]):
    """Pairs of slots that overlap in time (sweep over start times; fine for the few slots per person)."""
    ordered = sorted(slots, key=lambda slot: slot.start)
    for index, slot in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other.start >= slot.end:
                break
            yield slot, other


def find_conflicts(event: Event, slots: list[Slot] | None = None) -> list[Conflict]:
    """Every rule the draft breaks, most severe first. Pass `slots` (from placed_slots) to reuse them."""
    slots = list(placed_slots(event)) if slots is None else slots
    sessions = [slot for slot in slots if slot.kind == SlotKind.SESSION]
    conflicts: list[Conflict] = []
    conflicts += _people_twice(event, sessions)
    conflicts += _speaker_availability(event, sessions)
    conflicts += _room_availability(event, slots)
    conflicts += _event_days(event, slots)
    conflicts += _plenary_and_breaks(event, slots, sessions)
    conflicts += _capacity_and_length(event, sessions)
    conflicts.sort(key=lambda c: (SEVERITY_ORDER[c.severity], c.kind, c.message))
    return conflicts


def _people_twice(event: Event, sessions: list[Slot]) -> list[Conflict]:
    by_person = defaultdict(list)
    names = {}
    for slot in sessions:
        for link in slot.proposal.speaker_links.all():
            by_person[link.user_id].append(slot)
            names[link.user_id] = link.user.name or link.user.email
    result = []
    for user_id, person_slots in by_person.items():
        for first, second in _overlapping_pairs(person_slots):
            result.append(
                Conflict(
                    ERROR,
                    "speaker_twice",
                    f"{names[user_id]} speaks in “{first.proposal.title}” ({first.room.name}, "
                    f"{_fmt(event, first.start)}) and “{second.proposal.title}” ({second.room.name}, "
                    f"{_fmt(event, second.start)}) at the same time.",
                    (first.proposal.code, second.proposal.code),
                )
            )
    return result


def _speaker_availability(event: Event, sessions: list[Slot]) -> list[Conflict]:
    user_ids = {link.user_id for slot in sessions for link in slot.proposal.speaker_links.all()}
    windows = defaultdict(list)
    for availability in SpeakerAvailability.objects.filter(
        profile__event=event, profile__user_id__in=user_ids
    ).select_related("profile"):
        windows[availability.profile.user_id].append((availability.start, availability.end))
    merged = {user_id: _merge(spans) for user_id, spans in windows.items()}
    result = []
    for slot in sessions:
        for link in slot.proposal.speaker_links.all():
            spans = merged.get(link.user_id)
            if spans and not _within(spans, slot.start, slot.end):
                result.append(
                    Conflict(
                        WARNING,
                        "speaker_unavailable",
                        f"{link.user.name or link.user.email} is not available at "
                        f"{_fmt(event, slot.start)} for “{slot.proposal.title}”.",
                        (slot.proposal.code,),
                    )
                )
    return result


def _room_availability(event: Event, slots: list[Slot]) -> list[Conflict]:
    windows = defaultdict(list)
    for availability in RoomAvailability.objects.filter(room__event=event):
        windows[availability.room_id].append((availability.start, availability.end))
    merged = {room_id: _merge(spans) for room_id, spans in windows.items()}
    result = []
    for slot in slots:
        spans = merged.get(slot.room_id)
        if slot.room_id and spans and not _within(spans, slot.start, slot.end):
            what = slot.proposal.title if slot.proposal_id else slot.title
            result.append(
                Conflict(
                    ERROR,
                    "room_unavailable",
                    f"{slot.room.name} is not available at {_fmt(event, slot.start)} for “{what}”.",
                    (slot.proposal.code,) if slot.proposal_id else (),
                )
            )
    return result


def _event_days(event: Event, slots: list[Slot]) -> list[Conflict]:
    first_start, _ = event.day_range(event.date_from)
    _, last_end = event.day_range(event.date_to)
    result = []
    for slot in slots:
        if slot.start < first_start or slot.end > last_end:
            what = slot.proposal.title if slot.proposal_id else slot.title
            result.append(
                Conflict(
                    ERROR,
                    "outside_event",
                    f"“{what}” at {slot.start.astimezone(event.tz):%Y-%m-%d %H:%M} is outside the "
                    f"event's days ({event.date_from} to {event.date_to}).",
                    (slot.proposal.code,) if slot.proposal_id else (),
                )
            )
    return result


def _plenary_and_breaks(event: Event, slots: list[Slot], sessions: list[Slot]) -> list[Conflict]:
    plenary = [slot for slot in sessions if slot.proposal.session_type.is_plenary]
    breaks = [slot for slot in slots if slot.kind == SlotKind.BREAK and slot.room_id is None]
    result = []
    for blocker, label in [(plenary, "plenary"), (breaks, "break")]:
        for block in blocker:
            for slot in sessions:
                if slot.pk == block.pk or not (slot.start < block.end and block.start < slot.end):
                    continue
                what = block.proposal.title if block.proposal_id else block.title
                result.append(
                    Conflict(
                        ERROR,
                        f"{label}_overlap",
                        f"“{slot.proposal.title}” runs during the {label} “{what}” "
                        f"({_fmt(event, block.start)}), which should be alone in its time.",
                        (slot.proposal.code,),
                    )
                )
    return result


def _capacity_and_length(event: Event, sessions: list[Slot]) -> list[Conflict]:
    stars = dict(
        event.stars.filter(proposal_id__in=[slot.proposal_id for slot in sessions])
        .values_list("proposal_id")
        .annotate(count=Count("id"))
    )
    result = []
    for slot in sessions:
        expected = stars.get(slot.proposal_id, 0)
        if slot.room.capacity is not None and expected > slot.room.capacity:
            result.append(
                Conflict(
                    INFO,
                    "over_capacity",
                    f"“{slot.proposal.title}” has {expected} stars; {slot.room.name} seats {slot.room.capacity}.",
                    (slot.proposal.code,),
                )
            )
        wanted = slot.proposal.session_type.duration_minutes
        if slot.duration_minutes != wanted:
            result.append(
                Conflict(
                    INFO,
                    "length",
                    f"“{slot.proposal.title}” has {slot.duration_minutes} minutes on the schedule; "
                    f"its session type says {wanted}.",
                    (slot.proposal.code,),
                )
            )
    return result
