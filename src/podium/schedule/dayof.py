"""Day-of changes: a room running late, a session moved or cancelled, published straight away.

Each change is a small value (`RoomDelay`, `SessionMove`, `SessionCancel`) that knows how to apply
itself through the ordinary services (place_session, the proposal state machine), so the same rules,
conflict checks and stale-version refusals hold as in the editor. `preview_change` applies it in a
transaction that is always rolled back and reports what the release would say; `apply_and_publish`
applies it and publishes a quick release in one transaction, so a change is never public without
its release, and a failed release leaves the draft as it was.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.base.errors import ServiceError, StaleEdit
from podium.events.models import Event, Room
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from podium.proposals.services import set_state_as_organiser
from podium.proposals.states import SCHEDULABLE
from podium.schedule import rules, services
from podium.schedule.conflicts import Conflict, find_conflicts
from podium.schedule.models import Release, Slot, SlotKind
from podium.schedule.queries import placed_slots
from podium.schedule.snapshot import preview_release

MAX_DELAY_MINUTES = 240
# The least a break keeps when a late room shortens it (time to leave and change rooms).
MIN_BREAK_MINUTES = 5


def _local(event: Event, moment: dt.datetime) -> str:
    return timezone.localtime(moment, event.tz).strftime("%H:%M")


def today(event: Event, now: dt.datetime | None = None) -> dt.date:
    """The conference day shown by default: the current one during the event, else the nearest day."""
    day = event.conference_day(now or timezone.now())
    return min(max(day, event.date_from), event.date_to)


def room_sessions(event: Event, room: Room, day: dt.date) -> list[Slot]:
    """The sessions of one room on one conference day, in order (cancelled ones are not on the grid)."""
    return [
        slot for slot in placed_slots(event, day) if slot.kind == SlotKind.SESSION and slot.room_id == room.pk
    ]


@dataclass(frozen=True)
class Shift:
    """One slot of a late room in its new place: a session later, or a break starting later (shorter)."""

    slot: Slot
    start: dt.datetime
    end: dt.datetime


@dataclass(frozen=True)
class DelayPlan:
    """What a room running late does: the sessions it shifts, the break it shortens, and where the
    delay ends (`absorbed_by`: the sentence naming a break, the free time before one, or the end of the day)."""

    shifts: list[Shift]
    absorbed_by: str

    @property
    def sessions(self) -> list[Shift]:
        return [shift for shift in self.shifts if shift.slot.kind == SlotKind.SESSION]

    @property
    def breaks(self) -> list[Shift]:
        return [shift for shift in self.shifts if shift.slot.kind == SlotKind.BREAK]


def _title(slot: Slot) -> str:
    return slot.title if slot.kind == SlotKind.BREAK else slot.proposal.title


def _room_timeline(event: Event, room: Room, day: dt.date) -> list[Slot]:
    """The room's slots on one day in order: its sessions, its own breaks and the breaks in every room."""
    return [
        slot
        for slot in placed_slots(event, day)
        if slot.room_id == room.pk or (slot.kind == SlotKind.BREAK and slot.room_id is None)
    ]


