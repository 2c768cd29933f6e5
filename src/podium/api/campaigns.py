"""Mail campaigns through API tokens: campaigns with their counts, audiences with how many people they
match now, a new draft campaign, and the steps the campaign page offers (submit, approve, send,
cancel). The same rules as the pages: every team member with a mail flag reads them
(campaigns.rules.SEE_FLAGS); each step is checked by its service (draft, approve, send)."""

import datetime as dt
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import StringConstraints

from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.idempotency import idempotent
from podium.api.organiser import READ_ERRORS, WRITE_ERRORS, _event, _page
from podium.campaigns import audiences, queries, rules, services
from podium.campaigns.models import Campaign

router = Router(tags=["campaigns"])
IDEMPOTENCY = Header(
    None,
    alias="Idempotency-Key",
    description="Repeat a write safely: the same key with the same token returns the first answer.",
)


class CampaignCounts(Schema):
    recipients: int = Field(description="People written at submission, skipped ones included.")
    skipped: int
    held: int
    queued: int
    sent: int
    failed: int
    discarded: int


class CampaignOut(Schema):
    id: int
    name: str
    state: str = Field(description="draft, in_review, approved, sending, sent or cancelled")
    audience: int
    template: int
    subject: str = Field(description="The subject as submitted (empty for a draft).")
    rate_per_minute: int
    created: dt.datetime
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    sending_at: dt.datetime | None
    sent_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    counts: CampaignCounts


class CampaignPage(s.Page):
    items: list[CampaignOut]


class AudienceOut(Schema):
    id: int
    name: str
    kind: str
    filters: dict
    description: str
    count: int = Field(description="How many people the audience matches now.")


class AudiencePage(s.Page):
    items: list[AudienceOut]


class CampaignIn(s.StrictInput):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=s.NO_NUL)]
    audience: s.JsonInt = Field(ge=1, le=2**31 - 1, description="The id of one of the event's audiences.")
    template: s.JsonInt = Field(ge=1, le=2**31 - 1, description="The id of one of the event's templates.")
    rate_per_minute: s.JsonInt = Field(100, ge=1, le=services.MAX_RATE)


class CampaignStep(s.StrictInput):
    action: Literal["submit", "approve", "send", "cancel"]


def _mail_event(request, slug: str, *, write: bool = False):
    found = _event(request, slug, write=write)
    if not rules.can_see(request.auth.user, found):
        raise HttpError(403, "The token's user does not work on this event's mail.")
    return found


def _campaign_out(campaign) -> dict:
    return {
        "id": campaign.pk,
        "name": campaign.name,
        "state": campaign.state,
        "audience": campaign.audience_id,
        "template": campaign.template_id,
        "subject": campaign.subject,
        "rate_per_minute": campaign.rate_per_minute,
        "created": campaign.created,
        "submitted_at": campaign.submitted_at,
        "approved_at": campaign.approved_at,
        "sending_at": campaign.sending_at,
        "sent_at": campaign.sent_at,
        "cancelled_at": campaign.cancelled_at,
        "counts": {
            "recipients": campaign.recipient_count,
            "skipped": campaign.skipped_count,
            "held": campaign.held_count,
            "queued": campaign.queued_count,
            "sent": campaign.sent_count,
            "failed": campaign.failed_count,
            "discarded": campaign.discarded_count,
        },
    }


def _one(event, pk: int) -> dict:
    try:
        return _campaign_out(queries.campaign_with_counts(event, pk))
    except Campaign.DoesNotExist:
        raise Http404("This event has no campaign with this id.") from None


@router.get("/orga/events/{event}/campaigns", response={200: CampaignPage, **READ_ERRORS}, auth=TOKEN)
def campaign_list(request, event: s.Slug, page: Query[s.PageParams]):
    """The event's campaigns, newest first, with the counts of their mails."""
    found = _mail_event(request, event)
    return _page(queries.campaigns_with_counts(found), page, lambda rows: [_campaign_out(c) for c in rows])


@router.get(
    "/orga/events/{event}/campaigns/{campaign}", response={200: CampaignOut, **READ_ERRORS}, auth=TOKEN
)
def campaign_detail(request, event: s.Slug, campaign: s.DbInt):
    return _one(_mail_event(request, event), campaign)


@router.post("/orga/events/{event}/campaigns", response={201: CampaignOut, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def campaign_create(
    request, event: s.Slug, data: CampaignIn, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """A new draft campaign of one of the event's audiences and templates (the token's user drafts mail)."""
    found = _mail_event(request, event, write=True)
    made = services.save_campaign(
        event=found,
        by=request.auth.user,
        name=data.name,
        audience=found.campaign_audiences.filter(pk=data.audience).first(),
        template=found.campaign_templates.filter(pk=data.template).first(),
        rate_per_minute=data.rate_per_minute,
    )
    return Status(201, _one(found, made.pk))


STEPS = {
    "submit": services.submit_campaign,
    "approve": services.approve_campaign,
    "send": services.send_campaign,
    "cancel": services.cancel_campaign,
}


@router.post(
    "/orga/events/{event}/campaigns/{campaign}/steps", response={200: CampaignOut, **WRITE_ERRORS}, auth=TOKEN
)
@decorate_view(idempotent)
def campaign_step(
    request,
    event: s.Slug,
    campaign: s.DbInt,
    data: CampaignStep,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Submit for review, approve, send or cancel, as on the campaign's page (same flags, same rules:
    an approval by the submitter is refused unless the event allows it; 409 when the state moved)."""
    found = _mail_event(request, event, write=True)
    target = found.campaigns.filter(pk=campaign).first()
    if target is None:
        raise Http404("This event has no campaign with this id.")
    STEPS[data.action](campaign=target, by=request.auth.user)
    return _one(found, target.pk)


@router.get(
    "/orga/events/{event}/campaign-audiences", response={200: AudiencePage, **READ_ERRORS}, auth=TOKEN
)
def audience_list(request, event: s.Slug, page: Query[s.PageParams]):
    """The event's saved audiences, each with how many people it matches now."""
    found = _mail_event(request, event)

    def render(rows):
        return [
            {
                "id": a.pk,
                "name": a.name,
                "kind": a.kind,
                "filters": a.filters,
                "description": audiences.describe(a),
                "count": len(audiences.recipients(a)),
            }
            for a in rows
        ]

    return _page(found.campaign_audiences.select_related("event").order_by("name", "pk"), page, render)
