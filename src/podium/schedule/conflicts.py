"""Warnings about the draft schedule, with severities, in a fixed number of queries.

The database already refuses two slots in one room at once; these are the rules it cannot check:
people in two places (and the minimum pause between their sessions), availability, suitable rooms,
event days, plenary sessions, breaks, tracks, speakers' preferred times, capacity, sessions an import
left in "Room not given", and sessions an import put side by side in one room (Slot.shares_room).

The scheduling engine's instance (podium.scheduling.solving) is built from the same data with the same
helpers below (`speaker_windows`, `suitable_rooms`), so a rule the solver keeps is the rule flagged here;
docs/schedule.md maps each rule to its severity and instance field.
"""

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import dateformat
from django.utils.translation import gettext as _

from podium.events.models import Event, RoomAvailability, SessionType
from podium.proposals.models import SpeakerAvailability
from podium.schedule.models import Slot, SlotKind
from podium.schedule.queries import placed_slots

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

# The room an import puts the sessions its file gives no room ("Room not given"; "Room not given 2", …
# for those that overlap there). A session in one is flagged until the organiser gives it a room.
NO_ROOM = "Room not given"
_NO_ROOM_NAME = re.compile(rf"{NO_ROOM}(?: ([2-9]|[1-9][0-9]+))?", re.IGNORECASE)


def no_room_number(name: str) -> int:
    """1 for "Room not given", N for "Room not given N", 0 for any other room name."""
    match = _NO_ROOM_NAME.fullmatch(name.strip())
    if match is None:
        return 0
    return int(match.group(1) or 1)


def no_room_name(number: int) -> str:
    """The name of the `number`th room for sessions without a room (see `no_room_number`)."""
    return NO_ROOM if number == 1 else f"{NO_ROOM} {number}"


@dataclass(frozen=True)
class Conflict:
    severity: str
    kind: str
    message: str
    codes: tuple[str, ...] = ()


def _fmt(event: Event, moment: dt.datetime) -> str:
    """ "Fri 14:20" in the event's time zone, the weekday in the active language."""
    return dateformat.format(moment.astimezone(event.tz), "D H:i")