@dataclass(frozen=True)
class RoomDelay:
    """A room runs `minutes` late: its sessions on `day` from `from_code`'s (or from `now`) move later.

    The room's following sessions all shift by the delay up to its next break (or the end of the day,
    where the last session ends later). The break absorbs the delay: any free time before it first,
    then the break itself, which starts later and keeps its end, so it gets shorter; it keeps at least
    MIN_BREAK_MINUTES (time to change rooms), and what that does not absorb continues after the break,
    pushing the sessions that follow it in the same way. A break in every room is only shortened in
    this room: it becomes one break per room, and the other rooms keep theirs as they were.
    Refused only for a real clash: a shifted session whose speaker is then in another session, or a
    room taken by something else (the editor's own check).

    `versions` ({slot id: version}) are the slots as the organiser saw them; a slot changed since is
    refused like in the editor. Without versions (the first, preview step) the current ones are used.
    """

    room: Room
    day: dt.date
    minutes: int
    from_code: str = ""
    now: dt.datetime | None = None
    versions: dict[int, int] = field(default_factory=dict)

    def affected(self, event: Event) -> list[Slot]:
        sessions = room_sessions(event, self.room, self.day)
        if self.from_code:
            codes = [slot.proposal.code for slot in sessions]
            if self.from_code not in codes:
                raise ServiceError(
                    _("Choose a session of %(room)s on this day to start from.") % {"room": self.room.name},
                    field="from_code",
                )
            return sessions[codes.index(self.from_code) :]
        now = self.now or timezone.now()
        return [slot for slot in sessions if slot.start >= now]

    def describe(self, event: Event) -> str:
        return _("%(room)s running %(minutes)s minutes late") % {
            "room": self.room.name,
            "minutes": self.minutes,
        }

    def codes(self, event: Event) -> set[str]:
        return {shift.slot.proposal.code for shift in self.plan(event).sessions}

    def _check(self, event: Event) -> None:
        if self.room.event_id != event.pk:
            raise ServiceError(_("Choose a room of this event."), field="room")
        if not 1 <= self.minutes <= MAX_DELAY_MINUTES:
            raise ServiceError(
                _("Give a delay between 1 and %(most)s minutes.") % {"most": MAX_DELAY_MINUTES},
                field="minutes",
            )

    def plan(self, event: Event) -> DelayPlan:
        """Where each slot of the room goes (nothing is written)."""
        self._check(event)
        sessions = self.affected(event)
        if not sessions:
            raise ServiceError(
                _("%(room)s has no more sessions on this day to shift.") % {"room": self.room.name}
            )
        first = sessions[0]
        timeline = [slot for slot in _room_timeline(event, self.room, self.day) if slot.start >= first.start]
        shortest = dt.timedelta(minutes=MIN_BREAK_MINUTES)
        carry = dt.timedelta(minutes=self.minutes)  # how much later the room's next session starts
        ready = first.start  # when the room is free for the next slot, once shifted
        shifts: list[Shift] = []
        absorbed_by = _("The end of the day absorbs the delay.")
        for slot in timeline:
            if slot.kind == SlotKind.SESSION:
                if slot.room_id == self.room.pk:
                    shifts.append(Shift(slot, slot.start + carry, slot.end + carry))
                    ready = slot.end + carry
                continue
            if ready <= slot.start:
                absorbed_by = _("The free time before the break “%(title)s” absorbs the delay.") % {
                    "title": slot.title
                }
                break
            if slot.end - ready >= shortest:
                shifts.append(Shift(slot, ready, slot.end))
                absorbed_by = _("The break “%(title)s” absorbs the delay.") % {"title": slot.title}
                break
            shifts.append(Shift(slot, ready, ready + shortest))
            carry = ready + shortest - slot.end
            ready += shortest
        plan = DelayPlan(shifts=shifts, absorbed_by=absorbed_by)
        self._refuse_speaker_clashes(event, plan)
        return plan

    def _refuse_speaker_clashes(self, event: Event, plan: DelayPlan) -> None:
        moving = {shift.slot.pk for shift in plan.sessions}
        others = [
            slot
            for slot in placed_slots(event, self.day)
            if slot.kind == SlotKind.SESSION and slot.pk not in moving
        ]
        for shift in plan.sessions:
            people = {link.user_id: link for link in shift.slot.proposal.speaker_links.all()}
            for other in others:
                if not (other.start < shift.end and shift.start < other.end):
                    continue
                if other.start < shift.slot.end and shift.slot.start < other.end:
                    continue  # they clashed before: not this change's doing
                shared = [
                    people[link.user_id]
                    for link in other.proposal.speaker_links.all()
                    if link.user_id in people
                ]
                if shared:
                    name = shared[0].user.name or _("a speaker")
                    raise ServiceError(
                        _(
                            "%(room)s cannot run %(minutes)s minutes late: “%(title)s” would start at %(start)s, "
                            "when %(name)s speaks in “%(other)s” (%(other_room)s, %(other_start)s). "
                            "Nothing was changed; move one of them instead."
                        )
                        % {
                            "room": self.room.name,
                            "minutes": self.minutes,
                            "title": shift.slot.proposal.title,
                            "start": _local(event, shift.start),
                            "name": name,
                            "other": other.proposal.title,
                            "other_room": other.room.name,
                            "other_start": _local(event, other.start),
                        },
                        field="minutes",
                    )

    def explain(self, event: Event) -> str:
        """What the delay shifts, in words: "Shifts “A” to 10:45, “B” to 11:15; the break “Lunch” in
        Room 101 now runs from 12:15 to 13:00. The break “Lunch” absorbs the delay."""
        plan = self.plan(event)
        parts = [
            _("“%(title)s” to %(start)s") % {"title": s.slot.proposal.title, "start": _local(event, s.start)}
            for s in plan.sessions
        ]
        text = _("Shifts %(sessions)s") % {"sessions": ", ".join(parts)} if parts else _("Shifts nothing")
        for shift in plan.breaks:
            text += _("; the break “%(title)s” in %(room)s now runs %(start)s–%(end)s") % {  # noqa: RUF001
                "title": shift.slot.title,
                "room": self.room.name,
                "start": _local(event, shift.start),
                "end": _local(event, shift.end),
            }
        return f"{text}. {plan.absorbed_by}"

    def apply(self, *, event: Event, by) -> None:
        plan = self.plan(event)
        # Everything moves later, so the last slot moves first and nothing lands on the one after it.
        for shift in reversed(plan.shifts):
            slot = shift.slot
            try:
                if slot.kind == SlotKind.BREAK:
                    self._shorten_break(event, slot, shift, by=by)
                    continue
                services.place_session(
                    event=event,
                    proposal=slot.proposal,
                    room=self.room,
                    start=shift.start,
                    version=self.versions.get(slot.pk, slot.version),
                    by=by,
                )
            except StaleEdit:
                raise
            except ServiceError as exc:
                raise ServiceError(
                    _(
                        "%(room)s cannot run %(minutes)s minutes late: “%(title)s” would start at %(start)s: %(why)s Nothing was changed."
                    )
                    % {
                        "room": self.room.name,
                        "minutes": self.minutes,
                        "title": _title(slot),
                        "start": _local(event, shift.start),
                        "why": exc.message,
                    },
                    field="minutes",
                ) from exc

    def _shorten_break(self, event: Event, slot: Slot, shift: Shift, *, by) -> None:
        """The break starts later in this room; a break in every room becomes one per room first."""
        if slot.room_id is None:
            services.delete_break(event=event, slot=slot, version=slot.version, by=by)
            for room in event.rooms.order_by("position", "name"):
                if room.pk != self.room.pk:
                    services.save_break(
                        event=event, by=by, title=slot.title, room=room, start=slot.start, end=slot.end
                    )
            services.save_break(
                event=event, by=by, title=slot.title, room=self.room, start=shift.start, end=shift.end
            )
            return
        services.save_break(
            event=event,
            by=by,
            title=slot.title,
            room=self.room,
            start=shift.start,
            end=shift.end,
            slot=slot,
            version=slot.version,
        )


