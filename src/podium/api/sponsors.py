"""Sponsors through API tokens: the organiser's organisations with their contacts, an event's
sponsorships with their level and stage, the log of a sponsorship; and adding an entry to the log.

The token's user needs what the back-office pages need (`sponsors.rules.can_manage_sponsors`:
`can_manage_sponsors` or `is_admin` in the event); the entry goes through the same service as the
page's form (same checks, same audit entry). Sponsorships are found through the event, organisations
through the event's organiser: another event's or organiser's ids answer 404.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.http import Http404
from django.utils.encoding import filepath_to_uri
from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import BeforeValidator, Field, Strict, StringConstraints

from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.idempotency import idempotent
from podium.api.organiser import IDEMPOTENCY, READ_ERRORS, WRITE_ERRORS, _event, _page
from podium.base.errors import ServiceError
from podium.sponsors import rules, services
from podium.sponsors.models import (
    Interaction,
    InteractionKind,
    Organisation,
    OrganisationContact,
    OrganisationKind,
    Sponsorship,
    Stage,
)

router = Router(tags=["sponsors"])

StageName = Literal[tuple(Stage.values)]  # type: ignore[valid-type]
KindName = Literal[tuple(OrganisationKind.values)]  # type: ignore[valid-type]
InteractionKindName = Literal[tuple(InteractionKind.values)]  # type: ignore[valid-type]
# A database id in a request body: a JSON number without a fraction (as schemas.JsonInt).
RowId = Annotated[int, Field(ge=1, le=2**31 - 1), Strict(False), BeforeValidator(s._json_number)]


# --- What the calls read and write ---------------------------------------------------------------


class ContactOut(Schema):
    id: int
    name: str
    email: str
    phone: str
    role: str
    is_primary: bool


class OrganisationOut(Schema):
    id: int
    name: str
    kind: KindName
    website: str
    description: str = Field(description="Markdown, shown on the public sponsors page.")
    logo: str | None = Field(description="The logo's path on this site (under /media/), null without one.")
    notes: str = Field(description="For the team only.")
    version: int
    contacts: list[ContactOut]


class OrganisationPage(s.Page):
    items: list[OrganisationOut]


class OrganisationFilters(s.PageParams):
    kind: KindName | None = None


class OrganisationRef(Schema):
    id: int
    name: str
    kind: KindName


class LevelRef(Schema):
    id: int
    name: str
    position: int
    logo_size: str


class PersonRef(Schema):
    name: str
    email: str


class SponsorshipOut(Schema):
    id: int
    organisation: OrganisationRef
    level: LevelRef | None
    stage: StageName
    public: bool = Field(description="Shown on the public sponsors page (committed, invoiced or paid).")
    owner: PersonRef | None
    track: s.TrackRef | None = Field(description="Talks in this track are marked as sponsored by it.")
    amount: Decimal | None = Field(description="null: the level's price.")
    stage_changed: dt.datetime
    version: int


class SponsorshipPage(s.Page):
    items: list[SponsorshipOut]


class SponsorshipFilters(s.PageParams):
    stage: StageName | None = None


class InteractionOut(Schema):
    id: int
    kind: InteractionKindName
    happened_at: dt.datetime
    summary: str
    text: str
    contact: ContactOut | None
    by: PersonRef | None
    next_step: str
    due: dt.date | None
    assigned_to: PersonRef | None
    done_at: dt.datetime | None
    version: int


class InteractionPage(s.Page):
    items: list[InteractionOut]


class InteractionIn(s.StrictInput):
    kind: InteractionKindName = InteractionKind.NOTE
    happened_at: s.IsoDatetime | None = Field(None, description="Default: now. With a time zone offset.")
    summary: Annotated[str, StringConstraints(min_length=1, max_length=300, pattern=s.NO_NUL)]
    text: Annotated[str, StringConstraints(max_length=10_000, pattern=s.NO_NUL)] = ""
    contact: RowId | None = Field(None, description="The id of one of the organisation's contacts.")
    next_step: Annotated[str, StringConstraints(max_length=300, pattern=s.NO_NUL)] = ""
    due: s.IsoDate | None = Field(None, description="Needs a next step.")
    assigned_to: Annotated[str, StringConstraints(max_length=254, pattern=s.NO_NUL)] | None = Field(
        None,
        description="The e-mail address of a team member who manages sponsors; default: the token's user "
        "when there is a next step.",
    )


# --- Helpers --------------------------------------------------------------------------------------


def _sponsors_event(request, slug: str, *, write: bool = False):
    """The event, when the token names it and its user manages the event's sponsors (as the pages)."""
    found = _event(request, slug, write=write)
    if not rules.can_manage_sponsors(request.auth.user, found):
        raise HttpError(403, "The token's user does not manage this event's sponsors.")
    return found


