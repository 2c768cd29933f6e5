"""Room screens: what is on now and next in one room (outside its door) or in every room (the lobby).

They read the latest release only. The page carries the room's released sessions as JSON, so the
screen advances with the clock on its own (rooms.js, every 30 s) and follows releases live (live.js)
without ever reloading.
"""

import datetime as dt
import math
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from podium.base.permissions import public
from podium.schedule import changelog
from podium.schedule.models import SlotKind
from podium.schedule.queries import latest_release
from podium.site.views.common import public_event


@dataclass
class Shown:
    """A released session or break as a room screen shows it."""

    code: str
    title: str
    kind: str
    speakers: str
    start: dt.datetime
    end: dt.datetime
    late_from: dt.datetime | None  # its start in the release before, when this release moved it later

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "kind": self.kind,
            "speakers": self.speakers,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "late_from": self.late_from.isoformat() if self.late_from else None,
        }


def moved_later(release) -> dict[str, dt.datetime]:
    """{code: start before} for the sessions this release moved to a later start (running late)."""
    late = {}
    for change in release.changes:
        if change["kind"] != changelog.MOVED or not change.get("old") or not change.get("new"):
            continue
        old, new = (
            dt.datetime.fromisoformat(change["old"]["start"]),
            dt.datetime.fromisoformat(change["new"]["start"]),
        )
        if new > old:
            late[change["code"]] = old
    return late


def _shown(session, late: dict) -> Shown:
    return Shown(
        code=session.code,
        title=session.title,
        kind=session.kind,
        speakers=", ".join(s["name"] for s in session.speakers or []),
        start=session.start,
        end=session.end,
        late_from=late.get(session.code) if session.kind == SlotKind.SESSION else None,
    )


def now_and_next(timeline: list[Shown], moment: dt.datetime) -> tuple[Shown | None, Shown | None]:
    """The session running at `moment` (if any) and the first one starting after it."""
    current = next((s for s in timeline if s.start <= moment < s.end), None)
    upcoming = next((s for s in timeline if s.start > moment), None)
    return current, upcoming


def minutes_until(moment: dt.datetime, later: dt.datetime) -> int:
    """Whole minutes from `moment` to `later`, rounded up (a screen never says 0 min while it runs)."""
    return max(0, math.ceil((later - moment).total_seconds() / 60))


def _slot_context(timeline: list[Shown], moment: dt.datetime, tz) -> dict:
    current, upcoming = now_and_next(timeline, moment)
    return {
        "current": current,
        "next": upcoming,
        "minutes_left": minutes_until(moment, current.end) if current else None,
        "minutes_to_next": minutes_until(moment, upcoming.start) if upcoming else None,
        "next_other_day": bool(
            upcoming and moment.astimezone(tz).date() != upcoming.start.astimezone(tz).date()
        ),
    }


def _released_or_404(event):
    release = latest_release(event)
    if release is None:
        raise Http404("The program is not public yet.")
    return release


def _timelines(release) -> dict[str | None, list[Shown]]:
    """Every room's sessions in time order (key None: breaks in every room), from one query."""
    late = moved_later(release)
    rooms: dict[str | None, list[Shown]] = {}
    for session in release.sessions.order_by("start", "id"):
        key = str(session.room_uuid) if session.room_uuid else None
        rooms.setdefault(key, []).append(_shown(session, late))
    return rooms


def _room_timeline(timelines: dict, room_uuid: str) -> list[Shown]:
    return sorted(timelines.get(room_uuid, []) + timelines.get(None, []), key=lambda s: (s.start, s.end))


@public
def room_now(request, event, room):
    """One room's screen: now, next, time left, a notice when the program runs late."""
    event = public_event(event)
    release = _released_or_404(event)
    info = next((r for r in release.rooms if str(r["uuid"]) == str(room)), None)
    if info is None:
        raise Http404("No such room in the published program.")
    timeline = _room_timeline(_timelines(release), str(room))
    moment = timezone.now()
    return render(
        request,
        "site/rooms/room_now.html",
        {
            "event": event,
            "release": release,
            "room": info,
            "now": moment,
            "slots": _slot_context(timeline, moment, event.tz),
            "screen_data": {
                "timezone": event.timezone,
                "rooms": [{"uuid": str(info["uuid"]), "sessions": [s.as_json() for s in timeline]}],
            },
        },
    )


@public
def rooms_now(request, event):
    """The lobby screen: every room with what is on now and next."""
    event = public_event(event)
    release = _released_or_404(event)
    timelines = _timelines(release)
    moment = timezone.now()
    rows = []
    for info in release.rooms:
        timeline = _room_timeline(timelines, str(info["uuid"]))
        rows.append({"room": info, "timeline": timeline, **_slot_context(timeline, moment, event.tz)})
    return render(
        request,
        "site/rooms/rooms_now.html",
        {
            "event": event,
            "release": release,
            "rows": rows,
            "now": moment,
            "screen_data": {
                "timezone": event.timezone,
                "rooms": [
                    {"uuid": str(r["room"]["uuid"]), "sessions": [s.as_json() for s in r["timeline"]]}
                    for r in rows
                ],
            },
        },
    )
