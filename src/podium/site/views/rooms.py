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
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from podium.base.bidi import isolated
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
    speakers: list[str]  # names, each shown isolated in its own direction
    start: dt.datetime
    end: dt.datetime
    notice: str = ""  # what the latest release changed of its place: running late, moved here from…

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "kind": self.kind,
            "speakers": self.speakers,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "notice": self.notice,
        }


@dataclass
class MovedAway:
    """A session the latest release moved out of a room, shown on that room's screen until the end of
    its old time (people wait for it at the old door)."""

    code: str
    start: dt.datetime  # its old place in this room
    end: dt.datetime
    text: str


@dataclass
class Moves:
    """What the latest release's moves say on the room screens."""

    notices: dict[str, str]  # {code: notice on the session where it is now}
    left: dict[str, list[MovedAway]]  # {room uuid: the sessions that left that room}


def _day(moment: dt.datetime) -> str:
    return dateformat.format(moment, "l j F")


def _when(moment: dt.datetime, other: dt.datetime) -> str:
    """`moment`'s time, and its date too when it is not on `other`'s day."""
    if moment.date() == other.date():
        return f"{moment:%H:%M}"
    return f"{_day(moment)}, {moment:%H:%M}"


def release_moves(release, tz) -> Moves:
    """The notices of the sessions the release moved (times in the time zone `tz`):

    - to another room: "Moved here from Room 301" on the session (with its old time if that changed
      too), and "“Title” (16:10) moved to Room 317" on the room it left;
    - later on the same day in the same room: "Running late: was 16:10";
    - otherwise in the same room: "Moved to 15:40 (was 16:10)", with the dates when the day changed.
    """
    moves = Moves(notices={}, left={})
    for change in release.changes:
        if change["kind"] != changelog.MOVED or not change.get("old") or not change.get("new"):
            continue
        old, new = changelog.parse_place(change["old"]), changelog.parse_place(change["new"])
        old_start, new_start = old["start"].astimezone(tz), new["start"].astimezone(tz)
        # Compared as moments: two local times of one zone compare on the clock face (02:30 twice).
        moved_in_time, later = old["start"] != new["start"], new["start"] > old["start"]
        if str(old["room_uuid"]) != str(new["room_uuid"]):
            room = isolated(old["room"]) if old["room"] else _("another room")
            if moved_in_time:
                notice = _("Moved here from %(room)s (was %(when)s)") % {
                    "room": room,
                    "when": _when(old_start, new_start),
                }
            else:
                notice = _("Moved here from %(room)s") % {"room": room}
            if old["room_uuid"]:
                values = {
                    "title": isolated(change["title"]),
                    "when": _when(old_start, old_start),
                    "room": isolated(new["room"]),
                }
                if moved_in_time:
                    values["new_when"] = _when(new_start, old_start)
                    text = _("“%(title)s” (%(when)s) moved to %(room)s, %(new_when)s") % values
                else:
                    text = _("“%(title)s” (%(when)s) moved to %(room)s") % values
                moves.left.setdefault(str(old["room_uuid"]), []).append(
                    MovedAway(code=change["code"], start=old["start"], end=old["end"], text=text)
                )
        elif later and new_start.date() == old_start.date():
            notice = _("Running late: was %(time)s") % {"time": f"{old_start:%H:%M}"}
        else:
            notice = _("Moved to %(when)s (was %(old)s)") % {
                "when": _when(new_start, old_start),
                "old": _when(old_start, new_start),
            }
        moves.notices[change["code"]] = notice
    return moves


def _shown(session, notices: dict) -> Shown:
    return Shown(
        code=session.code,
        title=session.title,
        kind=session.kind,
        speakers=[s["name"] for s in session.speakers or []],
        start=session.start,
        end=session.end,
        notice=notices.get(session.code, "") if session.kind == SlotKind.SESSION else "",
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


def _timelines(release, moves: Moves) -> dict[str | None, list[Shown]]:
    """Every room's sessions in time order (key None: breaks in every room), from one query."""
    rooms: dict[str | None, list[Shown]] = {}
    for session in release.sessions.order_by("start", "id"):
        key = str(session.room_uuid) if session.room_uuid else None
        rooms.setdefault(key, []).append(_shown(session, moves.notices))
    return rooms


def _moved_away(moves: Moves, room_uuid: str, moment: dt.datetime) -> list[MovedAway]:
    """The sessions that left the room, until the end of their old time there."""
    return sorted(
        (away for away in moves.left.get(room_uuid, []) if away.end > moment), key=lambda a: a.start
    )


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
    moves = release_moves(release, event.tz)
    timeline = _room_timeline(_timelines(release, moves), str(room))
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
            "moved_away": _moved_away(moves, str(room), moment),
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
    moves = release_moves(release, event.tz)
    timelines = _timelines(release, moves)
    moment = timezone.now()
    rows = []
    for info in release.rooms:
        timeline = _room_timeline(timelines, str(info["uuid"]))
        rows.append(
            {
                "room": info,
                "timeline": timeline,
                "moved_away": _moved_away(moves, str(info["uuid"]), moment),
                **_slot_context(timeline, moment, event.tz),
            }
        )
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
