"""A person's rows in organisers' contact lists (matched by their account's address, any case): their
part of the export and of the erasure. Erasure deletes the contacts, and with them their places on
lists; the lists stay."""

from podium.contacts.models import Contact


def _when(moment):
    return moment.isoformat() if moment else None


def _rows(user):
    return Contact.objects.filter(email__iexact=user.email)


def export(user) -> dict:
    """Every contact row with the person's address, with the lists it is on."""
    rows = _rows(user).select_related("organiser").prefetch_related("lists").order_by("organiser__slug", "pk")
    return {
        "contacts": [
            {
                "organiser": row.organiser.slug,
                "email": row.email,
                "name": row.name,
                "organisation": row.organisation,
                "phone": row.phone,
                "notes": row.notes,
                "lists": sorted(contact_list.name for contact_list in row.lists.all()),
                "created": _when(row.created),
                "updated": _when(row.updated),
            }
            for row in rows
        ]
    }


def erase(user) -> dict[str, int]:
    """Delete the person's contact rows (and their list memberships). Call inside the erasure's
    transaction, before the account's address is replaced."""
    return {"contacts": _rows(user).delete()[1].get(Contact._meta.label, 0)}
