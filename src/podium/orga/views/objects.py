"""The new, edit and delete pages every list of an event's objects shares: rooms, tracks, session
types and information pages on the set-up pages, ticket types, questions and vouchers on registration's. What differs
between them is a `Kind`; `views(kinds, permission)` makes the three views for a set of kinds.

Every object is loaded through `request.event`, so a primary key of another event's object is a 404.
"""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.errors import ServiceError
from podium.base.forms import save_form


@dataclass(frozen=True)
class Kind:
    """What differs between the objects of one list."""

    key: str  # "session_type": the prefix of the URL names
    noun: str  # "session type"
    list_name: str  # the URL name of the list page
    form: type  # a model form taking `event`
    objects: Callable  # event -> the event's objects of this kind
    save: Callable  # (*, event, by, form, obj, version) -> the object saved
    delete: Callable  # (obj, by) -> None; a ServiceError refuses
    label: Callable = attrgetter("name")  # object -> what the pages call it
    # POST data -> the HTML a "Preview" button shows under the form, nothing saved; None: no preview
    preview: Callable | None = None

    @property
    def has_preview(self) -> bool:
        return self.preview is not None

    @property
    def list_url(self) -> str:
        return f"orga:{self.list_name}"

    @property
    def new_url(self) -> str:
        return f"orga:{self.key}_new"

    @property
    def delete_url(self) -> str:
        return f"orga:{self.key}_delete"


def edit(request, kind: Kind, pk=None):
    """The create/edit page of one object.

    A stale version (someone saved the object in between) shows the stored values with the conflict
    above them, so the organiser makes their change again on top of the other one. A kind with a
    preview shows it for a POST of the "Preview" button, with the input kept (and the version it
    started from, so a save after the preview is still compared).
    """
    event = request.event
    obj = get_object_or_404(kind.objects(event), pk=pk) if pk is not None else None
    preview = None
    if request.method == "POST" and kind.preview is not None and "preview" in request.POST:
        form = kind.form(request.POST, instance=obj, event=event)
        preview = kind.preview(request.POST)
    elif request.method == "POST":
        form, saved = save_form(
            kind.form(request.POST, instance=obj, event=event),
            lambda form: kind.save(
                event=event, by=request.user, form=form, obj=obj, version=form.cleaned_data.get("version")
            ),
            reload=lambda: kind.form(instance=obj, event=event),
            refresh=obj,
        )
        if saved:
            messages.success(
                request,
                _("The %(noun)s “%(label)s” was saved.") % {"noun": kind.noun, "label": kind.label(saved)},
            )
            return redirect(kind.list_url, event=event.slug)
    else:
        form = kind.form(instance=obj, event=event)
    label = kind.label(obj) if obj is not None else ""
    return render(
        request,
        "orga/object_form.html",
        {"event": event, "form": form, "object": obj, "label": label, "kind": kind, "preview": preview},
    )


def delete(request, kind: Kind, pk):
    """Delete one object (POST); a refusal (still in use) is shown on the list page."""
    obj = get_object_or_404(kind.objects(request.event), pk=pk)
    label = kind.label(obj)
    try:
        kind.delete(obj, request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The %(noun)s “%(label)s” was deleted.") % {"noun": kind.noun, "label": label}
        )
    return redirect(kind.list_url, event=request.event.slug)


def views(kinds: tuple[Kind, ...], permission: Callable) -> tuple[Callable, Callable, Callable]:
    """The new, edit and delete views for `kinds` (the URL pattern passes `kind`, a Kind's key), each
    behind `permission`."""
    by_key = {kind.key: kind for kind in kinds}

    @permission
    def object_new(request, event, kind: str):
        return edit(request, by_key[kind])

    @permission
    def object_edit(request, event, kind: str, pk):
        return edit(request, by_key[kind], pk)

    @permission
    @require_POST
    def object_delete(request, event, kind: str, pk):
        return delete(request, by_key[kind], pk)

    return object_new, object_edit, object_delete
