"""Contact use cases: import a file into a list (at once, or staged for a look first), make a list,
add or change a contact by hand, take a contact off a list.

Every use case checks its actor with rules.check_can_manage_contacts (`by=None`: an operator on the
command line) and is one transaction; writes lock the organiser's row first, so two imports or edits
of one organiser's contacts run one after the other.
"""

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.base import audit
from podium.base.errors import ServiceError, StaleEdit
from podium.contacts import importing, rules
from podium.contacts.importing import ImportRefused, ImportReport
from podium.contacts.models import Contact, ContactList, Membership
from podium.events.models import Organiser

LIST_NAME_LENGTH = 200


def _lock(organiser) -> Organiser:
    return Organiser.objects.select_for_update().get(pk=organiser.pk)


def clean_list_name(name) -> str:
    name = importing.one_line(name)
    if not name:
        raise ServiceError(_("Give the list a name."), field="name")
    if len(name) > LIST_NAME_LENGTH:
        raise ServiceError(_("Use at most %(count)s characters.") % {"count": LIST_NAME_LENGTH}, field="name")
    return name


def check_size(size: int) -> None:
    limit = settings.PODIUM_IMPORT_MAX_BYTES
    if size > limit:
        raise ImportRefused(
            _("The file is larger than %(size)s MB; import it in parts.") % {"size": limit // (1024 * 1024)}
        )


@transaction.atomic
def import_contacts(
    *,
    organiser,
    list_name: str,
    data: bytes | str,
    by,
    filename: str = "",
    dry_run: bool = False,
    skip_invalid: bool = False,
    delimiter: str | None = None,
    encoding: str | None = None,
    progress: importing.Progress | None = None,
) -> ImportReport:
    """Import a CSV or vCard file (see contacts.importing) into the organiser's contacts and put every
    contact of it on the list `list_name`, made when the organiser has none of that name.

    New addresses become contacts; a known address is updated where the file gives a different
    non-empty value. A file with lines that cannot be imported (bad addresses, unreadable lines) is
    refused with all of them listed (ImportRefused, nothing written) unless `skip_invalid`, which
    leaves them out. `dry_run` reads, counts and writes nothing. `progress(stage, done, total)` is
    called now and then while reading and saving.
    Side effects: one audit entry with the counts (not for a dry run or a refusal).
    """
    rules.check_can_manage_contacts(by, organiser)
    list_name = clean_list_name(list_name)
    check_size(len(data))
    read = importing.read(data, filename=filename, delimiter=delimiter, encoding=encoding, progress=progress)
    if not dry_run:
        organiser = _lock(organiser)
    report = importing.apply(
        organiser=organiser, list_name=list_name, read=read, label=filename,
        dry_run=dry_run, skip_invalid=skip_invalid, progress=progress,
    )  # fmt: skip
    if not dry_run:
        contact_list = ContactList.objects.get(organiser=organiser, name=list_name)
        audit.record(
            action="contacts.imported", actor=by, target=contact_list, format=read.format,
            created=report.created, updated=report.updated, unchanged=report.unchanged,
            skipped=len(read.skips), added=report.added_to_list,
        )  # fmt: skip
    return report


# --- Uploads waiting for confirmation ------------------------------------------------------------------


def _staging_dir() -> Path:
    folder = Path(settings.PODIUM_IMPORT_DIR) / "contacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _staged_path(organiser, token: str) -> Path:
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token or ""):
        raise ImportRefused(_("This upload is unknown or has expired; upload the file again."))
    return _staging_dir() / f"{organiser.pk}-{token}.upload"


def stage_upload(*, organiser, data: bytes, by) -> str:
    """Keep an uploaded file (outside the public media folder) until it is imported; returns the token
    that names it. Side effects: one file in PODIUM_IMPORT_DIR/contacts (the erasure of a person
    removes staged files that name them)."""
    rules.check_can_manage_contacts(by, organiser)
    token = secrets.token_urlsafe(24)
    _staged_path(organiser, token).write_bytes(data)
    return token


def import_staged_upload(*, organiser, token: str, by, **options) -> ImportReport:
    """Import a staged upload for real (see import_contacts, same options), then delete it. The file
    is kept when the import is refused, so it can be tried again with other options."""
    rules.check_can_manage_contacts(by, organiser)
    path = _staged_path(organiser, token)
    if not path.is_file():
        raise ImportRefused(_("This upload is unknown or has expired; upload the file again."))
    report = import_contacts(organiser=organiser, data=path.read_bytes(), by=by, **options)
    path.unlink(missing_ok=True)
    return report


