from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from podium.base.permissions import public
from podium.events.models import Event, colour_validator
from podium.events.queries import public_events


@public
def index(request):
    return render(request, "site/index.html", {"events": public_events()})


@public
def event_home(request, event):
    event = get_object_or_404(Event.objects.select_related("organiser"), slug=event, is_public=True)
    return render(request, "site/event.html", {"event": event})


@public
def tracks_css(request, event):
    """Track colours as CSS classes (`.track-<id>`), so pages need no inline style under the CSP."""
    event = get_object_or_404(Event, slug=event)
    rules = [
        f".track-{track.pk} {{ --track-colour: {track.colour}; }}"
        for track in event.tracks.order_by("pk")
        if colour_validator.regex.match(track.colour)
    ]
    response = HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response
