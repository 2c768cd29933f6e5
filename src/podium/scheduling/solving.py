"""Automatic scheduling of an event's draft: the engine's instance built from the event, and its
solution applied through the schedule services (so every move is checked, audited and announced).

The grid the engine sees is deliberately simple: every event day from DAY_START to DAY_END local
time, cut into steps of the greatest common divisor of the session types' durations (at least
MIN_STEP_MINUTES). A break, or a room's time outside its availability windows, makes the room (every
room, for a break without one) unavailable then; break steps stay on the grid so that the minimum pause
between a speaker's sessions counts real minutes across a break. A session already placed off that grid
(say at 10:10, under a break, or at 19:00) is not moved, nor is one that shares its room with another
as an import's file has it (Slot.shares_room): it stays where it is and blocks its room, and its
speakers at that time and for the pause around it.

The hard rules and preferences come from the event: speakers' windows (those that are not preferred
limit `allowed`, preferred ones give `preferred`), suitable rooms of session types (each limited type T
tags its rooms `type-<pk>` and its sessions require that tag), and `Event.min_pause_minutes` (rounded up
to whole steps). podium.schedule.conflicts flags the same rules in the editor, from the same helpers.
The weights of the soft goals are the organiser's (check_weights, weights_for), else DEFAULT_WEIGHTS.

Ids in the instance are readable and map straight back to the draft: slots are local start times
("2026-06-06T09:30"), rooms "room-<pk>", sessions their proposal code, people "user-<pk>".
"""

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce

from django.db import transaction
from django.utils.translation import gettext as _

from podium.attendance.queries import star_counts
from podium.base.errors import ServiceError
from podium.events.models import Event, RoomAvailability
from podium.proposals.states import SCHEDULABLE
from podium.schedule import services
from podium.schedule.conflicts import merge_windows, no_room_number, speaker_windows, suitable_rooms, within
from podium.schedule.models import Slot, SlotKind
from podium.schedule.queries import latest_release, placed_slots, schedulable_proposals
from podium.scheduling.solver import InstanceError, Solution, load_instance, solve
from podium.scheduling.solver.instance import DEFAULT_WEIGHTS
from podium.scheduling.solver.objective import TERMS, evaluate

DAY_START = dt.time(9, 0)
DAY_END = dt.time(18, 0)
MIN_STEP_MINUTES = 15
AUDIENCE_PER_STAR = 1.6  # stars understate the audience: not everyone who comes stars first
UNKNOWN_CAPACITY = 10_000  # a room without a capacity never overflows
SLOT_ID_FORMAT = "%Y-%m-%dT%H:%M"
WEIGHT_TERMS = tuple(DEFAULT_WEIGHTS)  # the soft goals an organiser can weigh, in the engine's order
# Moving a session from where the latest release published it counts as this many changes plus one for
# each attendee who starred it (the people who planned around it), for every grid step it runs: as if
# each of them missed it. A re-plan moves a published session only when that spares attendees more
# missed favourites (at the default weights), so one cancellation does not re-shuffle the program.
RELEASED_CHANGE_WEIGHT = 5


def _is_weight(value) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value >= 0
    )


def check_weights(weights: dict) -> dict:
    """Every term's weight: those given, the defaults for the rest. ServiceError names an unknown term or
    a value that is not a number of at least 0 (the error's field is `weight_<term>`)."""
    if not isinstance(weights, dict):
        raise ServiceError(_("The weights must map each goal to a number."))
    unknown = [str(term) for term in weights if term not in DEFAULT_WEIGHTS]
    if unknown:
        raise ServiceError(
            _("Unknown weight %(unknown)s: the goals are %(goals)s.")
            % {"unknown": ", ".join(map(repr, unknown)), "goals": ", ".join(WEIGHT_TERMS)}
        )
    for term, value in weights.items():
        if not _is_weight(value):
            raise ServiceError(
                _("The weight of %(term)s must be a number of at least 0, not %(value)r.")
                % {"term": term, "value": value},
                field=f"weight_{term}",
            )
    return {**DEFAULT_WEIGHTS, **weights}


def effective_weights(weights: dict | None) -> dict:
    """Every term's weight: the valid ones given, the defaults for the rest (unknown terms are ignored)."""
    given = weights if isinstance(weights, dict) else {}
    return {
        term: given[term] if _is_weight(given.get(term)) else default
        for term, default in DEFAULT_WEIGHTS.items()
    }


def weights_for(event: Event) -> dict:
    """The weights the event's next run starts from: the organiser's last ones, else the defaults."""
    return effective_weights(event.solver_weights)


