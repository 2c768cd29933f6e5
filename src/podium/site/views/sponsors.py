"""The event's sponsors page: the organisations in a public stage by level, with their logos, links and
descriptions (the organisers' Markdown, sanitised). An event without public sponsors has no such page."""

from django.http import Http404
from django.shortcuts import render

from podium.base.permissions import public
from podium.schedule.queries import latest_release
from podium.site.pagecache import cached_page
from podium.site.views.common import event_sponsors, public_event


@public
def sponsors(request, event):
    event = public_event(event)
    release = latest_release(event)
    return cached_page(
        request,
        event=event,
        release=release,
        render=lambda: _render_sponsors(request, event, release),
        cacheable=not request.GET,
    )


def _render_sponsors(request, event, release):
    listing = event_sponsors(request, event)
    if not listing:
        raise Http404("This event has no sponsors to show yet.")
    return render(request, "site/sponsors.html", {"event": event, "release": release, "sponsors": listing})
