"""Sending webhook deliveries outside the request that caused them.

`dispatch` runs after the change's transaction commits. With a broker (PODIUM_REDIS_URL) it hands the
deliveries to the Celery task below; without one it gives them to a small pool of background threads
of this process (podium.base.background). Either way the organiser's request answers at once, however slow the receiver is.
The task and the threads deliver by claiming rows (podium.webhooks.delivery), so a run repeated after
a worker died never posts a delivery twice within its claim, and rows a dead process had queued are
sent by `podium deliver_webhooks` (or the periodic task).
"""

import logging

from django.conf import settings

from podium.base import background
from podium.celery import app
from podium.webhooks import delivery

log = logging.getLogger(__name__)
SOFT_TIME_LIMIT = 240
TIME_LIMIT = 300


@app.task(
    name="podium.webhooks.deliver", acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT
)
def deliver_webhooks(ids: list[str] | None = None) -> int:
    """Post the deliveries that are due (the given ones, or all); returns how many were delivered."""
    return delivery.deliver(ids=ids)


def dispatch(ids: list) -> None:
    """Send the given deliveries soon, never in the calling thread: the worker, or a background thread."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            deliver_webhooks.delay(ids=[str(pk) for pk in ids])
        except Exception as exc:  # broker unreachable: the rows stay queued for the next sweep
            log.warning("could not hand webhook deliveries %s to the worker: %s", ids, exc)
        return
    background.submit("webhooks", delivery.deliver, ids=list(ids))


def wait_for_background(timeout: float = 60) -> None:
    """Block until the deliveries handed to background threads so far are done (tests, shutdown)."""
    background.wait(timeout)
