"""A session's material in the back office: slides, links and the recording (organisers and the video
team, i.e. those who edit or schedule the event)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from podium.base.forms import save_form
from podium.orga.access import event_permission
from podium.orga.forms.program_extras import MaterialsForm, RecordingForm, SlidesForm
from podium.proposals import materials, queries


def handle_material_post(request, proposal, *, recording: bool):
    """The forms of a material page after a POST (`part` says which was sent): (forms, saved)."""
    part = request.POST.get("part", "")
    forms = {}
    saved = None
    if part == "links":
        forms["links"], saved = save_form(
            MaterialsForm(request.POST),
            lambda form: materials.save_materials(
                proposal=proposal,
                by=request.user,
                links=form.cleaned_data["links"],
                attachments=form.cleaned_data["attachments"],
                version=form.cleaned_data.get("version"),
            ),
        )
    elif part == "slides":
        forms["slides"], saved = save_form(
            SlidesForm(request.POST, request.FILES),
            lambda form: materials.upload_slides(
                proposal=proposal,
                by=request.user,
                upload=form.cleaned_data["slides"],
                title=form.cleaned_data["title"],
            ),
        )
    elif part == "recording" and recording:
        forms["recording"], saved = save_form(
            RecordingForm(request.POST),
            lambda form: materials.set_recording(
                proposal=proposal,
                by=request.user,
                video_url=form.cleaned_data["video_url"],
                recording_license=form.cleaned_data["recording_license"],
                version=form.cleaned_data.get("version"),
            ),
        )
    return forms, saved


def material_forms(proposal, forms: dict, *, recording: bool) -> dict:
    """The page's forms: those sent back with their errors, the others filled from the proposal."""
    result = {
        "links_form": forms.get("links")
        or MaterialsForm(
            initial={
                "links": proposal.links,
                "attachments": proposal.attachments,
                "version": proposal.version,
            }
        ),
        "slides_form": forms.get("slides") or SlidesForm(),
    }
    if recording:
        result["recording_form"] = forms.get("recording") or RecordingForm(
            initial={
                "video_url": proposal.video_url,
                "recording_license": proposal.recording_license,
                "version": proposal.version,
            }
        )
    return result


@event_permission("can_edit_event", "can_schedule")
def proposal_material(request, event, code):
    """Slides, links and the recording of one session."""
    event = request.event
    proposal = get_object_or_404(queries.for_viewer(request.user, event), code=code.upper())
    forms = {}
    if request.method == "POST":
        forms, saved = handle_material_post(request, proposal, recording=True)
        if saved:
            messages.success(
                request,
                _("Saved. The public talk page and the exports show it with the next schedule release."),
            )
            return redirect("orga:proposal_material", event=event.slug, code=proposal.code)
    return render(
        request,
        "orga/proposals/material.html",
        {"event": event, "proposal": proposal, **material_forms(proposal, forms, recording=True)},
    )
