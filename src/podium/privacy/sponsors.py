"""A person as a sponsor's contact (an OrganisationContact row with their address, any letter case),
and the sponsor work they did as a team member: their part of the export and of the erasure.

Erasure deletes the contact rows (log entries about them stay, without the link; their name and phone
number are replaced wherever the log quoted them). Work they did as a team member (sponsorships they
look after, log entries they wrote or were given, checklist items they ticked) stays, pointing at the
anonymised account.
"""

from django.db.models import Q

from podium.sponsors.models import Deliverable, Interaction, OrganisationContact, Sponsorship

ERASED_TEXT = "[erased]"


def _when(moment):
    return moment.isoformat() if moment else None


def contacts_of(address: str):
    """The sponsor contacts with this e-mail address (any letter case); none for an empty address."""
    if not (address or "").strip():
        return OrganisationContact.objects.none()
    return OrganisationContact.objects.filter(email__iexact=address.strip())


def export(user) -> dict:
    """The person's contact rows at organisations, and the sponsor work recorded under their account."""
    contacts = (
        contacts_of(user.email).select_related("organisation__organiser").order_by("organisation__name", "pk")
    )
    interactions = (
        Interaction.objects.filter(Q(by=user) | Q(assigned_to=user))
        .select_related("sponsorship__event", "sponsorship__organisation")
        .order_by("happened_at", "pk")
    )
    return {
        "sponsor_contacts": [
            {
                "organiser": row.organisation.organiser.slug,
                "organisation": row.organisation.name,
                "name": row.name,
                "email": row.email,
                "phone": row.phone,
                "role": row.role,
                "is_primary": row.is_primary,
            }
            for row in contacts
        ],
        "sponsor_work": {
            "looks_after": [
                {"event": row.event.slug, "organisation": row.organisation.name}
                for row in Sponsorship.objects.filter(owner=user).select_related("event", "organisation")
            ],
            "log_entries": [
                {
                    "event": row.sponsorship.event.slug,
                    "organisation": row.sponsorship.organisation.name,
                    "happened_at": _when(row.happened_at),
                    "summary": row.summary,
                    "written_by_them": row.by_id == user.pk,
                    "next_step_for_them": row.assigned_to_id == user.pk,
                }
                for row in interactions
            ],
            "checklist_items_ticked": [
                {
                    "organisation": row.sponsorship.organisation.name,
                    "name": row.name,
                    "done_at": _when(row.done_at),
                }
                for row in Deliverable.objects.filter(done_by=user).select_related(
                    "sponsorship__organisation"
                )
            ],
        },
    }


def values(user, *, name: str) -> list[tuple[str, str]]:
    """The person's values in their contact rows, with their replacements, for scrubbing the copies."""
    pairs = []
    for row in contacts_of(user.email):
        pairs += [(row.name, name), (row.phone, ERASED_TEXT)]
    return [(value, replacement) for value, replacement in pairs if value]


def erase(user, *, address: str) -> dict[str, int]:
    """Delete the person's contact rows (by their old `address`). Call inside the erasure's transaction."""
    return {"sponsor contacts": contacts_of(address).delete()[1].get(OrganisationContact._meta.label, 0)}