def step_minutes(event: Event) -> int:
    """The grid step: the gcd of the session types' durations, never finer than MIN_STEP_MINUTES."""
    durations = list(event.session_types.values_list("duration_minutes", flat=True))
    return max(MIN_STEP_MINUTES, reduce(math.gcd, durations, 0))


def slot_id(moment: dt.datetime, event: Event) -> str:
    return moment.astimezone(event.tz).strftime(SLOT_ID_FORMAT)


def slot_start(ident: str, event: Event) -> dt.datetime:
    """The aware moment a slot id stands for (ids are local times in the event's time zone)."""
    return dt.datetime.strptime(ident, SLOT_ID_FORMAT).replace(tzinfo=event.tz)


def room_id(room) -> str:
    return f"room-{room.pk}"


def person_id(user_id: int) -> str:
    return f"user-{user_id}"


def _overlaps(start, end, other_start, other_end) -> bool:
    return start < other_end and other_start < end


def _grid(event: Event, step: int) -> list[tuple[dt.datetime, dt.datetime]]:
    """Every step of every event day between DAY_START and DAY_END, as aware (start, end) pairs."""
    grid = []
    for day in event.days:
        start = dt.datetime.combine(day, DAY_START, tzinfo=event.tz)
        day_end = dt.datetime.combine(day, DAY_END, tzinfo=event.tz)
        while start + dt.timedelta(minutes=step) <= day_end:
            grid.append((start, start + dt.timedelta(minutes=step)))
            start += dt.timedelta(minutes=step)
    return grid


def _cover(start: dt.datetime, length: int, step: int, starts: set, tz) -> list | None:
    """The grid steps a session of `length` steps starting at `start` takes, or None if off the grid."""
    covered = [start + dt.timedelta(minutes=step * k) for k in range(length)]
    if not all(moment in starts for moment in covered):
        return None
    if len({moment.astimezone(tz).date() for moment in covered}) > 1:
        return None
    return covered


def room_tag(session_type_id: int) -> str:
    """The tag the rooms suited to a session type carry, and its sessions require."""
    return f"type-{session_type_id}"


@dataclass
class _Draft:
    """What the instance is built from, read from the database once."""

    grid: list
    step: int
    rooms: list
    proposals: list
    places: dict  # proposal id -> Slot with a place
    breaks: list  # Slot rows of kind break
    room_windows: dict  # room id -> [(start, end)]
    speaker_windows: dict  # user id -> [(start, end)] they can come (no entry: any time)
    speaker_preferences: dict  # user id -> [(start, end)] they would rather speak
    suitable: dict  # session type id -> {room ids}, for the types limited to some rooms
    pause: dt.timedelta


def _read_draft(event: Event) -> _Draft:
    step = step_minutes(event)
    slots = list(placed_slots(event))
    room_windows = defaultdict(list)
    for window in RoomAvailability.objects.filter(room__event=event):
        room_windows[window.room_id].append((window.start, window.end))
    limits, preferences = speaker_windows(event)
    return _Draft(
        grid=_grid(event, step),
        step=step,
        rooms=list(event.rooms.all()),
        proposals=list(schedulable_proposals(event)),
        places={slot.proposal_id: slot for slot in slots if slot.kind == SlotKind.SESSION},
        breaks=[slot for slot in slots if slot.kind == SlotKind.BREAK],
        room_windows={room: merge_windows(windows) for room, windows in room_windows.items()},
        speaker_windows=limits,
        speaker_preferences=preferences,
        suitable=suitable_rooms(event),
        pause=dt.timedelta(minutes=event.min_pause_minutes),
    )


