"""Schedule use cases: place, move and unschedule sessions, breaks, and publishing a release.

Every edit of a slot carries the version the editor saw. A slot that changed since is refused with
a StaleEdit that says where the session is now, so two organisers never overwrite each other.
"""

import datetime as dt
import uuid as uuids
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from podium.base import audit, metrics
from podium.base.errors import ServiceError, StaleEdit
from podium.events.models import Event, Room
from podium.proposals.models import Proposal
from podium.proposals.states import SCHEDULABLE
from podium.schedule import changelog, rules, signals
from podium.schedule.live import announce_release
from podium.schedule.models import Release, ReleasedSession, ReleasedSpeaker, Slot, SlotKind
from podium.schedule.queries import latest_release, left_out_slots
from podium.schedule.snapshot import build_snapshot, released_dicts
from podium.webhooks import payloads as webhook_payloads
from podium.webhooks.services import emit as emit_webhook

MAX_BREAK_MINUTES = 24 * 60


def span(event: Event, start: dt.datetime, end: dt.datetime) -> str:
    """A time span in the event's time zone for messages, e.g. "Sat 10:00-10:30" with an en dash."""
    local_start, local_end = timezone.localtime(start, event.tz), timezone.localtime(end, event.tz)
    return f"{formats.date_format(local_start, 'D H:i')}\u2013{local_end:%H:%M}"


def describe_place(slot: Slot | None) -> str:
    """Where a slot is now, in words for a conflict message."""
    if slot is None or slot.start is None:
        return _("it is not on the schedule")
    if not slot.room_id:
        return _("it is now in every room, %(span)s") % {"span": span(slot.event, slot.start, slot.end)}
    return _("it is now in %(room)s, %(span)s") % {
        "room": slot.room.name,
        "span": span(slot.event, slot.start, slot.end),
    }


def _stale(slot: Slot | None, what: str) -> StaleEdit:
    return StaleEdit(
        _(
            "Someone else changed “%(title)s” since you loaded the schedule; %(place)s. "
            "Your change was not applied: look at the schedule as it is now and try again."
        )
        % {"title": what, "place": describe_place(slot)}
    )


def _normalise(moment: dt.datetime) -> dt.datetime:
    if timezone.is_naive(moment):
        raise ServiceError(_("A start time needs a time zone."), field="start")
    return moment.astimezone(dt.UTC).replace(second=0, microsecond=0)


def _refuse_overlap(event: Event, room: Room, start, end, *, exclude: Slot | None) -> None:
    """A readable refusal when the room (or every room, for a break) is taken; the database checks too."""
    taken = event.slots.filter(start__lt=end, end__gt=start).filter(
        Q(room=room) | Q(kind=SlotKind.BREAK, room__isnull=True)
    )
    # A cancelled or withdrawn session's slot keeps its place but no longer holds the room.
    taken = taken.filter(Q(kind=SlotKind.BREAK) | Q(proposal__state__in=SCHEDULABLE))
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    other = taken.select_related("proposal", "room").order_by("start").first()
    if other is None:
        return
    when = span(event, other.start, other.end)
    if other.kind == SlotKind.BREAK and other.room_id is None:
        raise ServiceError(
            _("%(when)s is the break “%(title)s” in every room.") % {"when": when, "title": other.title},
            field="start",
        )
    what = other.title if other.kind == SlotKind.BREAK else other.proposal.title
    raise ServiceError(
        _("%(room)s is taken %(when)s by “%(title)s”.") % {"room": room.name, "when": when, "title": what},
        field="start",
    )


def _release_dead_places(event: Event, room: Room | None, start, end) -> None:
    """Clear the places of cancelled or withdrawn sessions in the way (they would still hold the room)."""
    dead = event.slots.filter(kind=SlotKind.SESSION, start__lt=end, end__gt=start).exclude(
        proposal__state__in=SCHEDULABLE
    )
    if room is not None:
        dead = dead.filter(room=room)
    dead.update(room=None, start=None, end=None, pinned=False, version=F("version") + 1)