def merge_windows(windows) -> list[tuple[dt.datetime, dt.datetime]]:
    """Windows joined where they touch or overlap, so a session across two back-to-back windows is inside."""
    merged: list[list[dt.datetime]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def within(windows, start, end) -> bool:
    return any(w_start <= start and end <= w_end for w_start, w_end in windows)


def speaker_windows(event: Event, user_ids=None) -> tuple[dict, dict]:
    """({user id: merged windows they can come}, {user id: merged windows they prefer}), in one query.

    Only windows that are not `preferred` limit a speaker: someone who only said when they would rather
    speak is still available all event long.
    """
    rows = SpeakerAvailability.objects.filter(profile__event=event)
    if user_ids is not None:
        rows = rows.filter(profile__user_id__in=user_ids)
    limits, preferences = defaultdict(list), defaultdict(list)
    for user_id, start, end, preferred in rows.values_list("profile__user_id", "start", "end", "preferred"):
        (preferences if preferred else limits)[user_id].append((start, end))
    return (
        {user_id: merge_windows(spans) for user_id, spans in limits.items()},
        {user_id: merge_windows(spans) for user_id, spans in preferences.items()},
    )


def suitable_rooms(event: Event) -> dict[int, set[int]]:
    """{session type id: ids of its suitable rooms} for the types limited to some rooms, in one query."""
    rooms = defaultdict(set)
    links = SessionType.rooms.through.objects.filter(sessiontype__event=event)
    for type_id, room_id in links.values_list("sessiontype_id", "room_id"):
        rooms[type_id].add(room_id)
    return dict(rooms)


def _close_pairs(slots: list[Slot], pause: dt.timedelta):
    """Pairs of slots that overlap in time or are less than `pause` apart, sweeping over start times
    (fine for the few slots per person)."""
    ordered = sorted(slots, key=lambda slot: slot.start)
    for index, slot in enumerate(ordered):
        for other in ordered[index + 1 :]:
            if other.start >= slot.end + pause:
                break
            yield slot, other


def find_conflicts(event: Event, slots: list[Slot] | None = None) -> list[Conflict]:
    """Every rule the draft breaks, most severe first. Pass `slots` (from placed_slots) to reuse them."""
    slots = list(placed_slots(event)) if slots is None else slots
    sessions = [slot for slot in slots if slot.kind == SlotKind.SESSION]
    conflicts: list[Conflict] = []
    conflicts += _people_twice(event, sessions)
    conflicts += _speaker_windows(event, sessions)
    conflicts += _room_availability(event, slots)
    conflicts += _unsuitable_rooms(event, sessions)
    conflicts += _event_days(event, slots)
    conflicts += _plenary_and_breaks(event, slots, sessions)
    conflicts += _tracks(event, sessions)
    conflicts += _capacity_and_length(event, sessions)
    conflicts += _room_not_given(sessions)
    conflicts += _room_shared(event, slots)
    conflicts.sort(key=lambda c: (SEVERITY_ORDER[c.severity], c.kind, c.message))
    return conflicts


def _name(link) -> str:
    return link.user.name or link.user.email


def _people_twice(event: Event, sessions: list[Slot]) -> list[Conflict]:
    """A person in two sessions at once (error), or with less than the event's minimum pause between two
    sessions of one day (warning)."""
    by_person = defaultdict(list)
    names = {}
    for slot in sessions:
        for link in slot.proposal.speaker_links.all():
            by_person[link.user_id].append(slot)
            names[link.user_id] = _name(link)
    pause = dt.timedelta(minutes=event.min_pause_minutes)
    result = []
    for user_id, person_slots in by_person.items():
        for first, second in _close_pairs(person_slots, pause):
            codes = (first.proposal.code, second.proposal.code)
            if second.start < first.end and first.start < second.end:
                result.append(
                    Conflict(
                        ERROR,
                        "speaker_twice",
                        _(
                            "%(name)s speaks in “%(first)s” (%(first_room)s, %(first_start)s) and "
                            "“%(second)s” (%(second_room)s, %(second_start)s) at the same time."
                        )
                        % {
                            "name": names[user_id],
                            "first": first.proposal.title,
                            "first_room": first.room.name,
                            "first_start": _fmt(event, first.start),
                            "second": second.proposal.title,
                            "second_room": second.room.name,
                            "second_start": _fmt(event, second.start),
                        },
                        codes,
                    )
                )
            elif event.conference_day(first.start) == event.conference_day(second.start):
                earlier, later = sorted((first, second), key=lambda slot: slot.end)
                gap = int((later.start - earlier.end).total_seconds() // 60)
                result.append(
                    Conflict(
                        WARNING,
                        "speaker_pause",
                        _(
                            "%(name)s has %(gap)s minutes between “%(earlier)s” (until %(end)s) and "
                            "“%(later)s” (%(start)s); the event asks for at least %(pause)s."
                        )
                        % {
                            "name": names[user_id],
                            "gap": gap,
                            "earlier": earlier.proposal.title,
                            "end": _fmt(event, earlier.end),
                            "later": later.proposal.title,
                            "start": _fmt(event, later.start),
                            "pause": event.min_pause_minutes,
                        },
                        codes,
                    )
                )
    return result


def _speaker_windows(event: Event, sessions: list[Slot]) -> list[Conflict]:
    """A session outside a speaker's availability (warning) or outside their preferred times (info)."""
    user_ids = {link.user_id for slot in sessions for link in slot.proposal.speaker_links.all()}
    limits, preferences = speaker_windows(event, user_ids)
    result = []
    for slot in sessions:
        for link in slot.proposal.speaker_links.all():
            spans = limits.get(link.user_id)
            if spans and not within(spans, slot.start, slot.end):
                result.append(
                    Conflict(
                        WARNING,
                        "speaker_unavailable",
                        _("%(name)s is not available at %(start)s for “%(title)s”.")
                        % {
                            "name": _name(link),
                            "start": _fmt(event, slot.start),
                            "title": slot.proposal.title,
                        },
                        (slot.proposal.code,),
                    )
                )
            preferred = preferences.get(link.user_id)
            if preferred and not within(preferred, slot.start, slot.end):
                result.append(
                    Conflict(
                        INFO,
                        "speaker_preference",
                        _(
                            "“%(title)s” (%(start)s) is outside the times %(name)s would rather speak: %(spans)s."
                        )
                        % {
                            "title": slot.proposal.title,
                            "start": _fmt(event, slot.start),
                            "name": _name(link),
                            "spans": _spans(event, preferred),
                        },
                        (slot.proposal.code,),
                    )
                )
    return result


def _spans(event: Event, windows) -> str:
    """Windows as "Fri 09:00-13:00, Sat 13:00-18:00" (with en dashes) in the event's time zone."""
    return ", ".join(
        f"{_fmt(event, start)}–{dateformat.format(end.astimezone(event.tz), 'H:i')}"  # noqa: RUF001 - an en dash
        for start, end in windows
    )


def _unsuitable_rooms(event: Event, sessions: list[Slot]) -> list[Conflict]:
    """A session in a room its session type is not suited to (error)."""
    suitable = suitable_rooms(event)
    if not suitable:
        return []
    names = dict(event.rooms.values_list("pk", "name"))
    result = []
    for slot in sessions:
        session_type = slot.proposal.session_type
        rooms = suitable.get(session_type.pk)
        if rooms and slot.room_id not in rooms:
            listed = ", ".join(sorted(names[pk] for pk in rooms))
            result.append(
                Conflict(
                    ERROR,
                    "unsuitable_room",
                    _("“%(title)s” is a %(type)s in %(room)s; %(type)s sessions belong in %(rooms)s.")
                    % {
                        "title": slot.proposal.title,
                        "type": session_type.name,
                        "room": slot.room.name,
                        "rooms": listed,
                    },
                    (slot.proposal.code,),
                )
            )
    return result


def _room_availability(event: Event, slots: list[Slot]) -> list[Conflict]:
    windows = defaultdict(list)
    for availability in RoomAvailability.objects.filter(room__event=event):
        windows[availability.room_id].append((availability.start, availability.end))
    merged = {room_id: merge_windows(spans) for room_id, spans in windows.items()}
    result = []
    for slot in slots:
        spans = merged.get(slot.room_id)
        if slot.room_id and spans and not within(spans, slot.start, slot.end):
            what = slot.proposal.title if slot.proposal_id else slot.title
            result.append(
                Conflict(
                    ERROR,
                    "room_unavailable",
                    _("%(room)s is not available at %(start)s for “%(title)s”.")
                    % {"room": slot.room.name, "start": _fmt(event, slot.start), "title": what},
                    (slot.proposal.code,) if slot.proposal_id else (),
                )
            )
    return result


def _event_days(event: Event, slots: list[Slot]) -> list[Conflict]:
    first_start, _first_end = event.day_range(event.date_from)
    _last_start, last_end = event.day_range(event.date_to)
    result = []
    for slot in slots:
        if slot.start < first_start or slot.end > last_end:
            what = slot.proposal.title if slot.proposal_id else slot.title
            result.append(
                Conflict(
                    ERROR,
                    "outside_event",
                    _("“%(title)s” at %(start)s is outside the event's days (%(first)s to %(last)s).")
                    % {
                        "title": what,
                        "start": f"{slot.start.astimezone(event.tz):%Y-%m-%d %H:%M}",
                        "first": event.date_from,
                        "last": event.date_to,
                    },
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
                        (
                            _(
                                "“%(title)s” runs during the plenary “%(what)s” (%(start)s), which should be alone in its time."
                            )
                            if label == "plenary"
                            else _(
                                "“%(title)s” runs during the break “%(what)s” (%(start)s), which should be alone in its time."
                            )
                        )
                        % {"title": slot.proposal.title, "what": what, "start": _fmt(event, block.start)},
                        (slot.proposal.code,),
                    )
                )
    return result


def _tracks(event: Event, sessions: list[Slot]) -> list[Conflict]:
    """A track running against itself (warning), and a track spread over several rooms in a day (info)."""
    by_track = defaultdict(list)
    for slot in sessions:
        if slot.proposal.track_id:
            by_track[slot.proposal.track_id].append(slot)
    result = []
    for track_slots in by_track.values():
        track = track_slots[0].proposal.track
        for group in _running_together(track_slots):
            listed = ", ".join(f"“{slot.proposal.title}” ({slot.room.name})" for slot in group)
            result.append(
                Conflict(
                    WARNING,
                    "track_clash",
                    _("The track %(track)s runs against itself at %(start)s: %(sessions)s.")
                    % {"track": track.name, "start": _fmt(event, group[0].start), "sessions": listed},
                    tuple(slot.proposal.code for slot in group),
                )
            )
        by_day = defaultdict(list)
        for slot in track_slots:
            by_day[event.conference_day(slot.start)].append(slot)
        for day, day_slots in sorted(by_day.items()):
            uses = defaultdict(list)
            for slot in day_slots:
                uses[slot.room].append(slot)
            if len(uses) < 2:
                continue
            ordered = sorted(uses, key=lambda room: (-len(uses[room]), room.position, room.name))
            result.append(
                Conflict(
                    INFO,
                    "track_rooms",
                    _(
                        "The track %(track)s uses %(count)s rooms on %(day)s: %(rooms)s; it could stay in %(room)s."
                    )
                    % {
                        "track": track.name,
                        "count": len(uses),
                        "day": dateformat.format(day, "D d M"),
                        "rooms": ", ".join(f"{room.name} ({len(uses[room])})" for room in ordered),
                        "room": ordered[0].name,
                    },
                    tuple(slot.proposal.code for room in ordered[1:] for slot in uses[room]),
                )
            )
    return result


def _running_together(slots: list[Slot]) -> list[list[Slot]]:
    """Groups of two or more slots joined by overlapping in time, each in start order."""
    groups, current, current_end = [], [], None
    for slot in sorted(slots, key=lambda slot: (slot.start, slot.room.position, slot.pk)):
        if current and slot.start < current_end:
            current.append(slot)
            current_end = max(current_end, slot.end)
            continue
        if len(current) > 1:
            groups.append(current)
        current, current_end = [slot], slot.end
    if len(current) > 1:
        groups.append(current)
    return groups


def _room_not_given(sessions: list[Slot]) -> list[Conflict]:
    """A session in a "Room not given" room: the import's file named no room for it (warning)."""
    return [
        Conflict(
            WARNING,
            "room_not_given",
            _("“%(title)s” is in %(room)s: the imported file gave it no room. Move it to a room.")
            % {"title": slot.proposal.title, "room": slot.room.name},
            (slot.proposal.code,),
        )
        for slot in sessions
        if no_room_number(slot.room.name)
    ]


def _room_shared(event: Event, slots: list[Slot]) -> list[Conflict]:
    """Slots an import put in one room at one time, as its file has them (see Slot.shares_room): one
    warning per room and group of overlapping slots, until an organiser moves them apart."""
    by_room: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        if slot.shares_room and slot.room_id is not None:
            by_room[slot.room_id].append(slot)
    result = []
    for room_slots in by_room.values():
        for group in _running_together(room_slots):
            titles = _(" and ").join(
                f"“{slot.title if slot.kind == SlotKind.BREAK else slot.proposal.title}”" for slot in group
            )
            first = group[0]
            result.append(
                Conflict(
                    WARNING,
                    "room_shared",
                    _(
                        "%(titles)s share %(room)s at %(start)s, as the imported file has them. "
                        "Keep them if the room holds both, or move one."
                    )
                    % {
                        "titles": titles,
                        "room": first.room.name,
                        "start": _fmt(event, max(s.start for s in group)),
                    },
                    tuple(slot.proposal.code for slot in group if slot.proposal_id),
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
                    _("“%(title)s” has %(stars)s stars; %(room)s seats %(capacity)s.")
                    % {
                        "title": slot.proposal.title,
                        "stars": expected,
                        "room": slot.room.name,
                        "capacity": slot.room.capacity,
                    },
                    (slot.proposal.code,),
                )
            )
        wanted = slot.proposal.session_type.duration_minutes
        if slot.duration_minutes != wanted:
            result.append(
                Conflict(
                    INFO,
                    "length",
                    _(
                        "“%(title)s” has %(minutes)s minutes on the schedule; its session type says %(wanted)s."
                    )
                    % {"title": slot.proposal.title, "minutes": slot.duration_minutes, "wanted": wanted},
                    (slot.proposal.code,),
                )
            )
    return result
