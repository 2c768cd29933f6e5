"""Event set-up pages: settings, a new event, rooms, tracks, session types and information pages.

Every object is loaded through `request.event`, so a primary key of another event's object is a 404.
"""

from operator import attrgetter

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.base.forms import save_form
from podium.base.text import render_markdown
from podium.events import pages as page_services
from podium.events import services
from podium.events.models import default_languages, default_score_labels
from podium.orga.access import event_permission, organiser_admin
from podium.orga.forms.setup import (
    EventCreateForm,
    EventSettingsForm,
    PageForm,
    RoomForm,
    SessionTypeForm,
    TrackForm,
)
from podium.orga.views.objects import Kind, views

can_edit_event = event_permission("can_edit_event")


# --- The event itself -------------------------------------------------------------------------------


@can_edit_event
def event_settings(request, event):
    """The event's settings. A stale version shows the stored settings with the conflict above them."""
    event = request.event
    if request.method == "POST":
        form, saved = save_form(
            EventSettingsForm(request.POST),
            lambda form: services.update_event(
                event=event, by=request.user, data=form.service_data(), version=form.cleaned_data["version"]
            ),
            reload=lambda: EventSettingsForm(initial=EventSettingsForm.initial_for(event)),
            refresh=event,
        )
        if saved:
            messages.success(request, _("The event's settings were saved."))
            return redirect("orga:event_settings", event=event.slug)
    else:
        form = EventSettingsForm(initial=EventSettingsForm.initial_for(event))
    return render(request, "orga/setup/event_settings.html", {"event": event, "form": form})


@organiser_admin
def event_new(request, organiser):
    organiser = request.organiser
    if request.method == "POST":
        form, event = save_form(
            EventCreateForm(request.POST),
            lambda form: services.create_event(
                organiser=organiser, by=request.user, slug=form.cleaned_data["slug"], data=form.service_data()
            ),
        )
        if event:
            messages.success(
                request,
                _("The event %(name)s was created. Now add its rooms and tracks.") % {"name": event.name},
            )
            return redirect("orga:event_settings", event=event.slug)
    else:
        form = EventCreateForm(
            initial={
                "timezone": "UTC",
                "day_start_hour": 4,
                "is_public": True,
                "score_labels": "\n".join(f"{value}: {label}" for value, label in default_score_labels()),
                "languages": "\n".join(f"{code}: {label}" for code, label in default_languages()),
            }
        )
    return render(request, "orga/setup/event_new.html", {"organiser": organiser, "form": form})


# --- Rooms, tracks, session types: one pattern, three kinds (objects.py) ---------------------------


def _delete(obj, by) -> None:
    services.delete_setup_object(obj=obj, by=by)


ROOM = Kind(
    key="room",
    noun=gettext_lazy("room"),
    list_name="rooms",
    form=RoomForm,
    objects=lambda event: event.rooms.all(),
    save=lambda *, event, by, form, obj, version: services.save_room(
        event=event,
        by=by,
        data=form.service_data(),
        room=obj,
        windows=form.cleaned_data["availability"],
        version=version,
    ),
    delete=_delete,
)
TRACK = Kind(
    key="track",
    noun=gettext_lazy("track"),
    list_name="tracks",
    form=TrackForm,
    objects=lambda event: event.tracks.all(),
    save=lambda *, event, by, form, obj, version: services.save_track(
        event=event, by=by, data=form.service_data(), track=obj, version=version
    ),
    delete=_delete,
)
SESSION_TYPE = Kind(
    key="session_type",
    noun=gettext_lazy("session type"),
    list_name="session_types",
    form=SessionTypeForm,
    objects=lambda event: event.session_types.all(),
    save=lambda *, event, by, form, obj, version: services.save_session_type(
        event=event, by=by, data=form.service_data(), session_type=obj, version=version
    ),
    delete=_delete,
)
# The event's information pages: drafts until published, previewed on the edit page.
PAGE = Kind(
    key="page",
    noun=gettext_lazy("page"),
    list_name="pages",
    form=PageForm,
    objects=lambda event: event.pages.all(),
    save=lambda *, event, by, form, obj, version: page_services.save_page(
        event=event, by=by, data=form.service_data(), page=obj, version=version
    ),
    delete=lambda obj, by: page_services.delete_page(page=obj, by=by),
    label=attrgetter("title"),
    preview=lambda data: render_markdown(data.get("body", "")),
)
# Create, edit and delete a room, track, session type or page (`kind` comes from the URL pattern).
object_new, object_edit, object_delete = views((ROOM, TRACK, SESSION_TYPE, PAGE), can_edit_event)


@can_edit_event
def rooms(request, event):
    rooms = request.event.rooms.annotate(window_count=Count("availabilities"))
    return render(request, "orga/setup/rooms.html", {"event": request.event, "rooms": rooms})


@can_edit_event
def tracks(request, event):
    tracks = request.event.tracks.annotate(proposal_count=Count("proposals"))
    return render(request, "orga/setup/tracks.html", {"event": request.event, "tracks": tracks})


@can_edit_event
def session_types(request, event):
    types = request.event.session_types.annotate(proposal_count=Count("proposals")).prefetch_related("rooms")
    return render(request, "orga/setup/session_types.html", {"event": request.event, "session_types": types})


@can_edit_event
def pages(request, event):
    pages = request.event.pages.defer("body")
    return render(request, "orga/setup/pages.html", {"event": request.event, "pages": pages})
