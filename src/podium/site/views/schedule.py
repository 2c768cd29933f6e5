"""The public schedule of the latest release: one day as a grid (rooms by time) or as a list.

Filters come from the query string (`day`, `view`, `track`, `room`, `starred`). A value that is
malformed or names nothing in the release is ignored, so an old or hand-edited link still shows
the schedule instead of an error.
"""

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone

from podium.attendance.seat_queries import mark_seats, seats_by_code, seats_key
from podium.base.permissions import public
from podium.schedule.grid import build_grid
from podium.schedule.models import Release, SlotKind
from podium.schedule.queries import latest_release, release_days, released_sessions
from podium.site.pagecache import cached_page, release_fact
from podium.site.program_data import ProgramData
from podium.site.views.common import mark_starred, public_event, visitor_stars

VIEWS = ("grid", "list")


@dataclass
class Filters:
    day: dt.date | None
    view: str
    track: int | None
    room: str | None  # a room UUID as text
    starred: bool

    def query(self, **changes) -> str:
        """The query string of these filters with `changes` applied (defaults left out)."""
        values = {**self.__dict__, **changes}
        params = {
            "day": values["day"].isoformat() if values["day"] else None,
            "view": values["view"] if values["view"] != "grid" else None,
            "track": values["track"],
            "room": values["room"],
            "starred": "1" if values["starred"] else None,
        }
        return "?" + urlencode({key: value for key, value in params.items() if value is not None})


def _parse_day(value: str, days: list[dt.date]) -> dt.date | None:
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if day in days else None


def _parse_track(value: str, release: Release) -> int | None:
    try:
        track = int(value)
    except ValueError:
        return None
    return track if track in {entry["id"] for entry in release.tracks} else None


def _parse_room(value: str, release: Release) -> str | None:
    try:
        room = str(uuid.UUID(value))
    except ValueError:
        return None
    return room if room in {entry["uuid"] for entry in release.rooms} else None


def _default_day(event, days: list[dt.date]) -> dt.date | None:
    """Today's conference day while the event runs, else the first day with sessions."""
    today = event.conference_day(timezone.now())
    return today if today in days else (days[0] if days else None)


def parse_filters(query, event, release: Release, days: list[dt.date]) -> Filters:
    view = query.get("view", "")
    return Filters(
        day=_parse_day(query.get("day", ""), days) or _default_day(event, days),
        view=view if view in VIEWS else "grid",
        track=_parse_track(query.get("track", ""), release),
        room=_parse_room(query.get("room", ""), release),
        starred=query.get("starred") == "1",
    )


def _filter_values(filters: Filters) -> dict[str, str]:
    """The filters as the query string spells them in their normal form."""
    return {
        "day": filters.day.isoformat() if filters.day else "",
        "view": filters.view,
        "track": "" if filters.track is None else str(filters.track),
        "room": filters.room or "",
        "starred": "1" if filters.starred else "",
    }


def _is_normal_query(query, filters: Filters) -> bool:
    """Whether the query string names only filters, each once, in its normal form (a cacheable page)."""
    values = _filter_values(filters)
    return all(key in values and len(query.getlist(key)) == 1 and query[key] == values[key] for key in query)


def _sessions(
    release: Release, filters: Filters, *, starred: set[str], logged_in: bool, data: ProgramData | None = None
) -> list:
    if filters.day is None:
        return []
    if data is None:
        sessions = released_sessions(release, day=filters.day, track_id=filters.track, room_uuid=filters.room)
    else:
        sessions = data.sessions_of(day=filters.day, track_id=filters.track, room_uuid=filters.room)
    sessions = mark_starred(list(sessions), starred)
    if filters.starred and logged_in:
        # Breaks stay: they are the day's frame. Anonymous visitors' stars live in the browser (stars.js).
        sessions = [s for s in sessions if s.kind == SlotKind.BREAK or s.is_starred]
    return sessions


@public
def schedule(request, event):
    event = public_event(event)
    release = latest_release(event)
    if release is None:
        return render(request, "site/schedule_pending.html", {"event": event})
    return schedule_page(request, event, release)


def schedule_page(request, event, release: Release, *, data: ProgramData | None = None):
    """The schedule page the query string asks for, through the page cache; `data`: the release's
    program read once (release_files renders every page from it) instead of this page's queries."""
    days = release_fact(release, "days", lambda: release_days(release)) if data is None else data.days
    filters = parse_filters(request.GET, event, release, days)
    # Seats left change with every booking: the cached page is the one with these counts.
    seats = seats_by_code(event, release) if data is None else data.seats
    return cached_page(
        request,
        event=event,
        release=release,
        render=lambda: _render_schedule(request, event, release, days, filters, seats, data=data),
        variant="|".join([*_filter_values(filters).values(), seats_key(seats)]),
        cacheable=_is_normal_query(request.GET, filters),
        members_share=not filters.starred,  # a member's starred sessions are filtered here, not in the browser
    )


def _render_schedule(
    request,
    event,
    release: Release,
    days: list[dt.date],
    filters: Filters,
    seats: dict,
    *,
    data: ProgramData | None = None,
):
    starred = visitor_stars(request, event)
    sessions = _sessions(
        release, filters, starred=starred, logged_in=request.user.is_authenticated, data=data
    )
    mark_seats(sessions, seats)
    rooms = [room for room in release.rooms if filters.room in (None, room["uuid"])]
    context = {
        "event": event,
        "release": release,
        "filters": filters,
        "sessions": sessions,
        "day_tabs": [(day, filters.query(day=day), day == filters.day) for day in days],
        "grid_url": filters.query(view="grid"),
        "list_url": filters.query(view="list"),
        "tracks": release.tracks,
        "all_rooms": release.rooms,
        "rooms": rooms,
        "client_side_starred_filter": filters.starred and not request.user.is_authenticated,
    }
    if filters.view == "grid":
        context["grid"] = build_grid(
            sessions,
            [room["id"] for room in rooms],
            column_of=lambda session: session.room_id,
            tz=event.tz,
        )
        # Each room's header spans its lanes (sessions sharing a room sit side by side).
        context["room_headers"] = list(zip(rooms, context["grid"].lanes, strict=True))
    # The grid page holds the list too: phones show it first (site.css), the grid on request.
    context["groups"] = [
        (start, list(group)) for start, group in itertools.groupby(sessions, key=lambda s: s.start)
    ]
    return render(request, "site/schedule.html", context)
