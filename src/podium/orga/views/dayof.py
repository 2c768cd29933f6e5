"""The day-of page: one column per phone screen, the day's sessions room by room, and three actions
(a room running late, move a session, cancel a session).

Every action takes two steps: the first POST shows what the release would say and the conflicts the
change would add (nothing is saved), the second ("Apply and publish") makes the change and publishes
a quick release in one transaction (podium.schedule.dayof).
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.errors import ServiceError, StaleEdit
from podium.orga.access import event_permission
from podium.orga.forms.schedule import local_moment, parse_day
from podium.schedule import changelog, dayof
from podium.schedule.conflicts import ERROR
from podium.schedule.models import SlotKind
from podium.schedule.queries import placed_slots

can_schedule = event_permission("can_schedule")
ACTIONS = ("delay", "move", "cancel")


class BadInput(Exception):
    """A field of the day-of forms that cannot be read; the message says what to send."""


@dataclass
class RoomColumn:
    room: object
    slots: list


def _board_url(event, day: dt.date | None) -> str:
    url = reverse("orga:dayof", kwargs={"event": event.slug})
    return f"{url}?day={day.isoformat()}" if day else url


def _day(event, text) -> dt.date:
    return parse_day(event, text) or dayof.today(event)


def _board(event, day: dt.date) -> list[RoomColumn]:
    slots = list(placed_slots(event, day))
    columns = []
    for room in event.rooms.order_by("position", "name"):
        mine = [s for s in slots if s.room_id == room.pk or (s.kind == SlotKind.BREAK and s.room_id is None)]
        columns.append(RoomColumn(room=room, slots=mine))
    return columns


@can_schedule
def board(request, event):
    """Today's (or the chosen day's) sessions per room, with the day-of actions."""
    event = request.event
    day = _day(event, request.GET.get("day"))
    return render(
        request,
        "orga/dayof/board.html",
        {
            "event": event,
            "day": day,
            "days": event.days,
            "columns": _board(event, day),
        },
    )


# --- Reading the forms ------------------------------------------------------------------------------


def _int(data, name: str, label: str) -> int:
    try:
        return int(str(data.get(name, "")).strip())
    except ValueError:
        raise BadInput(_("Give %(what)s as a whole number.") % {"what": label}) from None


def _room(event, data):
    text = str(data.get("room", "")).strip()
    room = event.rooms.filter(pk=int(text)).first() if text.isdigit() else None
    if room is None:
        raise BadInput(_("Choose a room of this event."))
    return room


def _proposal(event, data):
    code = str(data.get("code", "")).strip().upper()
    proposal = event.proposals.select_related("session_type").filter(code=code).first() if code else None
    if proposal is None:
        raise BadInput(_("Choose a session of this event."))
    return proposal


def _time(data) -> dt.time:
    try:
        return dt.time.fromisoformat(str(data.get("time", "")).strip())
    except ValueError:
        raise BadInput(_("Write the time as HH:MM, e.g. 10:30.")) from None


def _versions(text: str) -> dict[int, int]:
    """ "12:3,14:1" (slot id: version) as the confirmation step showed them."""
    versions = {}
    for item in filter(None, str(text or "").split(",")):
        slot_id, _colon, version = item.partition(":")
        if not (slot_id.isdigit() and version.isdigit()):
            raise BadInput(_("The confirmation form is damaged; start again from the day-of page."))
        versions[int(slot_id)] = int(version)
    return versions


def _change(event, data, day: dt.date):
    """The change the form describes (a dayof.RoomDelay, SessionMove or SessionCancel)."""
    action = data.get("action")
    if action == "delay":
        return dayof.RoomDelay(
            room=_room(event, data),
            day=day,
            minutes=_int(data, "minutes", _("the delay in minutes")),
            from_code=str(data.get("from_code", "")).strip().upper(),
            versions=_versions(data.get("versions", "")),
        )
    if action == "move":
        proposal = _proposal(event, data)
        return dayof.SessionMove(
            proposal=proposal,
            room=_room(event, data),
            start=local_moment(event, day, _time(data)),
            version=_int(data, "version", _("the version")),
        )
    if action == "cancel":
        proposal = _proposal(event, data)
        return dayof.SessionCancel(proposal=proposal, version=_int(data, "version", _("the version")))
    raise BadInput(_("Choose one of: %(actions)s.") % {"actions": ", ".join(ACTIONS)})


def _fields(event, change, day: dt.date) -> dict:
    """The hidden fields of the confirmation step: the change as it was previewed, versions included."""
    fields = {"day": day.isoformat()}
    if isinstance(change, dayof.RoomDelay):
        affected = change.affected(event)
        fields |= {
            "action": "delay",
            "room": change.room.pk,
            "minutes": change.minutes,
            "from_code": affected[0].proposal.code if affected else change.from_code,
            "versions": ",".join(f"{slot.pk}:{slot.version}" for slot in affected),
        }
    elif isinstance(change, dayof.SessionMove):
        local = change.start.astimezone(event.tz)
        fields |= {
            "action": "move",
            "code": change.proposal.code,
            "room": change.room.pk,
            "time": f"{local:%H:%M}",
            "version": change.version,
        }
    else:
        fields |= {"action": "cancel", "code": change.proposal.code, "version": change.version}
    return fields


@can_schedule
@require_POST
def change(request, event):
    """Step 1 (no `apply`): the preview to confirm. Step 2 (`apply`): change and publish."""
    event = request.event
    day = _day(event, request.POST.get("day"))
    try:
        wanted = _change(event, request.POST, day)
        if "apply" in request.POST:
            release = dayof.apply_and_publish(
                event=event, by=request.user, change=wanted, comment=request.POST.get("comment", "")
            )
        else:
            preview = dayof.preview_change(event=event, by=request.user, change=wanted)
            fields = _fields(event, wanted, day)
    except StaleEdit as exc:
        messages.error(request, exc.message)
        return redirect(_board_url(event, day))
    except (BadInput, ServiceError) as exc:
        messages.error(request, getattr(exc, "message", None) or str(exc))
        return redirect(_board_url(event, day))
    if "apply" in request.POST:
        counts = release.counts()
        parts = ", ".join(f"{counts[kind]} {changelog.KIND_LABELS[kind].lower()}" for kind in changelog.KINDS)
        detail = f" {release.detail}" if release.detail else ""
        text = _("Published %(name)s (%(comment)s): %(parts)s.") % {
            "name": release.name,
            "comment": release.comment,
            "parts": parts,
        }
        messages.success(request, text + detail)
        return redirect(_board_url(event, day))
    return render(
        request,
        "orga/dayof/confirm.html",
        {
            "event": event,
            "day": day,
            "preview": preview,
            "changes": changelog.readable(preview.changes, event.tz),
            "errors": [c for c in preview.new_conflicts if c.severity == ERROR],
            "notes": [c for c in preview.new_conflicts if c.severity != ERROR],
            "fields": fields,
            "back_url": _board_url(event, day),
        },
    )
