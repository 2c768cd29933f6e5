"""The organiser's work through API tokens: proposals, reviews, decisions, the draft schedule, releases.

A token acts as its user, within the events it names and its scope: every call is limited by the
user's team flags exactly as the back-office pages are, and every change goes through the same
service (same validation, same audit log, decisions held pending as on the pages).
"""

from django.http import Http404
from ninja import Header, Query, Router, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from podium.accounts.models import TokenScope
from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.idempotency import idempotent
from podium.api.public import release_out
from podium.base.errors import ServiceError
from podium.events.models import Event
from podium.events.rules import permissions_for
from podium.proposals import queries as proposal_queries
from podium.reviews import services as review_services
from podium.schedule import rules as schedule_rules
from podium.schedule import services as schedule_services
from podium.schedule.models import Slot

router = Router(tags=["organiser"])

READ_ERRORS = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
WRITE_ERRORS = {**READ_ERRORS, 400: s.Error, 409: s.Error}
IDEMPOTENCY = Header(
    None,
    alias="Idempotency-Key",
    description="Repeat a write safely: the same key with the same token returns the first answer.",
)


def _event(request, slug: str, *, write: bool = False, devices: bool = False) -> Event:
    """The event, if the token names it; 403 when a write needs a write token or the user lost access.
    Check-in device tokens reach only the calls that say `devices` (the attendee list, check-ins)."""
    token = request.auth
    if token.scope == TokenScope.CHECKIN and not devices:
        raise HttpError(
            403, "This token is for check-in devices: it reads the attendee list and checks tickets in."
        )
    event = (
        token.events.select_related("organiser").filter(slug=slug, organiser_id=token.organiser_id).first()
    )
    if event is None:
        raise Http404("This token names no event with this slug.")
    if write and not (token.can_write or (devices and token.scope == TokenScope.CHECKIN)):
        raise HttpError(403, "This token may only read. Make a write token to change data.")
    if not permissions_for(token.user, event).is_team_member:
        raise HttpError(403, "The token's user is no longer on a team of this event.")
    return event


def _page(queryset, params, render) -> dict:
    items = list(queryset[params.offset : params.offset + params.limit])
    return {
        "count": queryset.count(),
        "limit": params.limit,
        "offset": params.offset,
        "items": render(items),
    }


def _track(track) -> dict | None:
    return {"id": track.pk, "name": track.name, "colour": track.colour} if track else None


def _speakers_out(shown) -> list[dict] | None:
    """The speakers of a proposal as its viewer sees them (None where their identity is hidden)."""
    if shown is None:
        return None
    return [
        {
            "code": speaker.profile.code if speaker.profile else "",
            "name": speaker.user.name,
            "email": speaker.user.email,
            "bio": speaker.profile.bio if speaker.profile else "",
        }
        for speaker in shown
    ]


def _proposals_out(proposals: list) -> list[dict]:
    """Proposals from `proposals.queries.for_viewer`, in the form their viewer may see them."""
    result = []
    for proposal in proposals:
        result.append(
            {
                "code": proposal.code,
                "title": proposal.title,
                "abstract": proposal.abstract,
                "description": proposal.description,
                "state": proposal.state,
                "pending_state": proposal.pending_state,
                "track": _track(proposal.track),
                "session_type": {
                    "id": proposal.session_type.pk,
                    "name": proposal.session_type.name,
                    "duration_minutes": proposal.session_type.duration_minutes,
                },
                "language": proposal.language,
                "audience_level": proposal.audience_level,
                "created": proposal.created,
                "updated": proposal.updated,
                "version": proposal.version,
                "speakers": _speakers_out(proposal.shown_speakers),
                "notes": proposal.shown_notes,
            }
        )
    return result


def _visible_proposal(event, user, code: str):
    proposal = proposal_queries.for_viewer(user, event).filter(code=code.upper()).first()
    if proposal is None:
        raise Http404("No proposal you may see has this code.")
    return proposal


@router.get("/orga/events/{event}/proposals", response={200: s.ProposalPage, **READ_ERRORS}, auth=TOKEN)
def proposals(request, event: s.Slug, filters: Query[s.ProposalFilters]):
    """The proposals the token's user may see (their teams' tracks), newest first; filter by state or track."""
    found, user = _event(request, event), request.auth.user
    queryset = proposal_queries.for_viewer(user, found).order_by("-created", "-id")
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    if filters.track:
        queryset = queryset.filter(track_id=filters.track)
    return _page(queryset, filters, _proposals_out)


@router.get("/orga/events/{event}/proposals/{code}", response={200: s.ProposalOut, **READ_ERRORS}, auth=TOKEN)
def proposal_detail(request, event: s.Slug, code: s.Code):
    found, user = _event(request, event), request.auth.user
    return _proposals_out([_visible_proposal(found, user, code)])[0]