def _save_place(slot: Slot, *, room, start, end, version: int, what: str) -> Slot:
    """Compare-and-set the slot's place: refused if its version moved on (another editor saved)."""
    try:
        with transaction.atomic():
            if slot.pk is None:
                slot.room, slot.start, slot.end = room, start, end
                slot.save()
                return slot
            # A place chosen here is the editor's own: it no longer shares its room (see Slot.shares_room).
            # An unplaced session has no place to keep, so taking it off the grid drops its pin.
            unpin = {"pinned": False} if start is None else {}
            updated = Slot.objects.filter(pk=slot.pk, version=version).update(
                room=room, start=start, end=end, shares_room=False, version=F("version") + 1, **unpin
            )
    except IntegrityError as exc:
        current = (
            Slot.objects.filter(event=slot.event, proposal=slot.proposal).first()
            if slot.proposal_id
            else None
        )
        if slot.pk is None and current is not None:
            raise _stale(current, what) from exc  # someone placed it at the same moment
        raise ServiceError(
            (
                _("%(room)s is taken at that time (someone placed a session there meanwhile).")
                % {"room": room.name}
                if room
                else _("A room is taken at that time (someone placed a session there meanwhile).")
            ),
            field="start",
        ) from exc
    if not updated:
        raise _stale(Slot.objects.select_related("room", "event").filter(pk=slot.pk).first(), what)
    slot.refresh_from_db()
    return slot


@transaction.atomic
def place_session(
    *, event: Event, proposal: Proposal, room: Room, start: dt.datetime, version: int, by
) -> Slot:
    """Put a session in a room at a time, or move it there. `version` is the slot version the editor
    saw (0 for a session that never had a place).

    Refused when the session is not accepted or confirmed, when the room is taken, and when the slot
    changed since `version` (StaleEdit naming where it is now). Side effects: audit entry, a
    `slot.changed` webhook delivery per endpoint.
    """
    rules.check_can_schedule(by, event)
    if proposal.event_id != event.pk:
        raise ServiceError(_("Choose a session of this event."))
    if room.event_id != event.pk:
        raise ServiceError(_("Choose a room of this event."), field="room")
    if proposal.state not in SCHEDULABLE:
        raise ServiceError(
            _("“%(title)s” is %(state)s; only accepted and confirmed sessions go on the schedule.")
            % {"title": proposal.title, "state": proposal.get_state_display().lower()}
        )
    start = _normalise(start)
    end = start + dt.timedelta(minutes=proposal.session_type.duration_minutes)
    slot = Slot.objects.select_related("room", "event").filter(event=event, proposal=proposal).first()
    if (slot.version if slot else 0) != version:
        raise _stale(slot, proposal.title)
    before = describe_place(slot)
    _release_dead_places(event, room, start, end)
    _refuse_overlap(event, room, start, end, exclude=slot)
    slot = _save_place(
        slot or Slot(event=event, proposal=proposal, kind=SlotKind.SESSION),
        room=room,
        start=start,
        end=end,
        version=version,
        what=proposal.title,
    )
    audit.record(
        action="slot.placed",
        actor=by,
        target=proposal,
        event_id=event.pk,
        room=room.name,
        start=start.isoformat(),
        before=before,
    )
    emit_webhook(
        event=event,
        kind="slot.changed",
        payload=webhook_payloads.slot_changed(code=proposal.code, room=room, start=start, end=end),
    )
    return slot


@dataclass(frozen=True)
class Placement:
    """Where `place_sessions` puts one session: a room and [start, end). `uuid` is the UUID its slot
    gets when the session has none yet (an import keeps the source's guid)."""

    proposal: Proposal
    room: Room
    start: dt.datetime
    end: dt.datetime
    uuid: uuids.UUID | None = None


@dataclass
class Placed:
    """What `place_sessions` did: slots created and moved, placements already where they were, the
    ones placed beside another slot of their room (with its title), and the ones refused (with why)."""

    created: list[Slot] = field(default_factory=list)
    moved: list[Slot] = field(default_factory=list)
    unchanged: list[Slot] = field(default_factory=list)
    shared: list[tuple[Placement, str]] = field(default_factory=list)
    refused: list[tuple[Placement, str]] = field(default_factory=list)


