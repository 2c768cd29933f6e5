"""Check-in at the doors: one `CheckIn` per admitted ticket, and every `Scan` a desk made.

A ticket is checked in at most once: the one-to-one link to the ticket is the database's guarantee,
so two desks scanning one ticket at the same moment (or a desk's offline queue sent twice) never
count it twice. A scan records what the desk was told, whatever it was (valid, already in, refused).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from podium.events.models import Event
from podium.registration.models import Ticket

DESK_LENGTH = 60


class ScanResult(models.TextChoices):
    OK = "ok", _("Checked in")
    ALREADY = "already", _("Already checked in")
    CANCELLED = "cancelled", _("Cancelled ticket")
    UNPAID = "unpaid", _("Not paid")
    WRONG_EVENT = "wrong_event", _("Ticket of another event")
    UNKNOWN = "unknown", _("Unknown code")
    FORGED = "forged", _("Forged or altered code")


class CheckIn(models.Model):
    """A ticket's holder came in: when the desk scanned it (earlier than received for offline scans),
    at which desk, by whom."""

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="check_in")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="check_ins")
    desk = models.CharField(max_length=DESK_LENGTH, blank=True)
    scanned_at = models.DateTimeField()
    received_at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="check_ins_made",
    )
    offline = models.BooleanField(default=False, help_text=_("Scanned while the desk had no network."))

    class Meta:
        ordering = ["scanned_at", "id"]
        indexes = [models.Index(fields=["event", "scanned_at"], name="checkin_event_scanned")]

    def __str__(self):
        return f"Ticket {self.ticket_id} in at {self.scanned_at:%Y-%m-%d %H:%M}"


class Scan(models.Model):
    """One scan at a desk and what it answered: the log a desk sees. The code itself is not kept (a
    valid one admits its holder); the ticket is, when the code named one of the event's tickets."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="scans")
    ticket = models.ForeignKey(Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans")
    result = models.CharField(max_length=12, choices=ScanResult.choices)
    desk = models.CharField(max_length=DESK_LENGTH, blank=True)
    scanned_at = models.DateTimeField()
    received_at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="scans"
    )
    offline = models.BooleanField(default=False)
    # An offline scan that met another desk's check-in of the same ticket.
    conflict = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(result__in=ScanResult.values), name="scan_result_valid")
        ]
        indexes = [models.Index(fields=["event", "received_at"], name="scan_event_received")]

    def __str__(self):
        return f"{self.result} at {self.desk or 'a desk'}"
