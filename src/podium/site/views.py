from django.shortcuts import get_object_or_404, render

from podium.base.permissions import public
from podium.events.models import Event
from podium.events.queries import public_events


@public
def index(request):
    return render(request, "site/index.html", {"events": public_events()})


@public
def event_home(request, event):
    event = get_object_or_404(Event.objects.select_related("organiser"), slug=event, is_public=True)
    return render(request, "site/event.html", {"event": event})