def _person(user) -> dict | None:
    return {"name": user.name, "email": user.email} if user is not None else None


def _contact(contact) -> dict | None:
    if contact is None:
        return None
    return {
        "id": contact.pk,
        "name": contact.name,
        "email": contact.email,
        "phone": contact.phone,
        "role": contact.role,
        "is_primary": contact.is_primary,
    }


def _logo(organisation) -> str | None:
    """The logo's path on this site (as the public API gives speaker photos)."""
    return settings.MEDIA_URL + filepath_to_uri(organisation.logo.name) if organisation.logo else None


def _organisations_out(organisations) -> list[dict]:
    return [
        {
            "id": organisation.pk,
            "name": organisation.name,
            "kind": organisation.kind,
            "website": organisation.website,
            "description": organisation.description,
            "logo": _logo(organisation),
            "notes": organisation.notes,
            "version": organisation.version,
            "contacts": [_contact(contact) for contact in organisation.contacts.all()],
        }
        for organisation in organisations
    ]


def _organisations(event):
    contacts = OrganisationContact.objects.order_by("-is_primary", "name", "pk")
    return (
        Organisation.objects.filter(organiser_id=event.organiser_id)
        .prefetch_related(Prefetch("contacts", queryset=contacts))
        .order_by("name", "pk")
    )


def _sponsorships_out(sponsorships) -> list[dict]:
    return [
        {
            "id": sponsorship.pk,
            "organisation": {
                "id": sponsorship.organisation.pk,
                "name": sponsorship.organisation.name,
                "kind": sponsorship.organisation.kind,
            },
            "level": {
                "id": sponsorship.level.pk,
                "name": sponsorship.level.name,
                "position": sponsorship.level.position,
                "logo_size": sponsorship.level.logo_size,
            }
            if sponsorship.level is not None
            else None,
            "stage": sponsorship.stage,
            "public": sponsorship.is_public,
            "owner": _person(sponsorship.owner),
            "track": {
                "id": sponsorship.track.pk,
                "name": sponsorship.track.name,
                "colour": sponsorship.track.colour,
            }
            if sponsorship.track is not None
            else None,
            "amount": sponsorship.amount,
            "stage_changed": sponsorship.stage_changed,
            "version": sponsorship.version,
        }
        for sponsorship in sponsorships
    ]


def _sponsorships(event):
    return Sponsorship.objects.filter(event=event).select_related("organisation", "level", "owner", "track")


def _sponsorship(event, pk: int) -> Sponsorship:
    found = _sponsorships(event).filter(pk=pk).first()
    if found is None:
        raise Http404("This event has no sponsorship with this id.")
    return found


def _interactions_out(interactions) -> list[dict]:
    return [
        {
            "id": entry.pk,
            "kind": entry.kind,
            "happened_at": entry.happened_at,
            "summary": entry.summary,
            "text": entry.text,
            "contact": _contact(entry.contact),
            "by": _person(entry.by),
            "next_step": entry.next_step,
            "due": entry.due,
            "assigned_to": _person(entry.assigned_to),
            "done_at": entry.done_at,
            "version": entry.version,
        }
        for entry in interactions
    ]


