"""The webhook outbox's figures for /metrics."""

import datetime as dt

import pytest
from django.utils import timezone

from podium.webhooks.metrics import delivery_figures
from podium.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint


@pytest.mark.django_db
def test_pending_and_failed_deliveries_with_the_oldest_age(event, django_assert_num_queries):
    endpoint = WebhookEndpoint.objects.create(
        event=event, url="https://hooks.example.org/", kinds=["release.published"]
    )
    now = timezone.now()
    for status, minutes in [
        (DeliveryStatus.QUEUED, 30),
        (DeliveryStatus.QUEUED, 1),
        (DeliveryStatus.FAILED, 5),
        (DeliveryStatus.DELIVERED, 90),
    ]:
        WebhookDelivery.objects.create(
            endpoint=endpoint, event=event, kind="ping", body="{}", status=status,
            created=now - dt.timedelta(minutes=minutes),
        )  # fmt: skip

    with django_assert_num_queries(1):
        figures = {(f.name, f.labels["status"]): f.value for f in delivery_figures()}

    assert figures[("podium_webhook_deliveries", "queued")] == 2
    assert figures[("podium_webhook_deliveries", "sending")] == 0
    assert figures[("podium_webhook_deliveries", "failed")] == 1
    assert ("podium_webhook_deliveries", "delivered") not in figures
    assert 1799 <= figures[("podium_webhook_oldest_seconds", "queued")] <= 1860
