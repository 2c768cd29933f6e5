"""Celery task of the webhook outbox: deliver due deliveries by claiming them (podium.webhooks.delivery),
so a run repeated after a worker died never posts a delivery twice within its claim."""

from podium.celery import app
from podium.webhooks import delivery

SOFT_TIME_LIMIT = 240
TIME_LIMIT = 300


@app.task(
    name="podium.webhooks.deliver", acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT
)
def deliver_webhooks(ids: list[int] | None = None) -> int:
    """Post the deliveries that are due (the given ones, or all); returns how many were delivered."""
    return delivery.deliver(ids=ids)
