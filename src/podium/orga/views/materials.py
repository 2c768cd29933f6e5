"""A session's material in the back office: slides, links and the recording (organisers and the video
team, i.e. those who edit or schedule the event). The slides and links forms are the speaker's
(cfp.material_views); the recording is added here."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from podium.cfp.material_views import SPEAKER_PARTS, MaterialPart, material_page
from podium.orga.access import event_permission
from podium.orga.forms.program_extras import RecordingForm
from podium.proposals import materials, queries

RECORDING = MaterialPart(
    form=RecordingForm,
    save=lambda proposal, by, data: materials.set_recording(
        proposal=proposal,
        by=by,
        video_url=data["video_url"],
        recording_license=data["recording_license"],
        version=data.get("version"),
    ),
    blank=lambda proposal: RecordingForm(
        initial={
            "video_url": proposal.video_url,
            "recording_license": proposal.recording_license,
            "version": proposal.version,
        }
    ),
)
ORGANISER_PARTS = {**SPEAKER_PARTS, "recording": RECORDING}


@event_permission("can_edit_event", "can_schedule")
def proposal_material(request, event, code):
    """Slides, links and the recording of one session."""
    event = request.event
    proposal = get_object_or_404(queries.for_viewer(request.user, event), code=code.upper())
    return material_page(
        request,
        proposal,
        ORGANISER_PARTS,
        template="orga/proposals/material.html",
        saved=_("Saved. The public talk page and the exports show it with the next schedule release."),
        back=reverse("orga:proposal_material", kwargs={"event": event.slug, "code": proposal.code}),
        context={"event": event, "proposal": proposal},
    )