def _interactions(sponsorship):
    return (
        Interaction.objects.filter(sponsorship=sponsorship)
        .select_related("contact", "by", "assigned_to")
        .order_by("-happened_at", "-id")
    )


# --- The calls ------------------------------------------------------------------------------------


@router.get(
    "/orga/events/{event}/sponsors/organisations",
    response={200: OrganisationPage, **READ_ERRORS},
    auth=TOKEN,
)
def organisations(request, event: s.Slug, filters: Query[OrganisationFilters]):
    """The organiser's organisations (sponsors, exhibitors, media, partners) by name, with their contacts."""
    found = _sponsors_event(request, event)
    queryset = _organisations(found)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    return _page(queryset, filters, _organisations_out)


@router.get(
    "/orga/events/{event}/sponsors/organisations/{organisation}",
    response={200: OrganisationOut, **READ_ERRORS},
    auth=TOKEN,
)
def organisation_detail(request, event: s.Slug, organisation: s.DbInt):
    found = _sponsors_event(request, event)
    shown = _organisations(found).filter(pk=organisation).first()
    if shown is None:
        raise Http404("The organiser has no organisation with this id.")
    return _organisations_out([shown])[0]


@router.get(
    "/orga/events/{event}/sponsors/sponsorships",
    response={200: SponsorshipPage, **READ_ERRORS},
    auth=TOKEN,
)
def sponsorships(request, event: s.Slug, filters: Query[SponsorshipFilters]):
    """The event's organisations in the pipeline, by name, with their level and stage; filter by stage."""
    found = _sponsors_event(request, event)
    queryset = _sponsorships(found).order_by("organisation__name", "pk")
    if filters.stage:
        queryset = queryset.filter(stage=filters.stage)
    return _page(queryset, filters, _sponsorships_out)


@router.get(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}",
    response={200: SponsorshipOut, **READ_ERRORS},
    auth=TOKEN,
)
def sponsorship_detail(request, event: s.Slug, sponsorship: s.DbInt):
    found = _sponsors_event(request, event)
    return _sponsorships_out([_sponsorship(found, sponsorship)])[0]


@router.get(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}/interactions",
    response={200: InteractionPage, **READ_ERRORS},
    auth=TOKEN,
)
def interactions(request, event: s.Slug, sponsorship: s.DbInt, page: Query[s.PageParams]):
    """A sponsorship's log (calls, meetings, mails, notes with their next steps), newest first."""
    found = _sponsors_event(request, event)
    return _page(_interactions(_sponsorship(found, sponsorship)), page, _interactions_out)


@router.post(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}/interactions",
    response={201: InteractionOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def log_interaction(
    request,
    event: s.Slug,
    sponsorship: s.DbInt,
    data: InteractionIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Add an entry to a sponsorship's log, as the page's form does (a write token)."""
    found = _sponsors_event(request, event, write=True)
    shown = _sponsorship(found, sponsorship)
    contact = None
    if data.contact is not None:
        contact = shown.organisation.contacts.filter(pk=data.contact).first()
        if contact is None:
            raise ServiceError("Choose one of this organisation's people.", field="contact")
    assigned_to = None
    if data.assigned_to:
        assigned_to = get_user_model().objects.filter(email__iexact=data.assigned_to.strip()).first()
        if assigned_to is None:
            raise ServiceError("Choose someone of the team who manages sponsors.", field="assigned_to")
    entry = services.log_interaction(
        sponsorship=shown,
        by=request.auth.user,
        data={
            "kind": data.kind,
            "happened_at": data.happened_at,
            "summary": data.summary,
            "text": data.text,
            "contact": contact,
            "next_step": data.next_step,
            "due": data.due,
            "assigned_to": assigned_to,
        },
    )
    return Status(201, _interactions_out(_interactions(shown).filter(pk=entry.pk))[0])