def _occupant(slot: Slot) -> str:
    return slot.title if slot.kind == SlotKind.BREAK else slot.proposal.title


@transaction.atomic
def place_sessions(*, event: Event, placements: list[Placement], by, share_rooms: bool = False) -> Placed:
    """Place or move many sessions at once, checked against the draft in memory (an import).

    Every session that moves is first taken off the grid, so swaps never collide. A placement whose
    room is taken is refused with the editor's words, unless `share_rooms`: then it is placed beside
    what is there, and both slots are marked `shares_room` (the source has them so; the editor flags
    them until an organiser moves one). Places of cancelled or withdrawn sessions in the way are
    cleared, as in the editor. Sessions that are not accepted or confirmed are refused.
    Side effects: one audit entry. No webhook per slot and no notices: the release that follows
    carries the changes to apps and people.
    """
    rules.check_can_schedule(by, event)
    result = Placed()
    wanted: dict[int, Placement] = {}
    for placement in placements:
        reason = ""
        if placement.proposal.event_id != event.pk or placement.room.event_id != event.pk:
            reason = _("the session or room belongs to another event")
        elif placement.proposal.state not in SCHEDULABLE:
            reason = _("it is %(state)s") % {"state": placement.proposal.get_state_display().lower()}
        elif placement.proposal.pk in wanted:
            reason = _("the session is given two places")
        elif placement.end <= placement.start:
            reason = _("it ends before it starts")
        if reason:
            result.refused.append((placement, reason))
        else:
            wanted[placement.proposal.pk] = placement
    slots = {
        slot.proposal_id: slot
        for slot in Slot.objects.select_for_update()
        .filter(event=event, proposal_id__in=list(wanted))
        .order_by("pk")
    }
    moving = {}
    for pk, placement in wanted.items():
        slot = slots.get(pk)
        start, end = _normalise(placement.start), _normalise(placement.end)
        if slot is not None and (slot.room_id, slot.start, slot.end) == (placement.room.pk, start, end):
            result.unchanged.append(slot)
        else:
            moving[pk] = Placement(placement.proposal, placement.room, start, end, placement.uuid)
    # Off the grid first (unpinned: a refused one stays unplaced); those placed again keep their pin
    # (bulk_update below writes it back from the slots as they were read).
    Slot.objects.filter(event=event, proposal_id__in=list(moving), start__isnull=False).update(
        room=None, start=None, end=None, shares_room=False, pinned=False, version=F("version") + 1
    )
    grid = list(
        event.slots.filter(start__isnull=False)
        .exclude(proposal_id__in=list(moving))
        .select_related("proposal", "room")
    )
    holding = [s for s in grid if s.kind == SlotKind.BREAK or s.proposal.state in SCHEDULABLE]
    dead = [s for s in grid if s.kind == SlotKind.SESSION and s.proposal.state not in SCHEDULABLE]
    in_room: dict[int, list[Slot]] = {}
    for slot in holding:
        in_room.setdefault(slot.room_id, []).append(slot)
    marked: set[int] = set()  # ids of slots on the grid that now share their room
    cleared: set[int] = set()  # ids of dead places in the way
    for pk, placement in moving.items():
        start, end = placement.start, placement.end
        others = [
            s
            for s in (*in_room.get(placement.room.pk, []), *in_room.get(None, []))
            if s.start < end and s.end > start
        ]
        if others and not share_rooms:
            other = others[0]
            when = span(event, other.start, other.end)
            if other.room_id is None:
                reason = _("%(when)s is the break “%(title)s” in every room") % {
                    "when": when,
                    "title": other.title,
                }
            else:
                reason = _("%(room)s is taken %(when)s by “%(title)s”") % {
                    "room": placement.room.name,
                    "when": when,
                    "title": _occupant(other),
                }
            result.refused.append((placement, reason))
            continue
        shares = any(other.room_id is not None for other in others)
        for other in others:
            if other.room_id is not None:
                marked.add(id(other))
        if shares:
            result.shared.append((placement, _occupant(next(o for o in others if o.room_id is not None))))
        cleared |= {s.pk for s in dead if s.room_id == placement.room.pk and s.start < end and s.end > start}
        slot = slots.get(pk)
        if slot is None:
            slot = Slot(event=event, proposal=placement.proposal, kind=SlotKind.SESSION)
            if placement.uuid is not None:
                slot.uuid = placement.uuid
            result.created.append(slot)
        else:
            slot.version += 1
            result.moved.append(slot)
        slot.room, slot.start, slot.end = placement.room, start, end
        in_room.setdefault(placement.room.pk, []).append(slot)
        if shares:
            marked.add(id(slot))
    if cleared:
        Slot.objects.filter(pk__in=cleared).update(
            room=None, start=None, end=None, shares_room=False, pinned=False, version=F("version") + 1
        )
    # Slots already on the grid are marked before anything lands beside them (the database allows an
    # overlap only between two marked slots).
    neighbours = [s for s in holding if id(s) in marked and not s.shares_room]
    Slot.objects.filter(pk__in=[s.pk for s in neighbours]).update(shares_room=True, version=F("version") + 1)
    for slot in (*result.moved, *result.created):
        slot.shares_room = id(slot) in marked
    Slot.objects.bulk_update(
        result.moved, ["room", "start", "end", "shares_room", "pinned", "version"], batch_size=500
    )
    Slot.objects.bulk_create(result.created, batch_size=500)
    audit.record(
        action="slot.placed_many",
        actor=by,
        target=event,
        event_id=event.pk,
        created=len(result.created),
        moved=len(result.moved),
        shared=len(result.shared),
        refused=len(result.refused),
    )
    return result


