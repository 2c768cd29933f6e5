"""A session's material: slides and links its speakers give, before and after the talk, and the
recording its organisers (or the video team) add.

Speakers of a proposal that is still in the program (not withdrawn, rejected or cancelled) give
links and upload slides (a PDF, checked by `base.uploads.clean_pdf`) at any time, also after the event
and after the CfP closed. Organisers who edit the event or schedule it (the video team gets
`can_schedule`) do the same and set the recording's address; a session whose speakers do not consent
to recording (`do_not_record`) refuses a recording address.

The public site shows a release's copy of these fields (schedule.snapshot): what is given here reaches
the public talk page and the exports with the next release, whose changelog lists the session as
changed ("links and video").
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.uploads import clean_pdf
from podium.events.rules import permissions_for
from podium.proposals import links as link_rules
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal

CLOSED_STATES = (ProposalState.WITHDRAWN, ProposalState.REJECTED, ProposalState.CANCELLED)
SLIDES_DIR = "slides/"
NOT_RECORDED = gettext_lazy(
    "The speakers of this session do not consent to recording, so it takes no recording address. "
    "Clear “do not record” first if they changed their mind."
)


def may_edit_recording(user, event) -> bool:
    """Organisers who edit the event or schedule it (the video team) set recordings."""
    perms = permissions_for(user, event)
    return perms.can_edit_event or perms.can_schedule


def _check_material_actor(proposal: Proposal, by) -> None:
    if by is None or may_edit_recording(by, proposal.event):
        return
    if not proposal.speakers.filter(pk=by.pk).exists():
        raise NotAllowed(_("Only the session's speakers and its organisers may change its slides and links."))
    if proposal.state in CLOSED_STATES:
        raise NotAllowed(_("This proposal is no longer in the program: its slides and links cannot change."))


def _locked(proposal: Proposal, version: int | None) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if version is not None and locked.version != version:
        raise StaleEdit(
            _("Someone else saved this session while you were editing. Review it and edit again.")
        )
    return locked


def _validated(name: str, value) -> list:
    try:
        link_rules.validate_links(value)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field=name) from exc
    return value


@transaction.atomic
def save_materials(
    *, proposal: Proposal, by, links: list[dict], attachments: list[dict], version: int | None = None
) -> Proposal:
    """Replace the session's links and attachments (slides, papers): lists of {"title", "url"} with
    http(s) addresses. Allowed to its speakers (while it is in the program) and its organisers.
    A stale `version` is refused. Side effects: audit entry; the proposal's version goes up."""
    _check_material_actor(proposal, by)
    locked = _locked(proposal, version)
    links, attachments = _validated("links", links), _validated("attachments", attachments)
    changed = [
        name
        for name, value in (("links", links), ("attachments", attachments))
        if getattr(locked, name) != value
    ]
    if changed:
        locked.links, locked.attachments = links, attachments
        locked.version += 1
        locked.save(update_fields=["links", "attachments", "version", "updated"])
        audit.record(
            action="proposal.materials_saved",
            actor=by,
            target=locked,
            event_id=locked.event_id,
            fields=changed,
        )
    return locked


def slides_url(name: str) -> str:
    return settings.BASE_URL + settings.MEDIA_URL + name


@transaction.atomic
def upload_slides(*, proposal: Proposal, by, upload, title: str = "") -> Proposal:
    """Store an uploaded PDF (checked by `base.uploads.clean_pdf`: PDF content, at most 20 MB) and add
    it to the session's attachments under `title` ("Slides" when empty). Same actors as
    `save_materials`. Side effects: the file in storage (removed again if saving fails),
    audit entry; the proposal's version goes up."""
    _check_material_actor(proposal, by)
    locked = _locked(proposal, None)
    if len(locked.attachments) >= link_rules.MAX_LINKS:
        raise ServiceError(
            _("A session has at most %(max)s attachments.") % {"max": link_rules.MAX_LINKS}, field="slides"
        )
    try:
        clean = clean_pdf(upload)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), field="slides") from exc
    name = default_storage.save(SLIDES_DIR + clean.name, clean)
    try:
        locked.attachments = [*locked.attachments, link_rules.link(title or "Slides", slides_url(name))]
        locked.version += 1
        locked.save(update_fields=["attachments", "version", "updated"])
        audit.record(
            action="proposal.slides_uploaded", actor=by, target=locked, event_id=locked.event_id, file=name
        )
    except Exception:
        default_storage.delete(name)  # nothing points at it
        raise
    return locked


@transaction.atomic
def set_recording(
    *,
    proposal: Proposal,
    by,
    video_url: str,
    recording_license: str | None = None,
    version: int | None = None,
) -> Proposal:
    """Set (or clear, with "") the session's recording address and, when given, its licence. Allowed
    to organisers who edit or schedule the event. Refused for a session whose speakers do not
    consent to recording. Side effects: audit entry; the proposal's version goes up."""
    if by is not None and not may_edit_recording(by, proposal.event):
        raise NotAllowed(_("Only organisers who edit or schedule this event may set recordings."))
    locked = _locked(proposal, version)
    video_url = str(video_url or "").strip()
    if video_url and link_rules.web_url(video_url) is None:
        raise ServiceError(
            _("Enter a full web address starting with http:// or https://."), field="video_url"
        )
    if video_url and locked.do_not_record:
        raise ServiceError(str(NOT_RECORDED), field="video_url")
    changed = []
    if locked.video_url != video_url:
        locked.video_url = video_url
        changed.append("video_url")
    if recording_license is not None and locked.recording_license != recording_license.strip()[:200]:
        locked.recording_license = recording_license.strip()[:200]
        changed.append("recording_license")
    if changed:
        locked.version += 1
        locked.save(update_fields=[*changed, "version", "updated"])
        audit.record(
            action="proposal.recording_set", actor=by, target=locked, event_id=locked.event_id, fields=changed
        )
    return locked
