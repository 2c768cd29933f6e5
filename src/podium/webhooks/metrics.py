"""The webhook outbox's figures for /metrics (registered in apps.py): deliveries by state, the oldest's age."""

from django.db.models import Count, Min
from django.utils import timezone

from podium.base.metrics import Figure
from podium.webhooks.models import DeliveryStatus, WebhookDelivery

# Pending (queued, also those waiting for a retry, and being sent) and given up on.
WATCHED = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING, DeliveryStatus.FAILED)


def delivery_figures() -> list[Figure]:
    """How many deliveries are in each watched state and how old the oldest is (seconds; 0 when none)."""
    now = timezone.now()
    rows = {
        row["status"]: row
        for row in WebhookDelivery.objects.filter(status__in=WATCHED)
        .order_by()
        .values("status")
        .annotate(count=Count("id"), oldest=Min("created"))
    }
    figures = []
    for status in WATCHED:
        row = rows.get(status.value, {"count": 0, "oldest": None})
        age = (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0
        labels = {"status": status.value}
        figures.append(
            Figure("podium_webhook_deliveries", "Webhook deliveries, by state.", row["count"], labels)
        )
        figures.append(
            Figure(
                "podium_webhook_oldest_seconds",
                "Age of the oldest webhook delivery in each state.",
                max(age, 0.0),
                labels,
            )
        )
    return figures