@transaction.atomic
def unschedule_session(*, event: Event, proposal: Proposal, version: int, by) -> Slot:
    """Take a session off the grid (back to the unscheduled list). Side effects: audit entry, a
    `slot.changed` webhook delivery per endpoint."""
    rules.check_can_schedule(by, event)
    slot = Slot.objects.select_related("room", "event").filter(event=event, proposal=proposal).first()
    if slot is None or slot.version != version:
        raise _stale(slot, proposal.title)
    if slot.start is None:
        return slot
    before = describe_place(slot)
    slot = _save_place(slot, room=None, start=None, end=None, version=version, what=proposal.title)
    audit.record(action="slot.unscheduled", actor=by, target=proposal, event_id=event.pk, before=before)
    emit_webhook(
        event=event,
        kind="slot.changed",
        payload=webhook_payloads.slot_changed(code=proposal.code, room=None, start=None, end=None),
    )
    return slot


@transaction.atomic
def save_break(
    *,
    event: Event,
    by,
    title: str,
    room: Room | None,
    start: dt.datetime,
    end: dt.datetime,
    slot: Slot | None = None,
    version: int = 0,
) -> Slot:
    """Create or change a break, in one room or (room None) in every room.

    A break in every room may not cover a session, nor a room break another slot of that room.
    Side effects: audit entry.
    """
    rules.check_can_schedule(by, event)
    title = title.strip()
    if not title:
        raise ServiceError(_("Give the break a title, e.g. Lunch."), field="title")
    if room is not None and room.event_id != event.pk:
        raise ServiceError(_("Choose a room of this event."), field="room")
    if slot is not None and (slot.event_id != event.pk or slot.kind != SlotKind.BREAK):
        raise ServiceError(_("Choose a break of this event."))
    start, end = _normalise(start), _normalise(end)
    if end <= start:
        raise ServiceError(_("A break ends after it starts."), field="end")
    if end - start > dt.timedelta(minutes=MAX_BREAK_MINUTES):
        raise ServiceError(_("A break lasts at most a day."), field="end")
    if slot is not None and slot.version != version:
        raise _stale(Slot.objects.select_related("room", "event").get(pk=slot.pk), slot.title)
    _release_dead_places(event, room, start, end)
    if room is not None:
        _refuse_overlap(event, room, start, end, exclude=slot)
    else:
        covered = (
            event.slots.filter(start__lt=end, end__gt=start)
            .filter(Q(kind=SlotKind.BREAK) | Q(proposal__state__in=SCHEDULABLE))
            .exclude(pk=slot.pk if slot else None)
            .select_related("proposal", "room")
            .order_by("start")
            .first()
        )
        if covered is not None:
            what = covered.title if covered.kind == SlotKind.BREAK else covered.proposal.title
            raise ServiceError(
                _("“%(title)s” is on the schedule at that time; a break in every room cannot cover it.")
                % {"title": what},
                field="start",
            )
    if slot is None:
        slot = Slot(event=event, kind=SlotKind.BREAK)
    slot.title = title
    if slot.pk is not None:
        Slot.objects.filter(pk=slot.pk).update(title=title)
    slot = _save_place(slot, room=room, start=start, end=end, version=version, what=title)
    audit.record(
        action="break.saved",
        actor=by,
        target=slot,
        event_id=event.pk,
        title=title,
        room=room.name if room else "every room",
        start=start.isoformat(),
        end=end.isoformat(),
    )
    return slot


