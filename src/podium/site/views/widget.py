"""The embeddable schedule widget: the latest release's schedule, by day, on another site.

Two ways to embed it (the organisers' "Branding and widget" page gives both snippets):

- an iframe of `/<event>/widget/`: a small page of its own, the only page of Podium other sites may
  frame (its Content-Security-Policy says `frame-ancestors *` and it sends no X-Frame-Options;
  every other page keeps `frame-ancestors 'none'` and X-Frame-Options DENY);
- a script, `/<event>/widget/widget.js`, which reads `/<event>/widget/schedule.json` (CORS `*`) and
  draws the schedule into a shadow root beside itself (or into the element its `data-target`
  names), with the stylesheets the JSON lists: the widget's own, the event's branding and its
  track colours. No third-party code, no cookies.

All three are files of the release (release_files writes them; the views answer from them, with
their ETag, and render the same bytes when they are not written yet), so they change only with a
new release. The colours and the logo come from the branding stylesheet, which follows the event's
settings at once.
"""

import hashlib
import json
from pathlib import Path

from django.http import HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, quote_etag
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from podium.base.middleware import SecurityHeadersMiddleware
from podium.base.permissions import public
from podium.schedule.models import Release, SlotKind
from podium.schedule.queries import released_sessions
from podium.site import release_files
from podium.site.views.exports import MAX_AGE, released

#: Names in the release's directory. The page is under pages/ so that the fast path in front of
#: Django never answers it: only Django sends the CSP that lets other sites frame it.
PAGE = "pages/widget/schedule.html"
DATA = "widget/schedule.json"
SCRIPT = "widget/widget.js"
JSON_TYPE = "application/json"
SCRIPT_TYPE = "text/javascript; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
SCRIPT_FILE = Path(__file__).resolve().parents[1] / "static" / "podium" / "widget.js"
#: The page's CSP: Podium's, but any site may frame it.
FRAMEABLE_CSP = SecurityHeadersMiddleware.CSP.replace("frame-ancestors 'none'", "frame-ancestors *")


def _days(release: Release) -> list[tuple]:
    """[(day, [sessions and breaks])] of the release, in order, times in the event's time zone."""
    days: dict = {}
    for session in released_sessions(release):
        days.setdefault(session.day, []).append(session)
    return sorted(days.items())


def render_page(event, release: Release) -> bytes:
    """The iframe's page: the schedule by day (no request: the same bytes for everyone)."""
    return render_to_string(
        "site/widget.html", {"event": event, "release": release, "days": _days(release)}
    ).encode()


def render_data(event, release: Release) -> bytes:
    """What the script draws: the schedule by day, times already in the event's time zone, addresses
    as paths (the script makes them absolute against its own address)."""
    tz = event.tz
    slug = event.slug

    def entry(session) -> dict:
        is_break = session.kind == SlotKind.BREAK
        return {
            "code": "" if is_break else session.code,
            "title": session.title,
            "start": timezone.localtime(session.start, tz).strftime("%H:%M"),
            "end": timezone.localtime(session.end, tz).strftime("%H:%M"),
            "room": session.room_name or _("All rooms"),
            "speakers": [person["name"] for person in session.speakers or []],
            "track": session.track_id,
            "break": is_break,
            "url": "" if is_break else reverse("site:talk", kwargs={"event": slug, "code": session.code}),
        }

    data = {
        "event": {
            "name": event.name,
            "slug": slug,
            "timezone": event.timezone,
            "schedule": reverse("site:schedule", kwargs={"event": slug}),
        },
        "release": {"version": release.version, "name": release.name},
        "stylesheets": [
            static("podium/widget.css"),
            reverse("site:branding_css", kwargs={"event": slug}),
            reverse("site:tracks_css", kwargs={"event": slug}),
        ],
        "days": [
            {
                "date": day.isoformat(),
                "label": date_format(day, "l j F"),
                "sessions": [entry(session) for session in sessions],
            }
            for day, sessions in _days(release)
        ],
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def render_script() -> bytes:
    """The script (the same for every event: it finds its event from its own address)."""
    return SCRIPT_FILE.read_bytes()


def _answer(request, release: Release, name: str, content_type: str, render) -> HttpResponseBase:
    """The release's file `name`, or (not written yet) the same bytes rendered now, with an ETag and a
    304 when the client has them; readable by other sites (CORS `*`)."""
    stored = release_files.serve_export(request, release, name)
    if stored is not None:
        return stored
    content = render()
    etag = quote_etag(hashlib.sha256(content).hexdigest()[:32])
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        content, content_type=content_type
    )
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    return response


@public
@require_safe
@xframe_options_exempt
def widget(request, event):
    """The iframe's page; other sites may frame it (and only it)."""
    release = released(event)
    response = _answer(request, release, PAGE, HTML_TYPE, lambda: render_page(release.event, release))
    response["Content-Security-Policy"] = FRAMEABLE_CSP
    return response


@public
@require_safe
def widget_data(request, event):
    release = released(event)
    return _answer(request, release, DATA, JSON_TYPE, lambda: render_data(release.event, release))


@public
@require_safe
def widget_script(request, event):
    release = released(event)
    return _answer(request, release, SCRIPT, SCRIPT_TYPE, render_script)
