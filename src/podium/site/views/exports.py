"""The public exports of the latest release: frab XML and JSON, and iCal feeds.

Every answer carries an ETag and Last-Modified (the release's publication time) and answers 304 to a
matching If-None-Match or If-Modified-Since, so schedule apps can refresh cheaply. Exports are
open to other sites (CORS `*`) except the personal feeds (the starred feed of the logged-in visitor, and
an attendee's calendar at its secret address), and gzip-compressed on request.
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


@public
@gzip_page
def schedule_xml(request, event):
    return export_response(request, released(event), "frab-xml")


@public
@gzip_page
def schedule_json(request, event):
    return export_response(request, released(event), "frab-json")


@public
@gzip_page
def schedule_ics(request, event):
    return export_response(request, released(event), "ical")


@public
@gzip_page
def room_ics(request, event, room):
    release = released(event)
    if str(room) not in {entry["uuid"] for entry in release.rooms}:
        raise Http404("No such room in the schedule.")
    return export_response(request, release, "ical", room_uuid=str(room))


@public
@gzip_page
def speaker_ics(request, event, speaker):
    release = released(event)
    code = speaker.upper()
    if not release.speakers.filter(code=code).exists():
        raise Http404("No such speaker in the schedule.")
    return export_response(request, release, "ical", speaker_code=code)


@public
@gzip_page
def talk_ics(request, event, code):
    release = released(event)
    code = code.upper()
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