@transaction.atomic
def delete_break(*, event: Event, slot: Slot, version: int, by) -> None:
    """Remove a break. Side effects: audit entry."""
    rules.check_can_schedule(by, event)
    if slot.event_id != event.pk or slot.kind != SlotKind.BREAK:
        raise ServiceError(_("Choose a break of this event."))
    if not Slot.objects.filter(pk=slot.pk, version=version).delete()[0]:
        raise _stale(Slot.objects.select_related("room", "event").filter(pk=slot.pk).first(), slot.title)
    audit.record(action="break.deleted", actor=by, event_id=event.pk, title=slot.title)


# --- Releases --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseCheck:
    """What the event's publishing rule does to the next release (see queries.published_states).

    `left_out`: placed sessions the release leaves out because they are not confirmed (a warning:
    they go public once confirmed). `blocked`: those of them the latest release shows; publishing
    would announce them as cancelled though nobody cancelled them, so it is refused until they are
    confirmed, taken off the schedule, or the event publishes accepted sessions too."""

    left_out: list[Slot]
    blocked: list[Slot]

    def refusal(self) -> str:
        titles = ", ".join(f"“{slot.proposal.title}”" for slot in self.blocked)
        return ngettext(
            "Not published: %(titles)s is in the published schedule but not confirmed, and this event "
            "publishes only confirmed sessions, so the release would announce them as cancelled. Ask the "
            "speakers to confirm, take the sessions off the schedule, or let the event publish accepted "
            "sessions too (event settings).",
            "Not published: %(titles)s are in the published schedule but not confirmed, and this event "
            "publishes only confirmed sessions, so the release would announce them as cancelled. Ask the "
            "speakers to confirm, take the sessions off the schedule, or let the event publish accepted "
            "sessions too (event settings).",
            len(self.blocked),
        ) % {"titles": titles}


def release_check(event: Event) -> ReleaseCheck:
    """The sessions the next release leaves out by the event's rule, and those that block it."""
    left_out = left_out_slots(event)
    previous = latest_release(event)
    shown = set()
    if previous is not None and left_out:
        shown = set(previous.sessions.filter(kind=SlotKind.SESSION).values_list("code", flat=True))
    return ReleaseCheck(left_out=left_out, blocked=[s for s in left_out if s.proposal.code in shown])


