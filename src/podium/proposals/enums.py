import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CONFIRMED = "confirmed", _("Confirmed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


class Actor(models.TextChoices):
    SPEAKER = "speaker", _("Speaker")
    ORGANISER = "organiser", _("Organiser")


# Public code alphabet: no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 6


def new_code() -> str:
    """A random public code (proposals, speaker profiles); callers keep it unique per event."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
