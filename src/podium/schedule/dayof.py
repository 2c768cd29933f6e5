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
class RoomDelay:
    """A room runs `minutes` late: its sessions on `day` from `from_code`'s (or from `now`) move later.

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
                    f"Choose a session of {self.room.name} on this day to start from.", field="from_code"
                )
            return sessions[codes.index(self.from_code) :]
        now = self.now or timezone.now()
        return [slot for slot in sessions if slot.start >= now]

    def describe(self, event: Event) -> str:
        return f"{self.room.name} running {self.minutes} minutes late"

    def codes(self, event: Event) -> set[str]:
        return {slot.proposal.code for slot in self.affected(event)}

    def apply(self, *, event: Event, by) -> None:
        if self.room.event_id != event.pk:
            raise ServiceError("Choose a room of this event.", field="room")
        if not 1 <= self.minutes <= MAX_DELAY_MINUTES:
            raise ServiceError(f"Give a delay between 1 and {MAX_DELAY_MINUTES} minutes.", field="minutes")
        sessions = self.affected(event)
        if not sessions:
            raise ServiceError(f"{self.room.name} has no more sessions on this day to shift.")
        delta = dt.timedelta(minutes=self.minutes)
        # The last session moves first, so no session is ever moved onto the one after it.
        for slot in reversed(sessions):
            version = self.versions.get(slot.pk, slot.version)
            try:
                services.place_session(
                    event=event,
                    proposal=slot.proposal,
                    room=self.room,
                    start=slot.start + delta,
                    version=version,
                    by=by,
                )
            except StaleEdit:
                raise
            except ServiceError as exc:
                raise ServiceError(
                    f"{self.room.name} cannot run {self.minutes} minutes late: “{slot.proposal.title}” "
                    f"would start at {_local(event, slot.start + delta)}: {exc.message} Nothing was changed.",
                    field="minutes",
                ) from exc


@dataclass(frozen=True)
class SessionMove:
    """One session to another room and/or time (the slot version the organiser saw)."""

    proposal: Proposal
    room: Room
    start: dt.datetime
    version: int

    def describe(self, event: Event) -> str:
        end = self.start + dt.timedelta(minutes=self.proposal.session_type.duration_minutes)
        return f"“{self.proposal.title}” moved to {self.room.name}, {services.span(event, self.start, end)}"

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
        return f"“{self.proposal.title}” cancelled"

    def codes(self, event: Event) -> set[str]:
        return {self.proposal.code}

    def apply(self, *, event: Event, by) -> None:
        if self.proposal.event_id != event.pk:
            raise ServiceError("Choose a session of this event.")
        current = Proposal.objects.select_for_update().get(pk=self.proposal.pk)
        if current.version != self.version:
            raise StaleEdit(
                f"Someone else changed “{current.title}” since you loaded the page; it is now "
                f"{current.get_state_display().lower()}. Your change was not applied."
            )
        if current.state not in SCHEDULABLE:
            raise ServiceError(f"“{current.title}” is not on the program; there is nothing to cancel.")
        set_state_as_organiser(proposal=current, to_state=ProposalState.CANCELLED, by=by)


DayOfChange = RoomDelay | SessionMove | SessionCancel


@dataclass(frozen=True)
class Preview:
    """What applying a change and publishing would do: the changelog and the conflicts it adds."""

    description: str
    changes: list[dict]
    new_conflicts: list[Conflict]
    changed: bool


class _Rollback(Exception):
    pass


def preview_change(*, event: Event, by, change: DayOfChange) -> Preview:
    """Apply `change` in a transaction that is rolled back, and read the release it would make.

    Refused (ServiceError, StaleEdit) exactly as applying would be. Writes nothing.
    """
    rules.check_can_schedule(by, event)
    before = {(c.kind, c.message) for c in find_conflicts(event)}
    description = change.describe(event)
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
    )


def apply_and_publish(*, event: Event, by, change: DayOfChange, comment: str = "") -> Release:
    """Make a day-of change and publish it as a quick release, in one transaction.

    The release comment says what happened (e.g. "Room 101 running 15 minutes late") unless one is
    given. If the change is refused or the release fails, nothing is saved. Side effects: those of
    the services applied (audit entries, webhook deliveries) and of publish_release (notices to the
    speakers and to attendees who starred the sessions, `release.published` webhook).
    """
    rules.check_can_schedule(by, event)
    with transaction.atomic():
        description = change.describe(event)
        change.apply(event=event, by=by)
        return services.publish_release(
            event=event,
            by=by,
            comment=(comment or "").strip() or f"{description[:1].upper()}{description[1:]}.",
        )
