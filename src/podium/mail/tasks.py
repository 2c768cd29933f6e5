"""Celery tasks of the outbox. Each task delivers by claiming rows (podium.mail.services), so it is
safe to run twice: `acks_late` gives a task whose worker died to another worker, and rows the dead
worker had claimed are sent by the next run once their claim is stale (services.STALE_CLAIM)."""

from podium.celery import app
from podium.mail import services

# A run sends at most one batch of claimed rows; it is stopped well before its claims go stale.
SOFT_TIME_LIMIT = 240
TIME_LIMIT = 300


@app.task(name="podium.mail.deliver", acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def deliver_mail(ids: list[int] | None = None) -> int:
    """Send queued mail (the given rows, or everything due, stale claims included); returns how many."""
    return services.deliver(ids=ids)
