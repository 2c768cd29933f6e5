"""Sponsors through API tokens: the organiser's organisations with their contacts, an event's
sponsorships with their level, stage and checklist, the log of a sponsorship; and the changes the
back-office pages make: an organisation made or edited (without its logo: JSON carries no upload; an
existing logo can be removed), its people added, edited and removed, an organisation added to the
event, a sponsorship's stage, level, owner, amount and track, its checklist ticked and given due
days, an entry added to the log and its next step marked done.

The token's user needs what the back-office pages need (`sponsors.rules.can_manage_sponsors`:
`can_manage_sponsors` or `is_admin` in the event); every change needs a write token and goes through
the same service as the page's form (same checks, same audit entry), with the `version` the client
read (409 when someone changed it since). Sponsorships, their checklists and logs are found through
the event, organisations and their people through the event's organiser: another event's or
organiser's ids in a path answer 404; in a body (a level, a track, a contact) they are refused with
400 naming the field.
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
from pydantic import BeforeValidator, ConfigDict, Field, Strict, StringConstraints

from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.idempotency import idempotent
from podium.api.organiser import IDEMPOTENCY, READ_ERRORS, WRITE_ERRORS, _event, _page
from podium.base.errors import ServiceError
from podium.sponsors import queries, rules, services
from podium.sponsors.models import (
    Deliverable,
    Interaction,
    InteractionKind,
    LogoSize,
    Organisation,
    OrganisationContact,
    OrganisationKind,
    SponsorLevel,
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
    version: int


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
    organisation: s.DbInt | None = Field(None, description="The id of an organisation.")


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


class DeliverableOut(Schema):
    id: int
    name: str
    position: int
    due: dt.date | None
    overdue: bool = Field(description="Not ticked, and its due day has passed in the event's time zone.")
    done_at: dt.datetime | None
    done_by: PersonRef | None
    version: int


class DeliverablePage(s.Page):
    items: list[DeliverableOut]


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


def _no_default(schema: dict) -> None:
    schema.pop("default", None)


def _unchanged():
    """An edit's optional field: left out, the stored value stays (null is no value for it)."""
    return Field(None, json_schema_extra=_no_default)


Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=s.NO_NUL)]
OneLine = Annotated[str, StringConstraints(max_length=200, pattern=s.NO_NUL)]
LongText = Annotated[str, StringConstraints(max_length=10_000, pattern=s.NO_NUL)]
Email = Annotated[str, StringConstraints(max_length=254, pattern=s.NO_NUL)]
Website = Annotated[str, StringConstraints(max_length=200, pattern=s.NO_NUL)]
# Money as text, as the answers give it: digits with at most two decimals ("5000", "1250.50").
Amount = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,8}(\.[0-9]{1,2})?$")]


class EditInput(s.StrictInput):
    """A body of the calls that change what the pages change: an unknown field is refused (422), not
    ignored, so a misspelt one never looks saved."""

    model_config = ConfigDict(strict=True, extra="forbid")


class OrganisationIn(EditInput):
    name: Name
    kind: KindName = OrganisationKind.SPONSOR
    website: Website = Field("", description="Starting with https:// or http://.")
    description: LongText = Field("", description="Markdown, shown on the public sponsors page.")
    notes: LongText = Field("", description="For the team only.")


class OrganisationEdit(EditInput):
    version: s.Version = Field(description="The organisation's version you last read.")
    name: Name = _unchanged()
    kind: KindName = _unchanged()
    website: Website = _unchanged()
    description: LongText = _unchanged()
    notes: LongText = _unchanged()
    remove_logo: bool = Field(False, description="Drop the current logo (logos are uploaded on the page).")


class ContactIn(EditInput):
    name: Name
    email: Email = ""
    phone: Annotated[str, StringConstraints(max_length=40, pattern=s.NO_NUL)] = ""
    role: Annotated[str, StringConstraints(max_length=120, pattern=s.NO_NUL)] = ""
    is_primary: bool = Field(False, description="A new primary contact replaces the old one.")


