"""Work that must not hold up a request, without a broker: a small pool of threads in this process.

Mail and webhook deliveries run after the change's transaction commits. With a broker
(PODIUM_REDIS_URL) they go to the Celery worker; without one, `submit` hands them to a pool of
background threads here, so the request that made the change answers at once however slow the SMTP
server or the webhook receiver is. Each pool has a few threads; a thread holds database connections
only while it works and closes them after each job. The pools' threads are joined when the
interpreter exits, so a command (`podium release`, `podium import`) finishes its deliveries before it
ends; rows a killed process left queued are sent by the periodic sweeps (`deliver_mail`,
`deliver_webhooks`, beat).

`PODIUM_BACKGROUND_THREADS=false` runs the jobs inline instead, in the thread that committed (scripts
that want to see them done; most tests, which cannot see another connection's uncommitted rows).
"""

import concurrent.futures
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections

log = logging.getLogger(__name__)
THREADS_PER_POOL = 2

_lock = threading.Lock()
_pools: dict[str, concurrent.futures.ThreadPoolExecutor] = {}
_pending: set[concurrent.futures.Future] = set()


def _run(name: str, job: Callable, args: tuple, kwargs: dict, *, own_thread: bool):
    try:
        return job(*args, **kwargs)
    except Exception:  # the rows stay queued (or their claim goes stale) for the next sweep
        log.exception("background %s job %s%r failed", name, getattr(job, "__name__", job), args or kwargs)
        return None
    finally:
        if own_thread:
            connections.close_all()  # this thread's connections: none held between jobs


def _forget(future: concurrent.futures.Future) -> None:
    with _lock:
        _pending.discard(future)


def submit(name: str, job: Callable, *args, **kwargs) -> None:
    """Run `job(*args, **kwargs)` soon in the pool `name` (e.g. "mail"), never in the calling thread; inline when
    PODIUM_BACKGROUND_THREADS is off. A failing job is logged, never raised to the caller."""
    if not getattr(settings, "PODIUM_BACKGROUND_THREADS", True):
        _run(name, job, args, kwargs, own_thread=False)
        return
    with _lock:
        pool = _pools.get(name)
        if pool is None:
            pool = _pools[name] = concurrent.futures.ThreadPoolExecutor(
                max_workers=THREADS_PER_POOL, thread_name_prefix=f"podium-{name}"
            )
        future = pool.submit(_run, name, job, args, kwargs, own_thread=True)
        _pending.add(future)
    future.add_done_callback(_forget)


def wait(timeout: float = 60) -> None:
    """Block until the jobs submitted so far are done (tests, shutdown)."""
    with _lock:
        pending = set(_pending)
    _done, not_done = concurrent.futures.wait(pending, timeout=timeout)
    if not_done:
        raise TimeoutError(f"{len(not_done)} background job(s) still going after {timeout} s")
