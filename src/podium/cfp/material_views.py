"""A speaker's slides and links for their session, before and after the talk (proposals.materials).

The parts of a material page (`MaterialPart`: a form, how it saves, how it starts) are shared with the
back office's material page (orga.views.materials), which adds the recording."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from podium.base.forms import save_form
from podium.base.permissions import login_required
from podium.events.models import Event
from podium.events.visibility import INSIDERS, event_or_404
from podium.proposals import materials, rules
from podium.proposals.forms import MaterialsForm, SlidesForm


@dataclass(frozen=True)
class MaterialPart:
    """One form of a material page, sent with its `part` (a hidden field)."""

    form: type  # the form class, taking (data, files)
    save: Callable  # (proposal, by, cleaned_data) -> what the service returns; a ServiceError refuses
    blank: Callable  # proposal -> the form before anything is sent


SLIDES = MaterialPart(
    form=SlidesForm,
    save=lambda proposal, by, data: materials.upload_slides(
        proposal=proposal, by=by, upload=data["slides"], title=data["title"]
    ),
    blank=lambda proposal: SlidesForm(),
)
LINKS = MaterialPart(
    form=MaterialsForm,
    save=lambda proposal, by, data: materials.save_materials(
        proposal=proposal,
        by=by,
        links=data["links"],
        attachments=data["attachments"],
        version=data.get("version"),
    ),
    blank=MaterialsForm.for_proposal,
)
# What speakers give, in the order of the page's context.
SPEAKER_PARTS = {"links": LINKS, "slides": SLIDES}


def save_material_part(request, proposal, parts: dict, *, default: str | None = None):
    """Save the part of a material page a POST sends (its `part`; `default` for any other, or none):
    ({part: the form, with its errors if refused}, what was saved or None)."""
    part = request.POST.get("part", "")
    if part not in parts:
        part = default
    if part is None:
        return {}, None
    form, saved = save_form(
        parts[part].form(request.POST, request.FILES),
        lambda form: parts[part].save(proposal, request.user, form.cleaned_data),
    )
    return {part: form}, saved


def material_forms(proposal, parts: dict, sent: dict) -> dict:
    """The page's forms as `<part>_form`: the one sent back with its errors, the others as they start."""
    return {f"{name}_form": sent.get(name) or part.blank(proposal) for name, part in parts.items()}


def material_page(
    request,
    proposal,
    parts: dict,
    *,
    template: str,
    saved: str,
    back: str,
    context: dict,
    default: str | None = None,
):
    """A material page: a POST saves its part (see `save_material_part`) and goes `back` with the
    message `saved`; otherwise, or when refused, `template` with `context` and the forms."""
    sent = {}
    if request.method == "POST":
        sent, done = save_material_part(request, proposal, parts, default=default)
        if done:
            messages.success(request, saved)
            return redirect(back)
    return render(request, template, {**context, **material_forms(proposal, parts, sent)})


def _event(request, slug: str) -> Event:
    return event_or_404(slug, request.user, admit=INSIDERS)


@login_required
def material(request, event, code):
    """The speaker uploads slides (PDF) or gives links, at any time while the session is in the program."""
    event = _event(request, event)
    proposal = get_object_or_404(rules.own_proposals(request.user, event), code=code.upper())
    return material_page(
        request,
        proposal,
        SPEAKER_PARTS,
        default="links",
        template="cfp/material.html",
        saved=_("Saved. The public talk page shows it once the organisers publish the schedule again."),
        back=reverse("cfp:material", kwargs={"event": event.slug, "code": proposal.code}),
        context={
            "event": event,
            "proposal": proposal,
            "closed": proposal.state in materials.CLOSED_STATES,
        },
    )