class ContactEdit(EditInput):
    version: s.Version = Field(description="The contact's version you last read.")
    name: Name = _unchanged()
    email: Email = _unchanged()
    phone: Annotated[str, StringConstraints(max_length=40, pattern=s.NO_NUL)] = _unchanged()
    role: Annotated[str, StringConstraints(max_length=120, pattern=s.NO_NUL)] = _unchanged()
    is_primary: bool = _unchanged()


class SponsorshipIn(EditInput):
    organisation: RowId = Field(
        description="The id of one of the organiser's organisations not at this event."
    )
    level: RowId | None = Field(None, description="The id of one of the event's levels.")
    owner: Email | None = Field(None, description="The e-mail address of a team member who manages sponsors.")


class SponsorshipEdit(EditInput):
    """Only the fields sent change; null clears one."""

    version: s.Version = Field(description="The sponsorship's version you last read.")
    owner: Email | None = Field(
        None, description="A team member's e-mail address; null: nobody.", json_schema_extra=_no_default
    )
    amount: Amount | None = Field(
        None, description="The agreed amount; null: the level's price.", json_schema_extra=_no_default
    )
    track: RowId | None = Field(
        None, description="The id of one of the event's tracks; null: none.", json_schema_extra=_no_default
    )


class StageIn(EditInput):
    stage: StageName = Field(
        description="Forward one or more steps, back one, to declined from anywhere, out of declined to "
        "prospect or contacted."
    )
    version: s.Version


class LevelIn(EditInput):
    level: RowId | None = Field(description="The id of one of the event's levels; null: no level.")
    version: s.Version


LogoSizeName = Literal[tuple(LogoSize.values)]  # type: ignore[valid-type]
Count = Annotated[int, Field(ge=0, le=2**31 - 1), Strict(False), BeforeValidator(s._json_number)]
Checklist = list[Annotated[str, StringConstraints(max_length=200, pattern=s.NO_NUL)]]


class LevelOut(Schema):
    id: int
    name: str
    position: int
    price: Decimal
    booth: bool
    talk_slot: bool
    logo_size: LogoSizeName
    complimentary_tickets: int
    deliverables: list[str] = Field(description="The checklist every sponsorship at this level starts with.")
    version: int


class LevelPage(s.Page):
    items: list[LevelOut]


class LevelCreate(EditInput):
    name: Name
    position: Count = Field(0, description="Lower comes first on the sponsors page.")
    price: Amount = "0"
    booth: bool = False
    talk_slot: bool = False
    logo_size: LogoSizeName = LogoSize.MEDIUM
    complimentary_tickets: Count = 0
    deliverables: Checklist = Field(
        default_factory=lambda: ["Logo received", "Invoice sent", "Tickets issued"],
        description="Names of the checklist items.",
    )


class LevelEdit(EditInput):
    """Only the fields sent change; sponsorships at the level get the checklist items they lack."""

    version: s.Version = Field(description="The level's version you last read.")
    name: Name = _unchanged()
    position: Count = _unchanged()
    price: Amount = _unchanged()
    booth: bool = _unchanged()
    talk_slot: bool = _unchanged()
    logo_size: LogoSizeName = _unchanged()
    complimentary_tickets: Count = _unchanged()
    deliverables: Checklist = _unchanged()


class AssigneeIn(EditInput):
    assigned_to: Email | None = Field(
        description="The e-mail address of a team member who manages sponsors; null: nobody."
    )
    version: s.Version


class TickIn(EditInput):
    done: bool
    version: s.Version


class DueIn(EditInput):
    due: s.IsoDate | None = Field(description="null: no due day.")
    version: s.Version


class VersionIn(EditInput):
    version: s.Version


# --- Helpers --------------------------------------------------------------------------------------