def build_instance(event: Event, *, keep_pinned: bool = True, weights: dict | None = None) -> dict:
    """The engine's instance (docs/solver-format.md) for the event's draft.

    `keep_pinned` turns pinned slots into pins the engine never moves. The current places always go
    in `current`; whether they are kept ("fill") or only a baseline ("replan") is the solver's `mode`.
    A session still where the latest release published it weighs RELEASED_CHANGE_WEIGHT changes plus
    one per attendee who starred it, so a re-plan keeps the published program unless a move clearly
    pays (the `weight` of its `current` entry).
    `weights` are the soft goals' weights (check them first with check_weights): a term missing or
    not a number of at least 0 gets its default, an unknown term is left out; None means the defaults.
    """
    draft = _read_draft(event)
    step = draft.step
    every_room_breaks = [(b.start, b.end) for b in draft.breaks if b.room_id is None]
    grid = draft.grid
    starts = {start for start, end in grid if not any(_overlaps(start, end, *b) for b in every_room_breaks)}
    candidates, current, obstacles = [], [], []
    for proposal in draft.proposals:
        place = draft.places.get(proposal.pk)
        length = math.ceil(proposal.duration_minutes / step)
        covered = _cover(place.start, length, step, starts, event.tz) if place else None
        if place is not None and (covered is None or place.shares_room):
            # Placed off the grid, or beside another session in its room as an import's file has it
            # (the engine's rooms hold one session at a time): stays, and blocks its room and speakers.
            obstacles.append(place)
            continue
        candidates.append((proposal, length, place, covered))
    rooms = [_room_entry(event, room, grid, draft, obstacles) for room in draft.rooms]
    stars = star_counts(event)
    released = released_places(event)
    sessions = []
    for proposal, length, place, covered in candidates:
        entry = _session_entry(event, proposal, length, grid, draft, obstacles, stars)
        if place is not None:
            where = {"slot": slot_id(place.start, event), "room": room_id(place.room)}
            kept = {"session": proposal.code, **where}
            if released.get(proposal.code) == (place.room_id, place.start):
                kept["weight"] = (RELEASED_CHANGE_WEIGHT + stars.get(proposal.pk, 0)) * length
            current.append(kept)
            if place.pinned and keep_pinned:
                entry["pinned"] = where
                if entry["allowed"] != "all":  # the organiser's pin wins over availability
                    entry["allowed"] = sorted(set(entry["allowed"]) | {slot_id(m, event) for m in covered})
        sessions.append(entry)
    return {
        "slots": [
            {
                "id": slot_id(start, event),
                "start": slot_id(start, event),
                "minutes": step,
                "day": str(start.date()),
            }
            for start, _end in grid
        ],
        "rooms": rooms,
        "sessions": sessions,
        "attendees": _attendees(event, {entry["id"] for entry in sessions}),
        "weights": effective_weights(weights),
        "min_pause_slots": math.ceil(draft.pause / dt.timedelta(minutes=step)),
        "current": current,
        "speaker_names": {
            person_id(link.user_id): link.user.name
            for proposal, *_ in candidates
            for link in proposal.speaker_links.all()
            if link.user.name
        },
    }


def released_places(event: Event) -> dict:
    """{proposal code: (room id, start)} of the sessions the latest release published ({} before one)."""
    release = latest_release(event)
    if release is None:
        return {}
    rows = release.sessions.filter(kind=SlotKind.SESSION).exclude(code="")
    return {code: (room, start) for code, room, start in rows.values_list("code", "room_id", "start")}


def _room_entry(event: Event, room, grid, draft: _Draft, obstacles) -> dict:
    taken = [(b.start, b.end) for b in draft.breaks if b.room_id in (None, room.pk)]
    taken += [(o.start, o.end) for o in obstacles if o.room_id == room.pk]
    windows = draft.room_windows.get(room.pk)
    # A "Room not given" room holds what an import could not place in a real room: the engine places
    # no other session there. It stays open only where its own sessions sit, so they may stay (fill
    # keeps what is placed) or move out to a real room (a re-plan).
    sitting = None
    if no_room_number(room.name):
        sitting = [(slot.start, slot.end) for slot in draft.places.values() if slot.room_id == room.pk]
    unavailable = [
        slot_id(start, event)
        for start, end in grid
        if any(_overlaps(start, end, *t) for t in taken)
        or (windows and not within(windows, start, end))
        or (sitting is not None and not within(sitting, start, end))
    ]
    return {
        "id": room_id(room),
        "capacity": room.capacity if room.capacity is not None else UNKNOWN_CAPACITY,
        "unavailable": unavailable,
        "tags": sorted(room_tag(type_id) for type_id, rooms in draft.suitable.items() if room.pk in rooms),
        "name": room.name,
    }


def _session_entry(event: Event, proposal, length, grid, draft: _Draft, obstacles, stars) -> dict:
    speakers = [link.user_id for link in proposal.speaker_links.all()]
    # A speaker's session that stays where it is blocks them then, and for the pause around it.
    busy = [
        (o.start - draft.pause, o.end + draft.pause)
        for o in obstacles
        if {link.user_id for link in o.proposal.speaker_links.all()} & set(speakers)
    ]
    limited = [draft.speaker_windows[user] for user in speakers if draft.speaker_windows.get(user)]
    if limited or busy:
        allowed = [
            slot_id(start, event)
            for start, end in grid
            if all(within(windows, start, end) for windows in limited)
            and not any(_overlaps(start, end, *b) for b in busy)
        ]
    else:
        allowed = "all"
    entry = {
        "id": proposal.code,
        "title": proposal.title,
        "slots": length,
        "speakers": [person_id(user) for user in speakers],
        "track": proposal.track.name if proposal.track_id else None,
        "plenary": proposal.session_type.is_plenary,
        "allowed": allowed,
        "room_tags": [room_tag(proposal.session_type_id)]
        if proposal.session_type_id in draft.suitable
        else [],
        "pinned": None,
        "audience": round(stars.get(proposal.pk, 0) * AUDIENCE_PER_STAR),
    }
    wishes = [draft.speaker_preferences[user] for user in speakers if draft.speaker_preferences.get(user)]
    preferred = [
        slot_id(start, event) for start, end in grid if all(within(windows, start, end) for windows in wishes)
    ]
    if wishes and preferred:  # preferences no step meets say nothing the engine could act on
        entry["preferred"] = preferred
    return entry


