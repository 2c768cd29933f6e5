"""The list of public events, an event's home page and its track colours."""

from django.http import HttpResponse
from django.shortcuts import render

from podium.base.permissions import public
from podium.events.models import colour_validator
from podium.events.queries import public_events
from podium.events.visibility import TEAM, event_or_404
from podium.schedule.queries import latest_release
from podium.site.views.common import public_event


@public
def index(request):
    return render(request, "site/index.html", {"events": public_events()})


@public
def event_home(request, event):
    event = public_event(event)
    release = latest_release(event)
    return render(
        request,
        "site/event.html",
        {
            "event": event,
            "release": release,
            "talks_public": release is not None or event.show_accepted_talks,
        },
    )


@public
def tracks_css(request, event):
    """Track colours as CSS classes (`.track-<id>`), so pages need no inline style under the CSP.

    A non-public event's colours go only to its team (the schedule editor uses them), never cached
    by shared caches.
    """
    event = event_or_404(event, request.user, admit={TEAM})
    rules = [
        f".track-{track.pk} {{ --track-colour: {track.colour}; }}"
        for track in event.tracks.order_by("pk")
        if colour_validator.regex.match(track.colour)
    ]
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300" if event.is_public else "private, max-age=300"
    return response
