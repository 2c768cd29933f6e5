"""A person's requests for visa invitation letters: their part of the export and of the erasure.
Erasure deletes the requests (their letters' verification pages then answer as for an unknown code)."""

from podium.letters.models import LetterRequest


def _when(moment):
    return moment.isoformat() if moment else None


def export(user) -> dict:
    """Every letter request of the person, with what they gave and what was decided."""
    rows = (
        LetterRequest.objects.filter(user=user)
        .select_related("event")
        .order_by("event__slug", "created_at", "pk")
    )
    return {
        "letter_requests": [
            {
                "event": row.event.slug,
                "role": row.role,
                "passport_name": row.passport_name,
                "nationality": row.nationality,
                "passport_number": row.passport_number,
                "date_of_birth": _when(row.date_of_birth),
                "arrival": _when(row.arrival),
                "departure": _when(row.departure),
                "address": row.address,
                "note": row.note,
                "state": row.state,
                "decline_reason": row.decline_reason,
                "decided_at": _when(row.decided_at),
                "passport_data_erased_at": _when(row.passport_erased_at),
                "created": _when(row.created_at),
            }
            for row in rows
        ]
    }


def erase(user) -> dict[str, int]:
    """Delete the person's letter requests. Returns counts; call inside the erasure's transaction."""
    return {"letter requests": LetterRequest.objects.filter(user=user).delete()[0]}
