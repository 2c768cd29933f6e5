"""The webhook outbox's figures for /metrics (registered in apps.py): deliveries by state, the oldest's age."""

from podium.base.metrics import Figure, queue_figures
from podium.webhooks.models import DeliveryStatus, WebhookDelivery

# Pending (queued, also those waiting for a retry, and being sent) and given up on.
WATCHED = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.FAILED)


def delivery_figures() -> list[Figure]:
    """How many deliveries are in each watched state and how old the oldest is (seconds; 0 when none)."""
    return queue_figures(
        WebhookDelivery.objects.all(),
        states=WATCHED,
        count=("podium_webhook_deliveries", "Webhook deliveries, by state."),
        oldest=("podium_webhook_oldest_seconds", "Age of the oldest webhook delivery in each state."),
    )