def _sponsors_event(request, slug: str, *, write: bool = False):
    """The event, when the token names it and its user manages the event's sponsors (as the pages)."""
    found = _event(request, slug, write=write)
    if not rules.can_manage_sponsors(request.auth.user, found):
        raise HttpError(403, "The token's user does not manage this event's sponsors.")
    return found


def _team_user(email: str | None, *, field: str):
    """The user with this e-mail address (any letter case); the service checks they manage sponsors."""
    if email is None:
        return None
    found = get_user_model().objects.filter(email__iexact=email.strip()).first()
    if found is None:
        raise ServiceError("Choose someone of the team who manages sponsors.", field=field)
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
        "version": contact.version,
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


def _organisation(event, pk: int) -> Organisation:
    """One of the event's organiser's organisations (404 for another organiser's)."""
    found = _organisations(event).filter(pk=pk).first()
    if found is None:
        raise Http404("The organiser has no organisation with this id.")
    return found


def _organisation_contact(organisation, pk: int) -> OrganisationContact:
    found = organisation.contacts.filter(pk=pk).first()
    if found is None:
        raise Http404("This organisation has no contact with this id.")
    return found


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
    found.event = event
    return found


def _deliverables_out(event, items) -> list[dict]:
    today = queries.today_at(event)
    return [
        {
            "id": item.pk,
            "name": item.name,
            "position": item.position,
            "due": item.due,
            "overdue": item.is_overdue(today),
            "done_at": item.done_at,
            "done_by": _person(item.done_by),
            "version": item.version,
        }
        for item in items
    ]


def _deliverables(sponsorship):
    return (
        Deliverable.objects.filter(sponsorship=sponsorship)
        .select_related("done_by")
        .order_by("position", "id")
    )


def _deliverable(sponsorship, pk: int) -> Deliverable:
    found = _deliverables(sponsorship).filter(pk=pk).first()
    if found is None:
        raise Http404("This sponsorship's checklist has no item with this id.")
    found.sponsorship = sponsorship
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


def _interaction(sponsorship, pk: int) -> Interaction:
    found = _interactions(sponsorship).filter(pk=pk).first()
    if found is None:
        raise Http404("This sponsorship's log has no entry with this id.")
    found.sponsorship = sponsorship
    return found


def _level(event, pk: int | None):
    if pk is None:
        return None
    found = event.sponsor_levels.filter(pk=pk).first()
    if found is None:
        raise ServiceError("Choose a level of this event.", field="level")
    return found


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
    if filters.organisation:
        queryset = queryset.filter(organisation_id=filters.organisation)
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
    assigned_to = _team_user(data.assigned_to or None, field="assigned_to")
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


# --- Organisations and their people ---------------------------------------------------------------


def _organisation_answer(event, pk: int) -> dict:
    return _organisations_out([_organisation(event, pk)])[0]


