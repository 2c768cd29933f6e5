"""Event set-up pages: settings, a new event, rooms, tracks and session types.

Every object is loaded through `request.event`, so a primary key of another event's object is a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.events import services
from podium.events.models import default_languages, default_score_labels
from podium.orga.access import event_permission, organiser_admin
from podium.orga.forms.setup import (
    EventCreateForm,
    EventSettingsForm,
    RoomForm,
    SessionTypeForm,
    TrackForm,
)

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
            messages.success(request, "The event's settings were saved.")
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
            messages.success(request, f"The event {event.name} was created. Now add its rooms and tracks.")
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


# --- Rooms, tracks, session types: one pattern, three kinds ------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What differs between the set-up objects of an event."""

    key: str  # "session_type": the prefix of the URL names
    noun: str  # "session type"
    plural: str  # the URL name of the list page and the related name on Event
    form: type
    save: Callable  # (event, by, form, obj, version) -> obj

    @property
    def list_url(self) -> str:
        return f"orga:{self.plural}"

    @property
    def new_url(self) -> str:
        return f"orga:{self.key}_new"

    @property
    def delete_url(self) -> str:
        return f"orga:{self.key}_delete"

    def objects(self, event):
        return getattr(event, self.plural).all()


ROOM = Kind(
    key="room",
    noun="room",
    plural="rooms",
    form=RoomForm,
    save=lambda *, event, by, form, obj, version: services.save_room(
        event=event,
        by=by,
        data=form.service_data(),
        room=obj,
        windows=form.cleaned_data["availability"],
        version=version,
    ),
)
TRACK = Kind(
    key="track",
    noun="track",
    plural="tracks",
    form=TrackForm,
    save=lambda *, event, by, form, obj, version: services.save_track(
        event=event, by=by, data=form.service_data(), track=obj, version=version
    ),
)
SESSION_TYPE = Kind(
    key="session_type",
    noun="session type",
    plural="session_types",
    form=SessionTypeForm,
    save=lambda *, event, by, form, obj, version: services.save_session_type(
        event=event, by=by, data=form.service_data(), session_type=obj, version=version
    ),
)


def _edit(request, kind: Kind, pk=None):
    """The create/edit page of one set-up object.

    A stale version (someone saved the object in between) shows the stored values with the conflict
    above them, so the organiser makes their change again on top of the other one.
    """
    event = request.event
    obj = get_object_or_404(kind.objects(event), pk=pk) if pk is not None else None
    if request.method == "POST":
        form, saved = save_form(
            kind.form(request.POST, instance=obj, event=event),
            lambda form: kind.save(
                event=event, by=request.user, form=form, obj=obj, version=form.cleaned_data.get("version")
            ),
            reload=lambda: kind.form(instance=obj, event=event),
            refresh=obj,
        )
        if saved:
            messages.success(request, f'The {kind.noun} "{saved.name}" was saved.')
            return redirect(kind.list_url, event=event.slug)
    else:
        form = kind.form(instance=obj, event=event)
    return render(
        request, "orga/setup/object_form.html", {"event": event, "form": form, "object": obj, "kind": kind}
    )


def _delete(request, kind: Kind, pk):
    event = request.event
    obj = get_object_or_404(kind.objects(event), pk=pk)
    name = obj.name
    try:
        services.delete_setup_object(obj=obj, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f'The {kind.noun} "{name}" was deleted.')
    return redirect(kind.list_url, event=event.slug)


@can_edit_event
def rooms(request, event):
    rooms = request.event.rooms.annotate(window_count=Count("availabilities"))
    return render(request, "orga/setup/rooms.html", {"event": request.event, "rooms": rooms})


KINDS = {kind.key: kind for kind in (ROOM, TRACK, SESSION_TYPE)}


@can_edit_event
def object_new(request, event, kind: str):
    """Create a room, track or session type (`kind` comes from the URL pattern)."""
    return _edit(request, KINDS[kind])


@can_edit_event
def object_edit(request, event, kind: str, pk):
    return _edit(request, KINDS[kind], pk)


@can_edit_event
@require_POST
def object_delete(request, event, kind: str, pk):
    return _delete(request, KINDS[kind], pk)


@can_edit_event
def tracks(request, event):
    tracks = request.event.tracks.annotate(proposal_count=Count("proposals"))
    return render(request, "orga/setup/tracks.html", {"event": request.event, "tracks": tracks})


@can_edit_event
def session_types(request, event):
    types = request.event.session_types.annotate(proposal_count=Count("proposals")).prefetch_related("rooms")
    return render(request, "orga/setup/session_types.html", {"event": request.event, "session_types": types})