# --- By hand ------------------------------------------------------------------------------------------


@transaction.atomic
def create_list(*, organiser, by, name: str, description: str = "") -> ContactList:
    """Make an empty contact list. Refused when the organiser has a list of that name.
    Side effects: audit entry."""
    rules.check_can_manage_contacts(by, organiser)
    name = clean_list_name(name)
    organiser = _lock(organiser)
    if ContactList.objects.filter(organiser=organiser, name=name).exists():
        raise ServiceError(_("There is a list called %(name)s already.") % {"name": repr(name)}, field="name")
    contact_list = ContactList.objects.create(
        organiser=organiser, name=name, description=str(description or "").strip()[:2000]
    )
    audit.record(action="contacts.list_created", actor=by, target=contact_list, name=name)
    return contact_list


def clean_contact(data: dict) -> dict:
    """The contact's values from a form, trimmed and checked; ServiceError naming the first bad field."""
    email, problem = importing.clean_email(data.get("email", ""))
    if problem:
        raise ServiceError(_("Give a valid e-mail address."), field="email")
    values = {"email": email}
    for name in ("name", "organisation", "phone"):
        values[name] = importing.one_line(data.get(name, ""))
        if len(values[name]) > importing.LENGTHS[name]:
            raise ServiceError(
                _("Use at most %(count)s characters.") % {"count": importing.LENGTHS[name]}, field=name
            )
    values["notes"] = importing.make_row(0, email, data).notes
    return values


@transaction.atomic
def add_contact(*, contact_list: ContactList, by, data: dict) -> tuple[Contact, bool]:
    """Put a person on the list by hand: (contact, whether it is a new contact). An address the
    organiser has already is that contact, updated where `data` gives a different non-empty value
    (as an import does); one already on this list is refused.
    Side effects: audit entry."""
    organiser = contact_list.organiser
    rules.check_can_manage_contacts(by, organiser)
    values = clean_contact(data)
    _lock(organiser)
    contact = Contact.objects.filter(organiser=organiser, email=values["email"]).first()
    created = contact is None
    if created:
        contact = Contact.objects.create(organiser=organiser, **values)
    else:
        if Membership.objects.filter(contact_list=contact_list, contact=contact).exists():
            raise ServiceError(
                _("%(email)s is on this list already.") % {"email": contact.email}, field="email"
            )
        row = importing.Row(0, **values)
        fields = importing.changes(contact, row)
        if fields:
            for name in fields:
                setattr(contact, name, getattr(row, name))
            contact.version += 1
            contact.updated = timezone.now()
            contact.save()
    Membership.objects.create(contact_list=contact_list, contact=contact)
    audit.record(action="contacts.added", actor=by, target=contact, contact_list=contact_list.name)
    return contact, created


@transaction.atomic
def save_contact(*, contact: Contact, by, data: dict, version: int | None = None) -> Contact:
    """Change a contact's address, name, organisation, phone and notes (empty values clear them).
    `version` (the form's) refuses an edit of a contact changed meanwhile (StaleEdit); an address
    another of the organiser's contacts has is refused.
    Side effects: audit entry."""
    rules.check_can_manage_contacts(by, contact.organiser)
    values = clean_contact(data)
    current = Contact.objects.select_for_update().filter(pk=contact.pk).first()
    if current is None:
        raise StaleEdit(_("This contact was removed meanwhile."))
    if version is not None and current.version != version:
        raise StaleEdit(_("This contact was changed meanwhile; here it is as it is now."))
    for name, value in values.items():
        setattr(current, name, value)
    current.version += 1
    current.updated = timezone.now()
    try:
        with transaction.atomic():
            current.save()
    except IntegrityError:
        raise ServiceError(
            _("Another contact has the address %(email)s.") % {"email": values["email"]}, field="email"
        ) from None
    audit.record(action="contacts.changed", actor=by, target=current)
    return current


@transaction.atomic
def remove_contact(*, contact_list: ContactList, contact: Contact, by) -> bool:
    """Take a contact off a list; a contact then on no list is deleted. Returns whether it was deleted.
    Side effects: audit entry."""
    rules.check_can_manage_contacts(by, contact_list.organiser)
    _lock(contact_list.organiser)
    removed, _by_model = Membership.objects.filter(contact_list=contact_list, contact=contact).delete()
    if not removed:
        raise StaleEdit(_("This contact is not on the list (any more)."))
    deleted = not Membership.objects.filter(contact=contact).exists()
    audit.record(action="contacts.removed", actor=by, target=contact_list, deleted=deleted)
    if deleted:
        contact.delete()
    return deleted