@dataclass(frozen=True)
class SessionMove:
    """One session to another room and/or time (the slot version the organiser saw)."""

    proposal: Proposal
    room: Room
    start: dt.datetime
    version: int

    def describe(self, event: Event) -> str:
        end = self.start + dt.timedelta(minutes=self.proposal.session_type.duration_minutes)
        return _("“%(title)s” moved to %(room)s, %(span)s") % {
            "title": self.proposal.title,
            "room": self.room.name,
            "span": services.span(event, self.start, end),
        }

    def codes(self, event: Event) -> set[str]:
        return {self.proposal.code}

    def apply(self, *, event: Event, by) -> None:
        services.place_session(
            event=event,
            proposal=self.proposal,
            room=self.room,
            start=self.start,
            version=self.version,
            by=by,
        )


@dataclass(frozen=True)
class SessionCancel:
    """Cancel a session: the proposal becomes cancelled (its slot stays in the draft, see
    docs/schedule.md). `version` is the proposal version the organiser saw."""

    proposal: Proposal
    version: int

    def describe(self, event: Event) -> str:
        return _("“%(title)s” cancelled") % {"title": self.proposal.title}

    def codes(self, event: Event) -> set[str]:
        return {self.proposal.code}

    def apply(self, *, event: Event, by) -> None:
        if self.proposal.event_id != event.pk:
            raise ServiceError(_("Choose a session of this event."))
        current = Proposal.objects.select_for_update().get(pk=self.proposal.pk)
        if current.version != self.version:
            raise StaleEdit(
                _(
                    "Someone else changed “%(title)s” since you loaded the page; it is now %(state)s. "
                    "Your change was not applied."
                )
                % {"title": current.title, "state": current.get_state_display().lower()}
            )
        if current.state not in SCHEDULABLE:
            raise ServiceError(
                _("“%(title)s” is not on the program; there is nothing to cancel.") % {"title": current.title}
            )
        set_state_as_organiser(proposal=current, to_state=ProposalState.CANCELLED, by=by)


