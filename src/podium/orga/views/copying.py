"""Copy this event: a new edition with its settings and set-up (events.copying)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from podium.base.forms import save_form
from podium.events import copying
from podium.orga.access import event_permission
from podium.orga.forms.program_extras import CopyEventForm


@event_permission("is_admin")
def copy_event(request, event):
    """The organiser's administrators copy the event; the new edition opens on its dashboard."""
    source = request.event
    form = CopyEventForm(request.POST or None, source=source)
    if request.method == "POST":
        form, copy = save_form(
            form,
            lambda form: copying.copy_event(
                actor=request.user,
                source=source,
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                start=form.cleaned_data["start"],
                team_members=form.cleaned_data["team_members"],
            ),
        )
        if copy:
            messages.success(
                request,
                _(
                    "%(copy)s was made from %(source)s. It is not public yet: check its settings and "
                    "dates, then open its call for papers."
                )
                % {"copy": copy.name, "source": source.name},
            )
            return redirect("orga:event", event=copy.slug)
    return render(request, "orga/copy_event.html", {"event": source, "form": form})