@router.post(
    "/orga/events/{event}/proposals/{code}/decision",
    response={200: s.ProposalOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def decide(
    request,
    event: s.Slug,
    code: s.Code,
    data: s.DecisionIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Accept or reject: the decision is held pending, with its mails, until sent from the outbox page."""
    found, user = _event(request, event, write=True), request.auth.user
    proposal = _visible_proposal(found, user, code)
    review_services.decide(proposal=proposal, decision=data.decision, by=user)
    return _proposals_out([_visible_proposal(found, user, code)])[0]


def _slots_out(slots) -> list[dict]:
    return [
        {
            "id": slot.pk,
            "uuid": slot.uuid,
            "kind": slot.kind,
            "code": slot.proposal.code if slot.proposal_id else "",
            "title": slot.proposal.title if slot.proposal_id else slot.title,
            "room": {"id": slot.room.pk, "uuid": slot.room.uuid, "name": slot.room.name}
            if slot.room_id
            else None,
            "start": slot.start,
            "end": slot.end,
            "pinned": slot.pinned,
            "version": slot.version,
        }
        for slot in slots
    ]


def _schedule_event(request, slug: str, *, write: bool = False) -> Event:
    found = _event(request, slug, write=write)
    if not schedule_rules.can_schedule(request.auth.user, found):
        raise HttpError(403, "The token's user may not edit the schedule of this event.")
    return found


@router.get("/orga/events/{event}/slots", response={200: s.SlotPage, **READ_ERRORS}, auth=TOKEN)
def slots(request, event: s.Slug, page: Query[s.PageParams]):
    """The draft: every session's slot (placed or not) and every break, placed ones in time order."""
    found = _schedule_event(request, event)
    queryset = (
        Slot.objects.filter(event=found)
        .select_related("room", "proposal")
        .order_by("start", "room__position", "id")
    )
    return _page(queryset, page, _slots_out)


def _slot_of(event, code: str) -> Slot:
    return Slot.objects.select_related("room", "proposal").get(event=event, proposal__code=code.upper())


@router.put("/orga/events/{event}/slots/{code}", response={200: s.SlotOut, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def place(
    request,
    event: s.Slug,
    code: s.Code,
    data: s.PlaceIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Place or move a session; `version` is the slot version you read (409 if it changed since)."""
    found = _schedule_event(request, event, write=True)
    if not 1900 <= data.start.year <= 2999:
        # Far-off years are no conference day (and overflow in time zone arithmetic).
        raise ServiceError("Choose a start between the years 1900 and 2999.", field="start")
    proposal = found.proposals.select_related("session_type").filter(code=code.upper()).first()
    room = found.rooms.filter(uuid=data.room).first()
    if proposal is None or room is None:
        raise Http404("This event has no session with this code, or no room with this uuid.")
    schedule_services.place_session(
        event=found,
        proposal=proposal,
        room=room,
        start=data.start,
        version=data.version,
        by=request.auth.user,
    )
    return _slots_out([_slot_of(found, code)])[0]


@router.post(
    "/orga/events/{event}/slots/{code}/unschedule", response={200: s.SlotOut, **WRITE_ERRORS}, auth=TOKEN
)
@decorate_view(idempotent)
def unschedule(
    request,
    event: s.Slug,
    code: s.Code,
    data: s.UnscheduleIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Take a session off the grid (it stays in the draft, unscheduled)."""
    found = _schedule_event(request, event, write=True)
    proposal = found.proposals.filter(code=code.upper()).first()
    if proposal is None:
        raise Http404("This event has no session with this code.")
    schedule_services.unschedule_session(
        event=found, proposal=proposal, version=data.version, by=request.auth.user
    )
    return _slots_out([_slot_of(found, code)])[0]


@router.put("/orga/events/{event}/slots/{code}/pin", response={200: s.SlotOut, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def pin(
    request,
    event: s.Slug,
    code: s.Code,
    data: s.PinIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Pin a placed session where it is (automatic scheduling then leaves it there), or unpin it; 400
    for a session not on the grid, 409 when the slot changed since `version`. Taking a session off the
    grid drops its pin."""
    found = _schedule_event(request, event, write=True)
    proposal = found.proposals.filter(code=code.upper()).first()
    if proposal is None:
        raise Http404("This event has no session with this code.")
    schedule_services.set_pinned(
        event=found, proposal=proposal, pinned=data.pinned, version=data.version, by=request.auth.user
    )
    return _slots_out([_slot_of(found, code)])[0]


@router.post("/orga/events/{event}/releases", response={201: s.ReleaseOut, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def publish(
    request,
    event: s.Slug,
    data: s.PublishIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Publish the draft as the next release (400 when nothing public changed, unless `force`)."""
    found = _schedule_event(request, event, write=True)
    release = schedule_services.publish_release(
        event=found, by=request.auth.user, name=data.name, comment=data.comment, force=data.force
    )
    return Status(201, release_out(release))
