"""Sending webhook deliveries outside the request that caused them.

`dispatch` runs after the change's transaction commits. With a broker (PODIUM_REDIS_URL) it hands the
deliveries to the Celery task below; without one it gives them to a small pool of background threads
of this process. Either way the organiser's request answers at once, however slow the receiver is.
The task and the threads deliver by claiming rows (podium.webhooks.delivery), so a run repeated after
a worker died never posts a delivery twice within its claim, and rows a dead process had queued are
sent by `podium deliver_webhooks` (or the periodic task).
"""

import concurrent.futures
import logging
import threading

from django.conf import settings
from django.db import connections

from podium.celery import app
from podium.webhooks import delivery

log = logging.getLogger(__name__)
SOFT_TIME_LIMIT = 240
TIME_LIMIT = 300
# Threads sending deliveries without a broker; each holds a database connection only while it sends.
BACKGROUND_THREADS = 2


@app.task(
    name="podium.webhooks.deliver", acks_late=True, soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT
)
def deliver_webhooks(ids: list[str] | None = None) -> int:
    """Post the deliveries that are due (the given ones, or all); returns how many were delivered."""
    return delivery.deliver(ids=ids)


_lock = threading.Lock()
_executor: concurrent.futures.ThreadPoolExecutor | None = None
_pending: set[concurrent.futures.Future] = set()


def _deliver_in_background(ids: list) -> int:
    try:
        return delivery.deliver(ids=ids)
    except Exception:  # the rows stay queued (or their claim goes stale) for the next sweep
        log.exception("webhook deliveries %s could not be sent in the background", ids)
        return 0
    finally:
        connections.close_all()  # this thread's connections: none held between deliveries


def _forget(future: concurrent.futures.Future) -> None:
    with _lock:
        _pending.discard(future)


def dispatch(ids: list) -> None:
    """Send the given deliveries soon, never in the calling thread: the worker, or a background thread."""
    global _executor
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        try:
            deliver_webhooks.delay(ids=[str(pk) for pk in ids])
        except Exception as exc:  # broker unreachable: the rows stay queued for the next sweep
            log.warning("could not hand webhook deliveries %s to the worker: %s", ids, exc)
        return
    with _lock:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(
                max_workers=BACKGROUND_THREADS, thread_name_prefix="podium-webhooks"
            )
        future = _executor.submit(_deliver_in_background, list(ids))
        _pending.add(future)
    future.add_done_callback(_forget)


def wait_for_background(timeout: float = 60) -> None:
    """Block until the deliveries handed to background threads so far are done (tests, shutdown)."""
    with _lock:
        pending = set(_pending)
    _done, not_done = concurrent.futures.wait(pending, timeout=timeout)
    if not_done:
        raise TimeoutError(f"{len(not_done)} background webhook run(s) still going after {timeout} s")
