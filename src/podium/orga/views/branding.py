"""The event's branding (colour, logo, header image) and the snippets that embed its schedule elsewhere."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from podium.base.forms import save_form
from podium.events import branding
from podium.orga.access import event_permission
from podium.orga.forms.branding import BrandingForm
from podium.schedule.queries import latest_release

can_edit_event = event_permission("can_edit_event")


def snippets(event) -> dict[str, str]:
    """The HTML an organiser copies into another site: an iframe, or a script drawing the schedule."""
    widget = settings.BASE_URL + reverse("site:widget", kwargs={"event": event.slug})
    script = settings.BASE_URL + reverse("site:widget_script", kwargs={"event": event.slug})
    target = f"{event.slug}-schedule"
    return {
        "iframe": (
            f'<iframe src="{widget}" title="Schedule of {event.name}" width="100%" height="600" '
            'loading="lazy"></iframe>'
        ),
        "script": f'<div id="{target}"></div>\n<script src="{script}" data-target="#{target}" defer></script>',
        "widget_url": widget,
    }


@can_edit_event
def branding_page(request, event):
    """The branding form, and the widget's snippets to copy. A stale version shows what is stored."""
    event = request.event
    if request.method == "POST":
        form, saved = save_form(
            BrandingForm(request.POST, request.FILES),
            lambda form: branding.save_branding(
                event=event,
                by=request.user,
                colour=form.cleaned_data["brand_colour"],
                logo=form.cleaned_data["logo"] or None,
                header_image=form.cleaned_data["header_image"] or None,
                remove_logo=form.cleaned_data["remove_logo"],
                remove_header_image=form.cleaned_data["remove_header_image"],
                version=form.cleaned_data["version"],
            ),
            reload=lambda: BrandingForm(initial=BrandingForm.initial_for(event)),
            refresh=event,
        )
        if saved:
            messages.success(request, _("The event's branding was saved."))
            return redirect("orga:branding", event=event.slug)
    else:
        form = BrandingForm(initial=BrandingForm.initial_for(event))
    return render(
        request,
        "orga/setup/branding.html",
        {
            "event": event,
            "form": form,
            "snippets": snippets(event),
            "released": latest_release(event) is not None,
        },
    )