DayOfChange = RoomDelay | SessionMove | SessionCancel


@dataclass(frozen=True)
class Preview:
    """What applying a change and publishing would do: the changelog and the conflicts it adds."""

    description: str
    changes: list[dict]
    new_conflicts: list[Conflict]
    changed: bool
    detail: str = ""  # what a late room shifts, in words (RoomDelay.explain)


def _detail(event: Event, change: DayOfChange) -> str:
    return change.explain(event) if isinstance(change, RoomDelay) else ""


class _Rollback(Exception):
    pass


def preview_change(*, event: Event, by, change: DayOfChange) -> Preview:
    """Apply `change` in a transaction that is rolled back, and read the release it would make.

    Refused (ServiceError, StaleEdit) exactly as applying would be. Writes nothing.
    """
    rules.check_can_schedule(by, event)
    before = {(c.kind, c.message) for c in find_conflicts(event)}
    description = change.describe(event)
    detail = _detail(event, change)
    result: dict = {}
    try:
        with transaction.atomic():
            change.apply(event=event, by=by)
            result["changes"], result["changed"] = preview_release(event)
            result["conflicts"] = [c for c in find_conflicts(event) if (c.kind, c.message) not in before]
            raise _Rollback
    except _Rollback:
        pass
    return Preview(
        description=description,
        changes=result["changes"],
        new_conflicts=result["conflicts"],
        changed=result["changed"],
        detail=detail,
    )


def apply_and_publish(*, event: Event, by, change: DayOfChange, comment: str = "") -> Release:
    """Make a day-of change and publish it as a quick release, in one transaction.

    The release comment says what happened (e.g. "Room 101 running 15 minutes late") unless one is
    given; the release's `detail` says what a late room shifted (RoomDelay.explain). If the change is refused or the release fails, nothing is saved. Side effects: those of
    the services applied (audit entries, webhook deliveries) and of publish_release (notices to the
    speakers and to attendees who starred the sessions, `release.published` webhook).
    """
    rules.check_can_schedule(by, event)
    with transaction.atomic():
        description = change.describe(event)
        detail = _detail(event, change)
        change.apply(event=event, by=by)
        release = services.publish_release(
            event=event,
            by=by,
            comment=(comment or "").strip() or f"{description[:1].upper()}{description[1:]}.",
        )
    release.detail = detail
    return release
