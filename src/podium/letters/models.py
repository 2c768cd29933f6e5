"""Invitation letters for visas: a ticket holder or confirmed speaker asks (LetterRequest), the team
members who may issue letters approve or decline, the approved letter is a PDF with a verification
code anyone can check on the event's site. See docs/letters.md."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from podium.events.models import Event

#: Bytes of randomness in a verification code (token_urlsafe: 32 characters, 192 bits).
CODE_BYTES = 24


def new_verification_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


class LetterState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class LetterRole(models.TextChoices):
    ATTENDEE = "attendee", _("Attendee")
    SPEAKER = "speaker", _("Speaker")


class LetterRequest(models.Model):
    """One person's request for an invitation letter to one event, and the letter once approved.

    The passport data (number, nationality, date of birth) and the address and note are cleared
    PODIUM_LETTER_RETENTION_DAYS after the event (sweeps.py); the name, dates, state and code stay, so
    the verification page still answers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="letter_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="letter_requests"
    )
    role = models.CharField(max_length=10, choices=LetterRole.choices, default=LetterRole.ATTENDEE)
    passport_name = models.CharField(max_length=200)
    nationality = models.CharField(max_length=100, blank=True)
    passport_number = models.CharField(max_length=40, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    arrival = models.DateField()
    departure = models.DateField()
    address = models.TextField(blank=True)
    note = models.TextField(blank=True)
    state = models.CharField(max_length=10, choices=LetterState.choices, default=LetterState.WAITING)
    decline_reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The signature line of the letter, kept as it was when approved.
    approver_name = models.CharField(max_length=200, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    verification_code = models.CharField(max_length=64, null=True, blank=True, unique=True)
    passport_erased_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=Q(state="waiting"), name="letter_one_waiting_request"
            ),
            models.CheckConstraint(condition=Q(departure__gte=F("arrival")), name="letter_dates_ordered"),
            models.CheckConstraint(
                condition=Q(state__in=[choice.value for choice in LetterState]), name="letter_state_valid"
            ),
        ]

    def __str__(self):
        return f"{self.passport_name} ({self.event})"

    @property
    def is_valid(self) -> bool:
        """An approved letter that was not withdrawn."""
        return self.state == LetterState.APPROVED
