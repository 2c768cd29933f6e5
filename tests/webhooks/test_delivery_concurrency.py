"""Two workers delivering at the same moment send every delivery exactly once.

Each worker runs in its own thread and database connection; on PostgreSQL the claim is
`SELECT … FOR UPDATE SKIP LOCKED`, on SQLite the write transaction is taken immediately.
"""

import pytest

from podium.webhooks import delivery, services
from podium.webhooks.models import DeliveryStatus, WebhookDelivery
from tests.races import race


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_each_delivery_once(event, endpoint, receiver, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    pings = [services.send_ping(event=event, endpoint=endpoint, by=None) for _ in range(8)]

    results = race(delivery.deliver, delivery.deliver)

    assert sum(results) == 8, results
    sent = [request["headers"]["X-Podium-Delivery"] for request in receiver.requests]
    assert sorted(sent) == sorted(str(ping.pk) for ping in pings)
    assert set(WebhookDelivery.objects.values_list("status", "attempts")) == {(DeliveryStatus.DELIVERED, 1)}