def _attendees(event: Event, codes: set) -> list[dict]:
    starred = defaultdict(list)
    rows = event.stars.filter(proposal__state__in=SCHEDULABLE).values_list("user_id", "proposal__code")
    for user, code in rows.order_by("user_id", "proposal__code"):
        if code in codes:
            starred[user].append(code)
    return [{"id": person_id(user), "starred": codes} for user, codes in starred.items()]


@dataclass
class ApplyReport:
    """What applying a solution does (or did): session codes by outcome, and why some were left out."""

    placed: list = field(default_factory=list)
    moved: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    left_out: list = field(default_factory=list)  # [(code, reason)]
    kept_in_place: list = field(default_factory=list)  # codes left out that keep the place they have


def _targets(event: Event, solution: Solution):
    """[(proposal, room, start)] in the solution's order, with the rooms and proposals of this event."""
    rooms = {room_id(room): room for room in event.rooms.all()}
    proposals = {p.code: p for p in schedulable_proposals(event)}
    targets = []
    for assignment in solution.assignments:
        proposal = proposals.get(assignment["session"])
        room = rooms.get(assignment["room"])
        if proposal is None or room is None:
            raise ServiceError(
                _(
                    "The plan names %(session)r in %(room)r, which this event no longer has as a schedulable "
                    "session and room; plan again."
                )
                % {"session": assignment["session"], "room": assignment["room"]}
            )
        targets.append((proposal, room, slot_start(assignment["slot"], event)))
    return targets


def preview(*, event: Event, solution: Solution) -> ApplyReport:
    """What apply_solution would do, without writing anything."""
    report = ApplyReport(left_out=[(item["session"], item["reason"]) for item in solution.unscheduled])
    places = {
        slot.proposal_id: slot for slot in event.slots.filter(kind=SlotKind.SESSION, start__isnull=False)
    }
    placed_codes = set(event.proposals.filter(pk__in=places).values_list("code", flat=True))
    report.kept_in_place = [code for code, _reason in report.left_out if code in placed_codes]
    for proposal, room, start in _targets(event, solution):
        place = places.get(proposal.pk)
        if place is None:
            report.placed.append(proposal.code)
        elif place.room_id == room.pk and place.start == start:
            report.unchanged.append(proposal.code)
        else:
            report.moved.append(proposal.code)
    return report


def _version(proposal) -> int:
    return Slot.objects.filter(proposal=proposal).values_list("version", flat=True).first() or 0


@transaction.atomic
def apply_solution(*, event: Event, solution: Solution, by) -> ApplyReport:
    """Put the draft where the solution says, through place_session and unschedule_session.

    Every session whose place changes is first taken off the grid, then all are placed in the
    solution's order, so no move meets a place that is about to be freed. One transaction: any
    refusal (a room taken meanwhile, a stale slot) raises ServiceError and nothing is changed.
    Sessions left out keep whatever place they have. Side effects: those of the services (audit
    entries, `slot.changed` webhook deliveries).
    """
    report = preview(event=event, solution=solution)
    changing = set(report.placed) | set(report.moved)
    targets = [target for target in _targets(event, solution) if target[0].code in changing]
    for proposal, _room, _start in targets:
        if proposal.code in report.moved:
            services.unschedule_session(event=event, proposal=proposal, version=_version(proposal), by=by)
    for proposal, room, start in targets:
        try:
            services.place_session(
                event=event, proposal=proposal, room=room, start=start, version=_version(proposal), by=by
            )
        except ServiceError as exc:
            raise ServiceError(
                _("Could not place “%(title)s”: %(why)s Nothing was changed.")
                % {"title": proposal.title, "why": exc.message}
            ) from exc
    return report


def draft_objective(instance) -> dict:
    """The soft terms and weighted total of the draft as it is (a loaded instance's `current`)."""
    before = evaluate(instance, instance.current)
    before["unscheduled"] = len(instance.sessions) - len(instance.current)
    return before


