"""The public exports of the latest release: frab XML and JSON, and iCal feeds.

Every answer carries an ETag and Last-Modified (the release's publication time) and answers 304 to a
matching If-None-Match or If-Modified-Since, so schedule apps can refresh cheaply. Exports are
open to other sites (CORS `*`) except the personal feeds (the starred feed of the logged-in visitor, and
an attendee's calendar at its secret address), and gzip-compressed on request.

The public exports come from the release's files (podium.site.release_files: written once, stored
also as .gz and .br, ETag the file's hash) when they are there, and are rendered as before when
they are not yet. `/<event>/releases/<n>/<name>` answers the files of release n, which never change
(`Cache-Control: immutable`).
"""

from django.http import Http404, HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.http import http_date
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from podium.attendance.queries import calendar_feed, starred_codes
from podium.attendance.seat_queries import booked_codes
from podium.base.permissions import login_required, public, token
from podium.interop import exporters
from podium.schedule import changelog
from podium.schedule.models import Release, SlotKind
from podium.schedule.queries import latest_release
from podium.site import release_files
from podium.site.views.common import public_event

MAX_AGE = 300  # seconds: apps poll; a new release shows within five minutes at the latest


def released(slug: str) -> Release:
    """The public event's latest release; 404 before the first one (or for a non-public event)."""
    release = latest_release(public_event(slug))
    if release is None:
        raise Http404("The schedule is not public yet.")
    return release


def _headers(response: HttpResponseBase, *, etag: str, release: Release, personal: bool):
    response["ETag"] = etag
    response["Last-Modified"] = http_date(release.published_at.timestamp())
    if personal:
        patch_cache_control(response, private=True, max_age=0)
    else:
        response["Access-Control-Allow-Origin"] = "*"
        patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


def export_response(request, release: Release, fmt: str, *, personal=False, **options) -> HttpResponseBase:
    """The export as an HTTP answer, or 304 when the client's copy is current."""
    etag = quote_etag(exporters.export_key(release, fmt, **options))
    unchanged = get_conditional_response(
        request, etag=etag, last_modified=int(release.published_at.timestamp())
    )
    if unchanged is not None:
        return _headers(unchanged, etag=etag, release=release, personal=personal)
    export = exporters.cached(release, fmt, **options)
    response = HttpResponse(export.content, content_type=export.content_type)
    return _headers(response, etag=etag, release=release, personal=personal)


def from_files(request, release: Release, name: str) -> HttpResponseBase | None:
    """The export `name` (its path in the release's directory) from the files, or None to render it."""
    return release_files.serve_export(request, release, name)


# The exports a release's files hold, by their name there: (format, options).
def _export_of(release: Release, name: str) -> tuple[str, dict] | None:
    fixed = {
        "schedule.xml": ("frab-xml", {}),
        "schedule.json": ("frab-json", {}),
        "schedule.ics": ("ical", {}),
    }
    if name in fixed:
        return fixed[name]
    folder, _, file = name.partition("/")
    code = file.removesuffix(".ics")
    if not file.endswith(".ics") or not code or "/" in code:
        return None
    if folder == "room" and code in {entry["uuid"] for entry in release.rooms}:
        return "ical", {"room_uuid": code}
    if folder == "speaker" and release.speakers.filter(code=code).exists():
        return "ical", {"speaker_code": code}
    if folder == "talk" and _is_released_talk(release, code):
        return "ical", {"talk_code": code}
    return None


def _is_released_talk(release: Release, code: str) -> bool:
    cancelled = any(c["kind"] == changelog.CANCELLED and c["code"] == code for c in release.changes)
    return cancelled or release.sessions.filter(kind=SlotKind.SESSION, code=code).exists()


@public
@gzip_page
def schedule_xml(request, event):
    release = released(event)
    return from_files(request, release, "schedule.xml") or export_response(request, release, "frab-xml")


@public
@gzip_page
def schedule_json(request, event):
    release = released(event)
    return from_files(request, release, "schedule.json") or export_response(request, release, "frab-json")


@public
@gzip_page
def schedule_ics(request, event):
    release = released(event)
    return from_files(request, release, "schedule.ics") or export_response(request, release, "ical")


@public
@gzip_page
def room_ics(request, event, room):
    release = released(event)
    stored = from_files(request, release, f"room/{room}.ics")
    if stored is not None:
        return stored
    if str(room) not in {entry["uuid"] for entry in release.rooms}:
        raise Http404("No such room in the schedule.")
    return export_response(request, release, "ical", room_uuid=str(room))


@public
@gzip_page
def speaker_ics(request, event, speaker):
    release = released(event)
    code = speaker.upper()
    stored = from_files(request, release, f"speaker/{code}.ics")
    if stored is not None:
        return stored
    if not release.speakers.filter(code=code).exists():
        raise Http404("No such speaker in the schedule.")
    return export_response(request, release, "ical", speaker_code=code)


@public
@require_safe
@gzip_page
def versioned(request, event, version, name):
    """An export of release `version` (schedule.xml, room/<uuid>.ics, …): its file, which never changes."""
    release = public_event(event).releases.defer("changes").filter(version=version).first()
    if release is None:
        raise Http404("There is no such release.")
    if not name.startswith(release_files.PAGES):
        stored = release_files.serve_export(request, release, name, immutable=True)
        if stored is not None:
            return stored
    export = _export_of(release, name)
    if export is None:
        raise Http404("There is no such export.")
    response = export_response(request, release, export[0], **export[1])
    response["Cache-Control"] = release_files.IMMUTABLE_CACHE_CONTROL
    return response


@public
@gzip_page
def talk_ics(request, event, code):
    release = released(event)
    code = code.upper()
    stored = from_files(request, release, f"talk/{code}.ics")
    if stored is not None:
        return stored
    cancelled = any(c["kind"] == changelog.CANCELLED and c["code"] == code for c in release.changes)
    if not cancelled and not release.sessions.filter(kind=SlotKind.SESSION, code=code).exists():
        raise Http404("No such talk in the schedule.")
    return export_response(request, release, "ical", talk_code=code)


@login_required
@gzip_page
def starred_ics(request, event):
    release = released(event)
    codes = starred_codes(release.event, request.user)
    return export_response(request, release, "ical", personal=True, codes=frozenset(codes))


@token
@require_safe
@gzip_page
def agenda_ics(request, event, token):
    """An attendee's agenda (their starred sessions and booked seats, the feed named "my agenda") at the
    secret address of their calendar (no log-in: the address is the key; a replaced or unknown one is
    404). Private, and never kept long by calendar apps."""
    event = public_event(event)
    feed = calendar_feed(event, token)
    if feed is None:
        raise Http404("There is no calendar at this address.")
    release = latest_release(event)
    if release is None:
        raise Http404("The schedule is not public yet.")
    codes = starred_codes(event, feed.user) | booked_codes(event, feed.user)
    return export_response(request, release, "ical", personal=True, codes=frozenset(codes), agenda=True)
