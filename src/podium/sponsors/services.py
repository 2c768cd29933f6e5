"""Sponsor use cases: organisations (with their logo) and their contacts, the levels an event sells,
an organisation at an event (a sponsorship) moving along the pipeline, its checklist of
deliverables, and the log of every call, meeting, mail and note with its next step.

Every use case is one transaction and checks its actor first (`rules.check_can_manage_sponsors`:
`can_manage_sponsors` or `is_admin` in the event; `by=None` is an operator on the command line).
An edit carries the version the organiser saw; a stale one is refused with StaleEdit. Every change
leaves an audit entry.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.uploads import clean_image
from podium.sponsors import rules
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
)

ORGANISATION_FIELDS = ("name", "kind", "website", "description", "notes")
CONTACT_FIELDS = ("name", "email", "phone", "role", "is_primary")
LEVEL_FIELDS = (
    "name",
    "position",
    "price",
    "booth",
    "talk_slot",
    "logo_size",
    "complimentary_tickets",
    "deliverables",
)
SVG_REFUSED = gettext_lazy(
    "SVG logos are not accepted (an SVG file can carry scripts). "
    "Upload the logo as a PNG (a transparent background works), JPEG or WebP image."
)


def _stale(what: str, name: str = "") -> str:
    """The refusal of a stale edit of `what` ("organisation", "contact", …; `name`: a deliverable's)."""
    messages = {
        "organisation": _(
            "Someone else changed this organisation while you were editing. "
            "The page shows it as it is now; make your change again."
        ),
        "contact": _(
            "Someone else changed this contact while you were editing. "
            "The page shows it as it is now; make your change again."
        ),
        "level": _(
            "Someone else changed this level while you were editing. "
            "The page shows it as it is now; make your change again."
        ),
        "sponsorship": _(
            "Someone else changed this organisation's entry while you were editing. "
            "The page shows it as it is now; make your change again."
        ),
        "deliverable": _(
            "Someone else changed “%(name)s” while you were editing. "
            "The page shows it as it is now; make your change again."
        )
        % {"name": name},
        "entry": _(
            "Someone else changed this entry while you were editing. "
            "The page shows it as it is now; make your change again."
        ),
    }
    return messages[what]


# --- Helpers -----------------------------------------------------------------------------------------


def _one_line(value, *, field: str, length: int, required: str | None = None) -> str:
    text = " ".join(str(value or "").split())
    if required and not text:
        raise ServiceError(str(required), field=field)
    if len(text) > length:
        raise ServiceError(_("Use at most %(count)s characters.") % {"count": length}, field=field)
    return text


def _locked(model, obj, version: int | None, what: str, name: str = ""):
    """The stored row of `obj`, locked; StaleEdit when `version` (the one the organiser saw) differs
    (`what` and `name` name it in the refusal, see `_stale`)."""
    stored = model.objects.select_for_update().get(pk=obj.pk)
    if version is not None and stored.version != version:
        raise StaleEdit(_stale(what, name))
    return stored


def _bump(obj, *fields: str) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version"])


def _check_organisation(organisation: Organisation, event) -> None:
    if organisation.organiser_id != event.organiser_id:
        raise NotAllowed(_("This organisation belongs to another organiser."))


def _check_team_member(user, event, *, field: str) -> None:
    """A person given work (an owner, an assignee) must work on the event's sponsors."""
    if user is not None and not rules.can_manage_sponsors(user, event):
        raise ServiceError(_("Choose someone of the team who manages sponsors."), field=field)


def _delete_logo_after_commit(name: str, *, storage) -> None:
    """Delete a logo file no organisation uses any more, once the change has committed."""

    def delete():
        if name and not Organisation.objects.filter(logo=name).exists():
            storage.delete(name)

    transaction.on_commit(delete)


def clean_logo(upload):
    """An uploaded logo checked and re-encoded like a photo (base.uploads.clean_image): a JPEG, PNG or
    WebP image, its pixels only, under a random name. SVG and anything that is not an image are
    refused with a ServiceError on the field "logo"."""
    name = (getattr(upload, "name", "") or "").lower()
    content_type = (getattr(upload, "content_type", "") or "").lower()
    upload.seek(0)
    head = upload.read(1024).lstrip().lower()
    upload.seek(0)
    if name.endswith((".svg", ".svgz")) or "svg" in content_type or b"<svg" in head:
        raise ServiceError(str(SVG_REFUSED), field="logo")
    try:
        return clean_image(upload)
    except ValidationError as exc:
        raise ServiceError(exc.messages[0], field="logo") from None


# --- Organisations -----------------------------------------------------------------------------------


@transaction.atomic
def save_organisation(
    *,
    event,
    by,
    data: dict,
    organisation: Organisation | None = None,
    version: int | None = None,
    logo=None,
    remove_logo: bool = False,
    add_to_event: bool = True,
) -> Organisation:
    """Create an organisation of the event's organiser, or edit one (`ORGANISATION_FIELDS` in `data`).

    `logo` (an upload) is checked and re-encoded (`clean_logo`: SVG and non-images are refused);
    `remove_logo` drops the current one. A new organisation is added to `event` as a prospect owned by
    `by` unless `add_to_event` is false. Refused for a name the organiser has already (any letter
    case) and for a stale `version`.
    Side effects: audit entry; a replaced or removed logo file is deleted after commit.
    """
    rules.check_can_manage_sponsors(by, event)
    if organisation is None:
        obj = Organisation(organiser=event.organiser)
    else:
        _check_organisation(organisation, event)
        obj = _locked(Organisation, organisation, version, "organisation")
    values = {
        "name": _one_line(data.get("name", obj.name), field="name", length=200, required=_("Give its name.")),
        "kind": data.get("kind", obj.kind) or OrganisationKind.SPONSOR,
        "website": str(data.get("website", obj.website) or "").strip(),
        "description": str(data.get("description", obj.description) or "").strip(),
        "notes": str(data.get("notes", obj.notes) or "").strip(),
    }
    if values["kind"] not in OrganisationKind.values:
        raise ServiceError(_("Choose sponsor, exhibitor, media or partner."), field="kind")
    if len(values["website"]) > 200:
        raise ServiceError(_("Use at most 200 characters."), field="website")
    if values["website"] and not values["website"].startswith(("https://", "http://")):
        raise ServiceError(_("Give the address of its website, starting with https://."), field="website")
    duplicate = Organisation.objects.filter(organiser_id=event.organiser_id, name__iexact=values["name"])
    if duplicate.exclude(pk=obj.pk).exists():
        raise ServiceError(
            _("There is already an organisation named “%(name)s”.") % {"name": values["name"]}, field="name"
        )
    cleaned = clean_logo(logo) if logo is not None else None
    old_logo = obj.logo.name if obj.logo else ""
    for name, value in values.items():
        setattr(obj, name, value)
    if remove_logo:
        obj.logo = ""
    if cleaned is not None:
        obj.logo = cleaned
    created = obj.pk is None
    if not created:
        obj.version += 1
    obj.save()
    if old_logo and obj.logo.name != old_logo:
        _delete_logo_after_commit(old_logo, storage=obj.logo.storage)
    audit.record(
        action="sponsors.organisation_saved", actor=by, target=obj, event_id=event.pk, created=created
    )
    if created and add_to_event:
        _add(event=event, organisation=obj, by=by, owner=by, level=None)
    return obj


@transaction.atomic
def delete_organisation(*, event, organisation: Organisation, by) -> None:
    """Delete an organisation with its contacts, and its sponsorship at `event` with its log and
    checklist. Refused while it is at another event (decline it there, or remove it there first).
    Side effects: audit entry; its logo file is deleted after commit."""
    rules.check_can_manage_sponsors(by, event)
    _check_organisation(organisation, event)
    stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
    elsewhere = stored.sponsorships.exclude(event=event).select_related("event").first()
    if elsewhere is not None:
        raise ServiceError(
            _("“%(name)s” is also in the pipeline of %(event)s, so it stays. Mark it declined here instead.")
            % {"name": stored.name, "event": elsewhere.event.name}
        )
    name, logo = stored.name, stored.logo.name if stored.logo else ""
    storage = stored.logo.storage
    stored.delete()
    if logo:
        _delete_logo_after_commit(logo, storage=storage)
    audit.record(action="sponsors.organisation_deleted", actor=by, event_id=event.pk, name=name)


# --- Contacts ----------------------------------------------------------------------------------------


@transaction.atomic
def save_contact(
    *,
    event,
    organisation: Organisation,
    by,
    data: dict,
    contact: OrganisationContact | None = None,
    version: int | None = None,
) -> OrganisationContact:
    """Add a person to an organisation, or edit one (`CONTACT_FIELDS` in `data`: name, e-mail, phone,
    role, whether they are the primary contact; a new primary contact replaces the old one).
    Refused for a stale `version`.
    Side effects: audit entry (without the person's values)."""
    rules.check_can_manage_sponsors(by, event)
    _check_organisation(organisation, event)
    if contact is None:
        obj = OrganisationContact(organisation=organisation)
    else:
        if contact.organisation_id != organisation.pk:
            raise NotAllowed(_("This person belongs to another organisation."))
        obj = _locked(OrganisationContact, contact, version, "contact")
    obj.name = _one_line(data.get("name", obj.name), field="name", length=200, required=_("Give their name."))
    obj.email = str(data.get("email", obj.email) or "").strip()
    obj.phone = _one_line(data.get("phone", obj.phone), field="phone", length=40)
    obj.role = _one_line(data.get("role", obj.role), field="role", length=120)
    obj.is_primary = bool(data.get("is_primary", obj.is_primary))
    if obj.email:
        try:
            OrganisationContact._meta.get_field("email").run_validators(obj.email)
        except ValidationError:
            raise ServiceError(_("Give a valid e-mail address."), field="email") from None
    created = obj.pk is None
    if not created:
        obj.version += 1
    obj.save()
    if obj.is_primary:
        organisation.contacts.exclude(pk=obj.pk).filter(is_primary=True).update(is_primary=False)
    audit.record(action="sponsors.contact_saved", actor=by, target=obj, event_id=event.pk, created=created)
    return obj


@transaction.atomic
def delete_contact(*, event, contact: OrganisationContact, by) -> None:
    """Remove a person from an organisation; log entries about them stay, without the link.
    Side effects: audit entry."""
    rules.check_can_manage_sponsors(by, event)
    _check_organisation(contact.organisation, event)
    OrganisationContact.objects.filter(pk=contact.pk).delete()
    audit.record(
        action="sponsors.contact_deleted", actor=by, event_id=event.pk, organisation=contact.organisation_id
    )


# --- Levels ------------------------------------------------------------------------------------------


def clean_checklist(items) -> list[str]:
    """A level's checklist: names trimmed, empty ones dropped, each once (any letter case)."""
    names, seen = [], set()
    for item in items or []:
        name = " ".join(str(item).split())
        if not name or name.lower() in seen:
            continue
        if len(name) > 200:
            raise ServiceError(_("Name each item in at most 200 characters."), field="deliverables")
        seen.add(name.lower())
        names.append(name)
    return names


def _missing_deliverables(sponsorship: Sponsorship, level: SponsorLevel | None) -> int:
    """Create the deliverables of `level` that `sponsorship` lacks (compared by name, any case)."""
    if level is None:
        return 0
    have = {name.lower() for name in sponsorship.deliverables.values_list("name", flat=True)}
    rows = [
        Deliverable(sponsorship=sponsorship, name=name, position=position)
        for position, name in enumerate(level.deliverables)
        if name.lower() not in have
    ]
    Deliverable.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def save_level(
    *, event, by, data: dict, level: SponsorLevel | None = None, version: int | None = None
) -> SponsorLevel:
    """Create a level (package) of `event`, or edit one (`LEVEL_FIELDS` in `data`; `deliverables` is the
    list of checklist names). Sponsorships at an edited level get the checklist items they lack (none
    is ever removed). Refused for a name the event has already (any case), a negative price and a
    stale `version`.
    Side effects: audit entry."""
    rules.check_can_manage_sponsors(by, event)
    if level is None:
        obj = SponsorLevel(event=event)
    else:
        if level.event_id != event.pk:
            raise NotAllowed(_("This level belongs to another event."))
        obj = _locked(SponsorLevel, level, version, "level")
    obj.name = _one_line(
        data.get("name", obj.name), field="name", length=120, required=_("Give the level a name.")
    )
    if SponsorLevel.objects.filter(event=event, name__iexact=obj.name).exclude(pk=obj.pk).exists():
        raise ServiceError(_("There is already a level named “%(name)s”.") % {"name": obj.name}, field="name")
    try:
        obj.price = Decimal(str(data.get("price", obj.price) or 0))
    except InvalidOperation:
        raise ServiceError(_("Give the price as a number."), field="price") from None
    if obj.price < 0 or obj.price >= Decimal("1e8"):
        raise ServiceError(_("Give a price from 0 to 99,999,999."), field="price")
    for name in ("position", "complimentary_tickets"):
        value = data.get(name, getattr(obj, name)) or 0
        if not isinstance(value, int) or value < 0:
            raise ServiceError(_("Give a whole number, 0 or more."), field=name)
        setattr(obj, name, value)
    obj.booth = bool(data.get("booth", obj.booth))
    obj.talk_slot = bool(data.get("talk_slot", obj.talk_slot))
    obj.logo_size = data.get("logo_size", obj.logo_size) or LogoSize.MEDIUM
    if obj.logo_size not in LogoSize.values:
        raise ServiceError(_("Choose small, medium or large."), field="logo_size")
    obj.deliverables = clean_checklist(data.get("deliverables", obj.deliverables))
    created = obj.pk is None
    if not created:
        obj.version += 1
    obj.save()
    added = 0
    if not created:
        for sponsorship in obj.sponsorships.select_for_update():
            added += _missing_deliverables(sponsorship, obj)
    audit.record(
        action="sponsors.level_saved",
        actor=by,
        target=obj,
        event_id=event.pk,
        created=created,
        name=obj.name,
        deliverables_added=added,
    )
    return obj


@transaction.atomic
def delete_level(*, level: SponsorLevel, by) -> None:
    """Delete a level no sponsorship has. Refused while one has it: give them another level first.
    Side effects: audit entry."""
    rules.check_can_manage_sponsors(by, level.event)
    stored = SponsorLevel.objects.select_for_update().get(pk=level.pk)
    if stored.sponsorships.exists():
        raise ServiceError(
            _("Organisations have the level “%(name)s”, so it cannot be deleted. Give them another first.")
            % {"name": stored.name}
        )
    name, event_id = stored.name, stored.event_id
    stored.delete()
    audit.record(action="sponsors.level_deleted", actor=by, event_id=event_id, name=name)


# --- Sponsorships: an organisation at an event --------------------------------------------------------


def _add(*, event, organisation, by, owner, level) -> Sponsorship:
    if level is not None and level.event_id != event.pk:
        raise ServiceError(_("Choose a level of this event."), field="level")
    _check_team_member(owner, event, field="owner")
    try:
        with transaction.atomic():
            sponsorship = Sponsorship.objects.create(
                event=event, organisation=organisation, level=level, owner=owner
            )
    except IntegrityError:
        raise ServiceError(
            _("“%(name)s” is in this event's pipeline already.") % {"name": organisation.name}
        ) from None
    _missing_deliverables(sponsorship, level)
    audit.record(
        action="sponsors.added",
        actor=by,
        target=sponsorship,
        event_id=event.pk,
        organisation=organisation.name,
    )
    return sponsorship


@transaction.atomic
def add_sponsorship(
    *, event, organisation: Organisation, by, level: SponsorLevel | None = None, owner=None
) -> Sponsorship:
    """Add one of the organiser's organisations to `event`'s pipeline as a prospect, with an optional
    level (its checklist is created) and owner (a team member who manages sponsors). Refused when it
    is there already.
    Side effects: audit entry."""
    rules.check_can_manage_sponsors(by, event)
    _check_organisation(organisation, event)
    return _add(event=event, organisation=organisation, by=by, owner=owner, level=level)


def _sponsorship(sponsorship: Sponsorship, version: int | None) -> Sponsorship:
    return _locked(Sponsorship, sponsorship, version, "sponsorship")


@transaction.atomic
def save_sponsorship(*, sponsorship: Sponsorship, by, data: dict, version: int | None = None) -> Sponsorship:
    """Change who looks after an organisation at the event (`owner`), the agreed `amount` (None: the
    level's price) and the `track` whose talks it sponsors. Refused for an owner outside the sponsors
    team, a track of another event, a negative amount and a stale `version`.
    Side effects: audit entry."""
    event = sponsorship.event
    rules.check_can_manage_sponsors(by, event)
    stored = _sponsorship(sponsorship, version)
    owner = data.get("owner", stored.owner)
    _check_team_member(owner, event, field="owner")
    track = data.get("track", stored.track)
    if track is not None and track.event_id != event.pk:
        raise ServiceError(_("Choose a track of this event."), field="track")
    amount = data.get("amount", stored.amount)
    if amount is not None and (amount < 0 or amount >= Decimal("1e8")):
        raise ServiceError(_("Give an amount from 0 to 99,999,999."), field="amount")
    stored.owner, stored.track, stored.amount = owner, track, amount
    _bump(stored, "owner", "track", "amount")
    audit.record(action="sponsors.sponsorship_saved", actor=by, target=stored, event_id=event.pk)
    return stored


@transaction.atomic
def move_stage(*, sponsorship: Sponsorship, stage: str, by, version: int | None = None) -> Sponsorship:
    """Move an organisation along the event's pipeline (rules.may_move: forward one or more steps,
    back one, to declined from anywhere, out of declined to prospect or contacted) and note when.
    Refused for any other move and a stale `version`.
    Side effects: audit entry with both stages."""
    rules.check_can_manage_sponsors(by, sponsorship.event)
    stored = _sponsorship(sponsorship, version)
    rules.check_move(stored.stage, stage)
    before = stored.stage
    stored.stage = stage
    stored.stage_changed = timezone.now()
    _bump(stored, "stage", "stage_changed")
    audit.record(
        action="sponsors.stage_changed",
        actor=by,
        target=stored,
        event_id=stored.event_id,
        before=before,
        after=stage,
    )
    return stored


@transaction.atomic
def set_level(
    *, sponsorship: Sponsorship, level: SponsorLevel | None, by, version: int | None = None
) -> Sponsorship:
    """Give an organisation its level at the event (None: no level yet). The level's checklist items
    it lacks are created; items not on the new level's checklist are removed unless ticked (a ticked
    item is never removed). Refused for a level of another event and a stale `version`.
    Side effects: audit entry."""
    event = sponsorship.event
    rules.check_can_manage_sponsors(by, event)
    if level is not None and level.event_id != event.pk:
        raise ServiceError(_("Choose a level of this event."), field="level")
    stored = _sponsorship(sponsorship, version)
    stored.level = level
    _bump(stored, "level")
    keep = {name.lower() for name in (level.deliverables if level is not None else [])}
    stale = [
        row.pk
        for row in stored.deliverables.select_for_update().filter(done_at__isnull=True)
        if row.name.lower() not in keep
    ]
    Deliverable.objects.filter(pk__in=stale).delete()
    added = _missing_deliverables(stored, level)
    audit.record(
        action="sponsors.level_set",
        actor=by,
        target=stored,
        event_id=event.pk,
        level=level.name if level is not None else None,
        added=added,
        removed=len(stale),
    )
    return stored


# --- Deliverables --------------------------------------------------------------------------------------


def _deliverable(deliverable: Deliverable, version: int | None) -> Deliverable:
    return _locked(Deliverable, deliverable, version, "deliverable", deliverable.name)


@transaction.atomic
def tick_deliverable(*, deliverable: Deliverable, done: bool, by, version: int | None = None) -> Deliverable:
    """Tick a checklist item as done (by `by`, now) or untick it. Refused for a stale `version`
    (someone ticked or unticked it meanwhile).
    Side effects: audit entry."""
    event = deliverable.sponsorship.event
    rules.check_can_manage_sponsors(by, event)
    stored = _deliverable(deliverable, version)
    if done and stored.done_at is None:
        stored.done_at, stored.done_by = timezone.now(), by
    elif not done:
        stored.done_at, stored.done_by = None, None
    _bump(stored, "done_at", "done_by")
    audit.record(
        action="sponsors.deliverable_ticked" if done else "sponsors.deliverable_unticked",
        actor=by,
        target=stored,
        event_id=event.pk,
        name=stored.name,
    )
    return stored


@transaction.atomic
def set_deliverable_due(
    *, deliverable: Deliverable, due: dt.date | None, by, version: int | None = None
) -> Deliverable:
    """Set (or clear, with None) the day a checklist item is due; it is overdue once that day has
    passed in the event's time zone and it is not ticked. Refused for a stale `version`.
    Side effects: audit entry."""
    event = deliverable.sponsorship.event
    rules.check_can_manage_sponsors(by, event)
    stored = _deliverable(deliverable, version)
    stored.due = due
    _bump(stored, "due")
    audit.record(
        action="sponsors.deliverable_due",
        actor=by,
        target=stored,
        event_id=event.pk,
        name=stored.name,
        due=due.isoformat() if due else None,
    )
    return stored


# --- The log -------------------------------------------------------------------------------------------


@transaction.atomic
def log_interaction(*, sponsorship: Sponsorship, by, data: dict) -> Interaction:
    """Add an entry to an organisation's log at the event: `kind` (call, meeting, mail, note),
    `happened_at` (default: now), `summary` (required), `text`, `contact` (one of its people),
    `next_step` with an optional `due` day (a due day needs a next step) and `assigned_to` (a team
    member who manages sponsors; default: `by` when there is a next step).
    Side effects: audit entry."""
    event = sponsorship.event
    rules.check_can_manage_sponsors(by, event)
    kind = data.get("kind") or InteractionKind.NOTE
    if kind not in InteractionKind.values:
        raise ServiceError(_("Choose call, meeting, mail or note."), field="kind")
    summary = _one_line(
        data.get("summary"), field="summary", length=300, required=_("Say in a line what happened.")
    )
    next_step = _one_line(data.get("next_step"), field="next_step", length=300)
    due = data.get("due")
    if due is not None and not next_step:
        raise ServiceError(_("Say what the next step is, or leave its due date empty."), field="next_step")
    contact = data.get("contact")
    if contact is not None and contact.organisation_id != sponsorship.organisation_id:
        raise ServiceError(_("Choose one of this organisation's people."), field="contact")
    assigned_to = data.get("assigned_to")
    if assigned_to is None and next_step and by is not None:
        assigned_to = by
    _check_team_member(assigned_to, event, field="assigned_to")
    interaction = Interaction.objects.create(
        sponsorship=sponsorship,
        kind=kind,
        happened_at=data.get("happened_at") or timezone.now(),
        summary=summary,
        text=str(data.get("text") or "").strip(),
        contact=contact,
        by=by,
        next_step=next_step,
        due=due,
        assigned_to=assigned_to if next_step else None,
    )
    audit.record(
        action="sponsors.interaction_logged", actor=by, target=interaction, event_id=event.pk, kind=kind
    )
    return interaction


def _interaction(interaction: Interaction, version: int | None) -> Interaction:
    stored = _locked(Interaction, interaction, version, "entry")
    if not stored.next_step:
        raise ServiceError(_("This entry has no next step."))
    return stored


@transaction.atomic
def complete_next_step(*, interaction: Interaction, by, version: int | None = None) -> Interaction:
    """Mark an entry's next step done (now); it leaves every "due this week" list. Refused when it is
    done already or the `version` is stale.
    Side effects: audit entry."""
    event = interaction.sponsorship.event
    rules.check_can_manage_sponsors(by, event)
    stored = _interaction(interaction, version)
    if stored.done_at is not None:
        raise StaleEdit(_("This next step is done already."))
    stored.done_at = timezone.now()
    _bump(stored, "done_at")
    audit.record(action="sponsors.next_step_done", actor=by, target=stored, event_id=event.pk)
    return stored


@transaction.atomic
def reassign_next_step(
    *, interaction: Interaction, assigned_to, by, version: int | None = None
) -> Interaction:
    """Give an entry's open next step to another team member who manages sponsors (None: nobody).
    Refused when it is done, for someone outside the sponsors team and for a stale `version`.
    Side effects: audit entry."""
    event = interaction.sponsorship.event
    rules.check_can_manage_sponsors(by, event)
    stored = _interaction(interaction, version)
    if stored.done_at is not None:
        raise ServiceError(_("This next step is done already."))
    _check_team_member(assigned_to, event, field="assigned_to")
    stored.assigned_to = assigned_to
    _bump(stored, "assigned_to")
    audit.record(action="sponsors.next_step_reassigned", actor=by, target=stored, event_id=event.pk)
    return stored
