"""Conflicts of interest reviewers declared with a person (reviews.SpeakerConflict): the person's part
of the export and of the erasure. The reviewer who declared one is never named to the person."""

from django.db.models import Q

from podium.reviews.models import SpeakerConflict


def _about(user, address: str):
    return SpeakerConflict.objects.filter(Q(speaker=user) | Q(email__iexact=address))


def export(user) -> dict:
    """That reviewers of an event declared a conflict of interest with the person, by which address
    (so they know it is held), without saying who."""
    return {
        "conflicts_of_interest_declared_with_you": [
            {"event": conflict.event.slug, "email": conflict.email, "created": conflict.created.isoformat()}
            for conflict in _about(user, user.email).select_related("event").order_by("created", "pk")
        ]
    }


def erase(user, *, address: str) -> dict[str, int]:
    """Clear the person's address (`address`, the one before erasure) from the conflicts declared
    with them; each keeps holding through their account, which stays (anonymised), so the reviewer is
    still never given their proposals. Returns counts; call inside the erasure's transaction."""
    rows = _about(user, address)
    held = set(rows.exclude(speaker=None).values_list("event_id", "reviewer_id"))
    for conflict in rows.filter(speaker=None):
        if (conflict.event_id, conflict.reviewer_id) in held:
            conflict.delete()  # the same person twice (by account and by an address): one is enough
        else:
            SpeakerConflict.objects.filter(pk=conflict.pk).update(speaker=user)
    return {"conflicts of interest with the person": rows.update(email="")}
