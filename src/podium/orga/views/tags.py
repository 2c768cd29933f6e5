"""The event's tags for proposals: list, create, edit, delete (organisers who manage proposals)."""

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.bidi import isolated
from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.orga.access import event_permission
from podium.orga.forms.program_extras import TagForm
from podium.proposals import tagging


def _save(request, form, tag=None):
    return save_form(
        form,
        lambda form: tagging.save_tag(
            event=request.event,
            by=request.user,
            name=form.cleaned_data["name"],
            colour=form.cleaned_data["colour"],
            public=form.cleaned_data["public"],
            tag=tag,
            version=form.cleaned_data.get("version"),
        ),
    )


@event_permission("can_edit_event")
def tags(request, event):
    """The tags with how many proposals carry each, and the form for a new one."""
    event = request.event
    form = TagForm(request.POST or None)
    if request.method == "POST":
        form, saved = _save(request, form)
        if saved:
            messages.success(request, _("The tag “%(name)s” was created.") % {"name": isolated(saved.name)})
            return redirect("orga:tags", event=event.slug)
    rows = event.tags.annotate(proposal_count=Count("proposals"))
    return render(request, "orga/tags/list.html", {"event": event, "tags": rows, "form": form})


@event_permission("can_edit_event")
def tag_edit(request, event, tag):
    event = request.event
    tag = get_object_or_404(event.tags, pk=tag)
    if request.method == "POST":
        form, saved = _save(request, TagForm(request.POST), tag)
        if saved:
            messages.success(request, _("The tag “%(name)s” was saved.") % {"name": isolated(saved.name)})
            return redirect("orga:tags", event=event.slug)
    else:
        form = TagForm(
            initial={"name": tag.name, "colour": tag.colour, "public": tag.public, "version": tag.version}
        )
    return render(request, "orga/tags/edit.html", {"event": event, "tag": tag, "form": form})


@event_permission("can_edit_event")
@require_POST
def tag_delete(request, event, tag):
    event = request.event
    tag = get_object_or_404(event.tags, pk=tag)
    try:
        tagging.delete_tag(tag=tag, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The tag “%(name)s” was deleted; the proposals keep everything else.") % {"name": tag.name},
        )
    return redirect("orga:tags", event=event.slug)