@metrics.times_release_publish
def publish_release(*, event: Event, by, name: str = "", comment: str = "", force: bool = False) -> Release:
    """Publish the draft as the next release: an immutable snapshot with its changelog.

    Only the sessions the event's rule publishes go into it (confirmed ones, or accepted ones too:
    `Event.publish_unconfirmed`); refused when the rule would withdraw a published session that
    nobody cancelled (see ReleaseCheck). Refused when nothing public changed since the last release,
    unless `force`. Releases of one
    event are numbered one after the other (the event row is locked while publishing).
    Side effects: audit entry; the `release_published` signal, on which the notices app queues the
    release's notices in the outbox (notices/services.py: one mail
    with an iCal file per speaker whose session is new, moved, cancelled, or changed in duration or
    speakers, one per opted-in attendee whose starred sessions changed); a `release.published`
    webhook delivery per endpoint; after commit, a live message to the event's open pages.
    """
    rules.check_can_schedule(by, event)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        previous = latest_release(locked)
        check = release_check(locked)
        if check.blocked:
            raise ServiceError(check.refusal())
        version = previous.version + 1 if previous else 1
        name = (name or "").strip() or f"v{version}"
        if len(name) > 100:
            raise ServiceError(_("A release name has at most 100 characters."), field="name")
        if locked.releases.filter(name=name).exists():
            raise ServiceError(
                _("A release is already named “%(name)s”; choose another name.") % {"name": name},
                field="name",
            )
        snapshot = build_snapshot(locked)
        digest = changelog.fingerprint(snapshot.public_payload())
        if previous is not None and previous.fingerprint == digest and not force:
            raise ServiceError(_("Nothing public changed since release %(name)s.") % {"name": previous.name})
        changes = changelog.diff_sessions(
            released_dicts(previous) if previous else {}, snapshot.session_dicts()
        )
        release = Release.objects.create(
            event=locked,
            version=version,
            name=name,
            comment=comment.strip(),
            published_at=timezone.now(),
            published_by=by,
            changes=changes,
            rooms=snapshot.rooms,
            tracks=snapshot.tracks,
            fingerprint=digest,
        )
        for row in (*snapshot.sessions, *snapshot.speakers):
            row.release = release
        ReleasedSession.objects.bulk_create(snapshot.sessions, batch_size=500)
        ReleasedSpeaker.objects.bulk_create(snapshot.speakers, batch_size=500)
        release.notices = signals.notify_release(release=release, changes=changes)
        audit.record(
            action="release.published",
            actor=by,
            target=release,
            event_id=event.pk,
            name=name,
            sessions=len(snapshot.sessions),
            notices=release.notices.get("speakers", 0),
            attendee_notices=release.notices.get("attendees", 0),
            **release.counts(),
        )
        emit_webhook(
            event=locked, kind="release.published", payload=webhook_payloads.release_published(release)
        )
        transaction.on_commit(lambda: announce_release(release))
    return release


# --- Pins ------------------------------------------------------------------------------------------


@transaction.atomic
def set_pinned(*, event: Event, proposal: Proposal, pinned: bool, version: int, by) -> Slot:
    """Pin a session where it is on the draft (automatic scheduling then leaves it there), or unpin it.

    `version` is the slot version the editor saw; a slot that changed since is refused with a
    StaleEdit naming where it is now. Only a session on the schedule can be pinned (there is nowhere
    to keep an unplaced one); unpinning is always allowed. Pinning changes the slot's version, so a
    plan made before it no longer applies. Side effects: audit entry (`slot.pinned` or `slot.unpinned`)
    when the pin changes; nothing when it is already as asked.
    """
    rules.check_can_schedule(by, event)
    if proposal.event_id != event.pk:
        raise ServiceError(_("Choose a session of this event."))
    slot = Slot.objects.select_related("room", "event").filter(event=event, proposal=proposal).first()
    pinned = bool(pinned)
    if slot is None and version == 0:
        raise ServiceError(
            _("“%(title)s” is not on the schedule, so it has no pin to change.") % {"title": proposal.title}
        )
    if slot is None or slot.version != version:
        raise _stale(slot, proposal.title)
    if pinned and slot.start is None:
        raise ServiceError(
            _("“%(title)s” is not on the schedule; place it first, then pin it where it is.")
            % {"title": proposal.title}
        )
    if slot.pinned == pinned:
        return slot
    if not Slot.objects.filter(pk=slot.pk, version=version).update(pinned=pinned, version=F("version") + 1):
        raise _stale(Slot.objects.select_related("room", "event").filter(pk=slot.pk).first(), proposal.title)
    slot.refresh_from_db()
    audit.record(
        action="slot.pinned" if pinned else "slot.unpinned",
        actor=by,
        target=proposal,
        event_id=event.pk,
        place=describe_place(slot),
    )
    return slot
