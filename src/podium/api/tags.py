"""Tags on proposals and sessions' recordings through API tokens.

Everyone whose token reaches the event's proposals reads its tags and which proposals carry them;
writes need a write token of an organiser who manages the event's proposals (tags) or who edits or
schedules the event (recordings), and go through the same services as the pages.
"""

from typing import Annotated

from django.http import Http404
from ninja import Header, Router, Schema, Status
from ninja.decorators import decorate_view
from pydantic import BeforeValidator, Field, Strict, StringConstraints

from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.idempotency import idempotent
from podium.api.organiser import READ_ERRORS, WRITE_ERRORS, _event, _visible_proposal
from podium.proposals import materials, tagging
from podium.proposals import queries as proposal_queries
from podium.proposals.models import Proposal, Tag

router = Router(tags=["tags and recordings"])

IDEMPOTENCY = Header(
    None,
    alias="Idempotency-Key",
    description="Repeat a write safely: the same key with the same token returns the first answer.",
)
TagName = Annotated[str, StringConstraints(min_length=1, max_length=50)]
Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")]
TagId = Annotated[int, Field(ge=1, le=2**31 - 1), Strict(False), BeforeValidator(s._json_number)]


class TagOut(Schema):
    id: int
    name: str
    colour: str
    public: bool = Field(description="Shown on the public talk pages.")
    version: int


class TagIn(s.StrictInput):
    name: TagName
    colour: Colour = "#6c757d"
    public: bool = False


class TagChange(s.StrictInput):
    name: TagName
    colour: Colour
    public: bool
    version: s.Version | None = Field(None, description="The version you read (409 if it changed since).")


class ProposalTagsIn(s.StrictInput):
    tags: list[TagId] = Field(max_length=200, description="The ids of the event's tags the proposal carries.")


class ProposalTagsOut(Schema):
    code: str
    tags: list[int]


class RecordingIn(s.StrictInput):
    video_url: Annotated[str, StringConstraints(max_length=500)] = Field(
        description="The recording's http(s) address; empty for none."
    )
    recording_license: Annotated[str, StringConstraints(max_length=200)] | None = None
    version: s.Version | None = None


class RecordingOut(Schema):
    code: str
    do_not_record: bool
    video_url: str
    recording_license: str
    version: int


def _tag_out(tag: Tag) -> dict:
    return {
        "id": tag.pk,
        "name": tag.name,
        "colour": tag.colour,
        "public": tag.public,
        "version": tag.version,
    }


def _tag(event, pk: int) -> Tag:
    tag = event.tags.filter(pk=pk).first()
    if tag is None:
        raise Http404("The event has no tag with this id.")
    return tag


def _tags(event, ids: list[int]) -> list[Tag]:
    found = list(event.tags.filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise Http404("Some of these ids are no tag of this event.")
    return found


@router.get("/orga/events/{event}/tags", response={200: list[TagOut], **READ_ERRORS}, auth=TOKEN)
def tags(request, event: s.Slug):
    """The event's tags by name."""
    found = _event(request, event)
    return [_tag_out(tag) for tag in found.tags.all()]


@router.post("/orga/events/{event}/tags", response={201: TagOut, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def create_tag(request, event: s.Slug, data: TagIn, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY):
    """A new tag (the name is unique in the event, ignoring case)."""
    found = _event(request, event, write=True)
    tag = tagging.save_tag(
        event=found, by=request.auth.user, name=data.name, colour=data.colour, public=data.public
    )
    return Status(201, _tag_out(tag))


@router.put("/orga/events/{event}/tags/{tag}", response={200: TagOut, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def change_tag(
    request, event: s.Slug, tag: int, data: TagChange, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    found = _event(request, event, write=True)
    saved = tagging.save_tag(
        event=found,
        by=request.auth.user,
        name=data.name,
        colour=data.colour,
        public=data.public,
        tag=_tag(found, tag),
        version=data.version,
    )
    return _tag_out(saved)


@router.delete("/orga/events/{event}/tags/{tag}", response={204: None, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def delete_tag(request, event: s.Slug, tag: int, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY):
    """Delete a tag; it comes off every proposal."""
    found = _event(request, event, write=True)
    tagging.delete_tag(tag=_tag(found, tag), by=request.auth.user)
    return Status(204, None)


@router.get(
    "/orga/events/{event}/proposal-tags", response={200: list[ProposalTagsOut], **READ_ERRORS}, auth=TOKEN
)
def proposal_tags(request, event: s.Slug):
    """Every proposal the token's user may see with the ids of its tags, by code (two queries)."""
    found = _event(request, event)
    visible = proposal_queries.for_viewer(request.auth.user, found)
    codes = dict(visible.values_list("pk", "code"))
    tagged: dict[int, list[int]] = {pk: [] for pk in codes}
    through = Proposal.tags.through.objects.filter(proposal_id__in=list(codes)).order_by("tag_id")
    for proposal_id, tag_id in through.values_list("proposal_id", "tag_id"):
        tagged[proposal_id].append(tag_id)
    return sorted(
        ({"code": codes[pk], "tags": ids} for pk, ids in tagged.items()), key=lambda row: row["code"]
    )


@router.put(
    "/orga/events/{event}/proposals/{code}/tags", response={200: ProposalTagsOut, **WRITE_ERRORS}, auth=TOKEN
)
@decorate_view(idempotent)
def set_tags(
    request,
    event: s.Slug,
    code: s.Code,
    data: ProposalTagsIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Make the proposal's tags exactly these."""
    found, user = _event(request, event, write=True), request.auth.user
    proposal = _visible_proposal(found, user, code)
    saved = tagging.set_proposal_tags(proposal=proposal, by=user, tags=_tags(found, data.tags))
    return {"code": proposal.code, "tags": [tag.pk for tag in saved]}


@router.put(
    "/orga/events/{event}/proposals/{code}/recording",
    response={200: RecordingOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def set_recording(
    request,
    event: s.Slug,
    code: s.Code,
    data: RecordingIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Set or clear a session's recording address (refused, 400, for a session not to be recorded). The
    public talk page and the exports show it with the next release."""
    found, user = _event(request, event, write=True), request.auth.user
    proposal = _visible_proposal(found, user, code)
    saved = materials.set_recording(
        proposal=proposal,
        by=user,
        video_url=data.video_url,
        recording_license=data.recording_license,
        version=data.version,
    )
    return {
        "code": saved.code,
        "do_not_record": saved.do_not_record,
        "video_url": saved.video_url,
        "recording_license": saved.recording_license,
        "version": saved.version,
    }
