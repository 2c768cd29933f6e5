"""Webhook endpoints of an event and the delivery outbox.

A delivery is a row written in the transaction of the change that caused it, holding the exact body
that will be signed and sent; the same bytes go out on every retry, so a receiver can de-duplicate
by the delivery id.
"""

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from podium.events.models import Event


class WebhookKind(models.TextChoices):
    RELEASE_PUBLISHED = "release.published", _("A schedule release was published")
    PROPOSAL_STATE_CHANGED = "proposal.state_changed", _("A proposal's state changed")
    SLOT_CHANGED = "slot.changed", _("A session was placed, moved or unscheduled (draft)")
    SPEAKER_CONFIRMED = "speaker.confirmed", _("A speaker confirmed their session")
    ORDER_PLACED = "order.placed", _("A ticket order was placed")
    ORDER_PAID = "order.paid", _("A ticket order was paid")
    ORDER_CANCELLED = "order.cancelled", _("A ticket order was cancelled, refunded or expired")
    CHECKIN_CREATED = "checkin.created", _("An attendee was checked in at the door")


def new_secret() -> str:
    """A signing secret: 32 random bytes, URL-safe, shown to the organiser to copy."""
    return secrets.token_urlsafe(32)


class WebhookEndpoint(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=100, default=new_secret)
    kinds = models.JSONField(default=list)  # WebhookKind values this endpoint subscribes to
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return self.url

    def subscribes_to(self, kind: str) -> bool:
        return self.is_active and kind in self.kinds


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class DeliveryError(models.TextChoices):
    """Why the last attempt of a delivery failed, stored as a code (`WebhookDelivery.error_code`); the
    organiser reads the label in their language, the technical detail stays in `last_error`."""

    REFUSED = (
        "refused",
        pgettext_lazy(
            "webhook delivery error",
            "The address was refused: webhooks only go to public addresses whose host can be found.",
        ),
    )
    UNREACHABLE = (
        "unreachable",
        pgettext_lazy(
            "webhook delivery error", "The receiver could not be reached or did not answer in time."
        ),
    )
    REDIRECT = (
        "redirect",
        pgettext_lazy(
            "webhook delivery error",
            "The receiver answered with a redirect, which is not followed: point the webhook at the final URL.",
        ),
    )
    STATUS = "status", pgettext_lazy("webhook delivery error", "The receiver answered with an error.")
    SWITCHED_OFF = (
        "switched_off",
        pgettext_lazy("webhook delivery error", "The webhook was switched off before this was sent."),
    )
    INTERNAL = (
        "internal",
        pgettext_lazy(
            "webhook delivery error", "An internal error stopped this attempt; it is tried again later."
        ),
    )


#: The errors whose stored detail says more than their label.
DETAILED = (DeliveryError.REFUSED, DeliveryError.UNREACHABLE, DeliveryError.REDIRECT, DeliveryError.INTERNAL)


class WebhookDelivery(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="webhook_deliveries")
    kind = models.CharField(max_length=40)  # a WebhookKind, or "ping" for a test
    body = models.TextField()  # the exact JSON sent (and signed) on every attempt
    status = models.CharField(
        max_length=12, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED, db_index=True
    )
    created = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.CharField(max_length=500, blank=True)
    # The last attempt's error: a DeliveryError code (what the organiser reads, translated) and the
    # technical detail in English (as logged). Rows from before the codes have only the detail.
    error_code = models.CharField(max_length=20, choices=DeliveryError.choices, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.kind} → {self.endpoint_id} ({self.status})"

    @property
    def error_message(self) -> str:
        """The last attempt's error in the active language (the stored detail for a row without a code)."""
        if self.error_code == DeliveryError.STATUS and self.response_code:
            return gettext("The receiver answered with the status %(code)s.") % {"code": self.response_code}
        if self.error_code in DeliveryError.values:
            return str(DeliveryError(self.error_code).label)
        return self.last_error

    @property
    def error_detail(self) -> str:
        """The technical detail (English) where it says more than `error_message`: which address was
        refused, the network error, where a redirect pointed, the internal error."""
        return self.last_error if self.error_code in DETAILED else ""
