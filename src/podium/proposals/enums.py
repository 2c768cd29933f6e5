import secrets

from django.db import models


class ProposalState(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    CONFIRMED = "confirmed", "Confirmed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELLED = "cancelled", "Cancelled"


class Actor(models.TextChoices):
    SPEAKER = "speaker", "Speaker"
    ORGANISER = "organiser", "Organiser"


# Public code alphabet: no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_code() -> str:
    """A random public code (proposals, speaker profiles); callers keep it unique per event."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