@router.post(
    "/orga/events/{event}/sponsors/organisations",
    response={201: OrganisationOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def organisation_create(
    request, event: s.Slug, data: OrganisationIn, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """A new organisation of the organiser, added to this event's pipeline as a prospect looked after by
    the token's user, as the page's form does (without a logo: upload it on the page). 400 for a name
    the organiser has already."""
    found = _sponsors_event(request, event, write=True)
    made = services.save_organisation(event=found, by=request.auth.user, data=data.model_dump())
    return Status(201, _organisation_answer(found, made.pk))


@router.patch(
    "/orga/events/{event}/sponsors/organisations/{organisation}",
    response={200: OrganisationOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def organisation_edit(
    request,
    event: s.Slug,
    organisation: s.DbInt,
    data: OrganisationEdit,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Change the fields sent (every event of the organiser shows the change); 409 when `version` is stale."""
    found = _sponsors_event(request, event, write=True)
    target = _organisation(found, organisation)
    changed = data.model_dump(include=data.model_fields_set - {"version", "remove_logo"})
    services.save_organisation(
        event=found,
        by=request.auth.user,
        data=changed,
        organisation=target,
        version=data.version,
        remove_logo=data.remove_logo,
    )
    return _organisation_answer(found, target.pk)


@router.post(
    "/orga/events/{event}/sponsors/organisations/{organisation}/contacts",
    response={201: ContactOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def contact_add(
    request,
    event: s.Slug,
    organisation: s.DbInt,
    data: ContactIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Add a person to the organisation (400 for an invalid e-mail address)."""
    found = _sponsors_event(request, event, write=True)
    target = _organisation(found, organisation)
    made = services.save_contact(
        event=found, organisation=target, by=request.auth.user, data=data.model_dump()
    )
    return Status(201, _contact(made))


@router.patch(
    "/orga/events/{event}/sponsors/organisations/{organisation}/contacts/{contact}",
    response={200: ContactOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def contact_edit(
    request,
    event: s.Slug,
    organisation: s.DbInt,
    contact: s.DbInt,
    data: ContactEdit,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Change the fields sent of one of the organisation's people; 409 when `version` is stale."""
    found = _sponsors_event(request, event, write=True)
    target = _organisation(found, organisation)
    saved = services.save_contact(
        event=found,
        organisation=target,
        by=request.auth.user,
        data=data.model_dump(include=data.model_fields_set - {"version"}),
        contact=_organisation_contact(target, contact),
        version=data.version,
    )
    return _contact(saved)


@router.delete(
    "/orga/events/{event}/sponsors/organisations/{organisation}/contacts/{contact}",
    response={204: None, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def contact_remove(
    request,
    event: s.Slug,
    organisation: s.DbInt,
    contact: s.DbInt,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Remove a person from the organisation; log entries about them stay, without the link."""
    found = _sponsors_event(request, event, write=True)
    target = _organisation(found, organisation)
    services.delete_contact(event=found, contact=_organisation_contact(target, contact), by=request.auth.user)
    return Status(204, None)


# --- Sponsorships: an organisation at the event ---------------------------------------------------


def _sponsorship_answer(event, pk: int) -> dict:
    return _sponsorships_out([_sponsorship(event, pk)])[0]


@router.post(
    "/orga/events/{event}/sponsors/sponsorships",
    response={201: SponsorshipOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def sponsorship_add(
    request, event: s.Slug, data: SponsorshipIn, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """Add one of the organiser's organisations to the event's pipeline as a prospect, with an optional
    level (its checklist is made) and owner. 400 when it is in the pipeline already."""
    found = _sponsors_event(request, event, write=True)
    organisation = Organisation.objects.filter(organiser_id=found.organiser_id, pk=data.organisation).first()
    if organisation is None:
        raise ServiceError("Choose one of the organiser's organisations.", field="organisation")
    made = services.add_sponsorship(
        event=found,
        organisation=organisation,
        level=_level(found, data.level),
        owner=_team_user(data.owner, field="owner"),
        by=request.auth.user,
    )
    return Status(201, _sponsorship_answer(found, made.pk))


@router.patch(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}",
    response={200: SponsorshipOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def sponsorship_edit(
    request,
    event: s.Slug,
    sponsorship: s.DbInt,
    data: SponsorshipEdit,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Change who looks after it, the agreed amount or the sponsored track (only the fields sent; null
    clears one); 409 when `version` is stale."""
    found = _sponsors_event(request, event, write=True)
    target = _sponsorship(found, sponsorship)
    sent = data.model_fields_set
    changed = {}
    if "owner" in sent:
        changed["owner"] = _team_user(data.owner, field="owner")
    if "amount" in sent:
        changed["amount"] = Decimal(data.amount) if data.amount is not None else None
    if "track" in sent:
        changed["track"] = None
        if data.track is not None:
            changed["track"] = found.tracks.filter(pk=data.track).first()
            if changed["track"] is None:
                raise ServiceError("Choose a track of this event.", field="track")
    services.save_sponsorship(sponsorship=target, by=request.auth.user, data=changed, version=data.version)
    return _sponsorship_answer(found, target.pk)


@router.post(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}/stage",
    response={200: SponsorshipOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def sponsorship_stage(
    request,
    event: s.Slug,
    sponsorship: s.DbInt,
    data: StageIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Move it along the pipeline (400 for a move the pipeline does not allow, saying which it does;
    409 when `version` is stale)."""
    found = _sponsors_event(request, event, write=True)
    target = _sponsorship(found, sponsorship)
    services.move_stage(sponsorship=target, stage=data.stage, by=request.auth.user, version=data.version)
    return _sponsorship_answer(found, target.pk)


@router.put(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}/level",
    response={200: SponsorshipOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def sponsorship_level(
    request,
    event: s.Slug,
    sponsorship: s.DbInt,
    data: LevelIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Give it a level of the event (null: none): the checklist items the level has are added, those it
    lacks are removed unless ticked. 409 when `version` is stale."""
    found = _sponsors_event(request, event, write=True)
    target = _sponsorship(found, sponsorship)
    services.set_level(
        sponsorship=target, level=_level(found, data.level), by=request.auth.user, version=data.version
    )
    return _sponsorship_answer(found, target.pk)


# --- The checklist ----------------------------------------------------------------------------------


@router.get(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}/deliverables",
    response={200: DeliverablePage, **READ_ERRORS},
    auth=TOKEN,
)
def deliverables(request, event: s.Slug, sponsorship: s.DbInt, page: Query[s.PageParams]):
    """A sponsorship's checklist in order, with due days and who ticked what."""
    found = _sponsors_event(request, event)
    return _page(
        _deliverables(_sponsorship(found, sponsorship)), page, lambda items: _deliverables_out(found, items)
    )


@router.put(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}/deliverables/{deliverable}/done",
    response={200: DeliverableOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def deliverable_done(
    request,
    event: s.Slug,
    sponsorship: s.DbInt,
    deliverable: s.DbInt,
    data: TickIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Tick a checklist item (`done`: true) or untick it; 409 when `version` is stale."""
    found = _sponsors_event(request, event, write=True)
    target = _deliverable(_sponsorship(found, sponsorship), deliverable)
    services.tick_deliverable(deliverable=target, done=data.done, by=request.auth.user, version=data.version)
    return _deliverables_out(found, [_deliverable(target.sponsorship, target.pk)])[0]


@router.put(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}/deliverables/{deliverable}/due",
    response={200: DeliverableOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def deliverable_due(
    request,
    event: s.Slug,
    sponsorship: s.DbInt,
    deliverable: s.DbInt,
    data: DueIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Set the day a checklist item is due (null: none); 409 when `version` is stale."""
    found = _sponsors_event(request, event, write=True)
    target = _deliverable(_sponsorship(found, sponsorship), deliverable)
    services.set_deliverable_due(deliverable=target, due=data.due, by=request.auth.user, version=data.version)
    return _deliverables_out(found, [_deliverable(target.sponsorship, target.pk)])[0]


# --- The log's next steps ---------------------------------------------------------------------------


@router.post(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}/interactions/{interaction}/done",
    response={200: InteractionOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def next_step_done(
    request,
    event: s.Slug,
    sponsorship: s.DbInt,
    interaction: s.DbInt,
    data: VersionIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Mark an entry's next step done (now). 400 for an entry without a next step; 409 when it is done
    already or `version` is stale."""
    found = _sponsors_event(request, event, write=True)
    shown = _sponsorship(found, sponsorship)
    entry = _interaction(shown, interaction)
    services.complete_next_step(interaction=entry, by=request.auth.user, version=data.version)
    return _interactions_out([_interaction(shown, entry.pk)])[0]


@router.post(
    "/orga/events/{event}/sponsors/sponsorships/{sponsorship}/interactions/{interaction}/assignee",
    response={200: InteractionOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def next_step_assignee(
    request,
    event: s.Slug,
    sponsorship: s.DbInt,
    interaction: s.DbInt,
    data: AssigneeIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Give an entry's open next step to another member of the sponsors team (null: nobody), as the
    page's "Give it" does. 400 for someone outside the team; 409 when it is done or `version` is stale."""
    found = _sponsors_event(request, event, write=True)
    shown = _sponsorship(found, sponsorship)
    entry = _interaction(shown, interaction)
    assignee = _team_user(data.assigned_to, field="assigned_to") if data.assigned_to else None
    services.reassign_next_step(
        interaction=entry, assigned_to=assignee, by=request.auth.user, version=data.version
    )
    return _interactions_out([_interaction(shown, entry.pk)])[0]


@router.delete(
    "/orga/events/{event}/sponsors/organisations/{organisation}",
    response={204: None, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def organisation_delete(
    request, event: s.Slug, organisation: s.DbInt, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """Delete an organisation with its people, and its place in this event's pipeline with its log and
    checklist, as the page does. 400 while it is in another event's pipeline."""
    found = _sponsors_event(request, event, write=True)
    services.delete_organisation(
        event=found, organisation=_organisation(found, organisation), by=request.auth.user
    )
    return Status(204, None)


# --- Levels ----------------------------------------------------------------------------------------


def _levels_out(levels) -> list[dict]:
    return [
        {
            "id": level.pk,
            "name": level.name,
            "position": level.position,
            "price": level.price,
            "booth": level.booth,
            "talk_slot": level.talk_slot,
            "logo_size": level.logo_size,
            "complimentary_tickets": level.complimentary_tickets,
            "deliverables": list(level.deliverables or []),
            "version": level.version,
        }
        for level in levels
    ]


def _level_of(event, pk: int) -> SponsorLevel:
    found = event.sponsor_levels.filter(pk=pk).first()
    if found is None:
        raise Http404("This event has no level with this id.")
    return found


@router.get("/orga/events/{event}/sponsors/levels", response={200: LevelPage, **READ_ERRORS}, auth=TOKEN)
def levels(request, event: s.Slug, page: Query[s.PageParams]):
    """The event's levels (packages) in the order of the sponsors page, with their benefits and checklists."""
    found = _sponsors_event(request, event)
    return _page(found.sponsor_levels.order_by("position", "name", "pk"), page, _levels_out)


@router.post("/orga/events/{event}/sponsors/levels", response={201: LevelOut, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def level_create(
    request, event: s.Slug, data: LevelCreate, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """A new level of the event, as the levels page makes one. 400 for a name the event has already."""
    found = _sponsors_event(request, event, write=True)
    made = services.save_level(event=found, by=request.auth.user, data=data.model_dump())
    return Status(201, _levels_out([made])[0])


@router.patch(
    "/orga/events/{event}/sponsors/levels/{level}", response={200: LevelOut, **WRITE_ERRORS}, auth=TOKEN
)
@decorate_view(idempotent)
def level_edit(
    request,
    event: s.Slug,
    level: s.DbInt,
    data: LevelEdit,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Change the fields sent; 409 when `version` is stale."""
    found = _sponsors_event(request, event, write=True)
    saved = services.save_level(
        event=found,
        by=request.auth.user,
        data=data.model_dump(include=data.model_fields_set - {"version"}),
        level=_level_of(found, level),
        version=data.version,
    )
    return _levels_out([saved])[0]


@router.delete(
    "/orga/events/{event}/sponsors/levels/{level}", response={204: None, **WRITE_ERRORS}, auth=TOKEN
)
@decorate_view(idempotent)
def level_delete(
    request, event: s.Slug, level: s.DbInt, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """Delete a level no sponsorship has; 400 while one has it."""
    found = _sponsors_event(request, event, write=True)
    services.delete_level(level=_level_of(found, level), by=request.auth.user)
    return Status(204, None)