def result_objective(instance, solution: Solution) -> dict:
    """The same terms for the draft as applying `solution` leaves it: its places, and the sessions it
    leaves out where the draft has them (they keep their place)."""
    placed = _result_placement(instance, solution)
    after = evaluate(instance, placed)
    after["unscheduled"] = len(instance.sessions) - len(placed)
    return after


def _result_placement(instance, solution: Solution) -> dict:
    """{session index: (slot index, room index)} of the draft as applying `solution` leaves it."""
    index = instance.session_index
    placed = {
        index[a["session"]]: (instance.slot_index[a["slot"]], instance.room_index[a["room"]])
        for a in solution.assignments
    }
    for item in solution.unscheduled:
        s = index.get(item["session"])
        if s in instance.current:
            placed[s] = instance.current[s]
    return placed


def goal_moves(instance, solution: Solution) -> dict:
    """What each goal bought with the plan's moves, for the preview: {"moves": n, "unattributed": n,
    "terms": {term: {"moves": n, "codes": [...]}}}.

    A move (a session the plan takes from its current place to another) is counted for a goal when
    putting that one session back, everything else as planned, makes the goal worse: the move paid
    for it. A move may count for several goals, and for none when it only makes room for others
    ("unattributed"). The `changes` goal is what the moves cost: every move counts for it.
    """
    after_place = _result_placement(instance, solution)
    after = evaluate(instance, after_place)
    moved = [
        s for s, place in sorted(instance.current.items()) if s in after_place and after_place[s] != place
    ]
    soft = [term for term in TERMS if term != "changes"]
    terms = {term: {"moves": 0, "codes": []} for term in TERMS}
    unattributed = 0
    for s in moved:
        back = evaluate(instance, {**after_place, s: instance.current[s]})
        bought = [term for term in soft if back[term] > after[term] + 1e-9]
        for term in bought:
            terms[term]["moves"] += 1
            terms[term]["codes"].append(instance.sessions[s].id)
        unattributed += not bought
    terms["changes"] = {"moves": len(moved), "codes": [instance.sessions[s].id for s in moved]}
    return {"moves": len(moved), "unattributed": unattributed, "terms": terms}


def check_not_worse(instance, solution: Solution) -> None:
    """Refuse a plan that leaves the draft worse: more sessions unscheduled, or as many and a higher
    weighted total (the same objective, weights and changes, for both). ServiceError says by how much."""
    before, after = draft_objective(instance), result_objective(instance, solution)
    if after["unscheduled"] > before["unscheduled"]:
        raise ServiceError(
            _(
                "The plan found would leave %(after)s sessions unscheduled where the draft has %(before)s, "
                "so it is not offered; the draft stays as it is. Try a longer time limit."
            )
            % {"after": after["unscheduled"], "before": before["unscheduled"]}
        )
    if after["unscheduled"] == before["unscheduled"] and after["total"] > before["total"] + 1e-6:
        raise ServiceError(
            _(
                "The plan found is worse than the draft on the weighted total (%(after)s against %(before)s "
                "now), so it is not offered; the draft stays as it is. Try a longer time limit or other weights."
            )
            % {"after": f"{after['total']:,.0f}", "before": f"{before['total']:,.0f}"}
        )


def plan(
    *,
    event: Event,
    time_limit: float,
    mode: str = "fill",
    keep_pinned: bool = True,
    seed: int = 0,
    weights: dict | None = None,
) -> tuple[dict, Solution, ApplyReport]:
    """Build the instance, solve it and preview the result (nothing is written).

    `weights` (see check_weights) default to the engine's DEFAULT_WEIGHTS. ServiceError when the plan
    would leave the draft worse (check_not_worse).
    """
    if not event.rooms.exists():
        raise ServiceError(_("%(event)s has no rooms; add rooms before scheduling.") % {"event": event.name})
    instance = build_instance(event, keep_pinned=keep_pinned, weights=weights)
    if not instance["sessions"]:
        raise ServiceError(
            _("%(event)s has no accepted or confirmed sessions to schedule.") % {"event": event.name}
        )
    try:
        loaded = load_instance(instance)
    except InstanceError as exc:
        raise ServiceError(
            _("The draft cannot be scheduled as it is: %(reasons)s") % {"reasons": "; ".join(exc.messages)}
        ) from exc
    solution = solve(loaded, time_limit=time_limit, seed=seed, mode=mode)
    check_not_worse(loaded, solution)
    return instance, solution, preview(event=event, solution=solution)
