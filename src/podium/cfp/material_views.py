"""A speaker's slides and links for their session, before and after the talk (proposals.materials)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from podium.base.forms import save_form
from podium.base.permissions import login_required
from podium.events.models import Event
from podium.events.visibility import INSIDERS, event_or_404
from podium.proposals import materials, rules
from podium.proposals.forms import MaterialsForm, SlidesForm


def _event(request, slug: str) -> Event:
    return event_or_404(slug, request.user, admit=INSIDERS)


@login_required
def material(request, event, code):
    """The speaker uploads slides (PDF) or gives links, at any time while the session is in the program."""
    event = _event(request, event)
    proposal = get_object_or_404(rules.own_proposals(request.user, event), code=code.upper())
    links_form, slides_form = MaterialsForm.for_proposal(proposal), SlidesForm()
    if request.method == "POST":
        if request.POST.get("part") == "slides":
            slides_form, saved = save_form(
                SlidesForm(request.POST, request.FILES),
                lambda form: materials.upload_slides(
                    proposal=proposal, by=request.user, upload=form.cleaned_data["slides"],
                    title=form.cleaned_data["title"],
                ),
            )  # fmt: skip
        else:
            links_form, saved = save_form(
                MaterialsForm(request.POST),
                lambda form: materials.save_materials(
                    proposal=proposal,
                    by=request.user,
                    links=form.cleaned_data["links"],
                    attachments=form.cleaned_data["attachments"],
                    version=form.cleaned_data.get("version"),
                ),
            )
        if saved:
            messages.success(
                request,
                _("Saved. The public talk page shows it once the organisers publish the schedule again."),
            )
            return redirect("cfp:material", event=event.slug, code=proposal.code)
    return render(
        request,
        "cfp/material.html",
        {
            "event": event,
            "proposal": proposal,
            "links_form": links_form,
            "slides_form": slides_form,
            "closed": proposal.state in materials.CLOSED_STATES,
        },
    )
