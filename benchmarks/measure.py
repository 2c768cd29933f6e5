"""What the one-process benchmarks (campaigns.py, contacts.py) share: a throw-away Django set-up and
the three measures (time, peak memory, queries) taken around one call."""

import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def configure(database_url: str | None, **environment: str) -> None:
    """Point Django at a throw-away data directory (and the server, if given) before it is set up;
    `environment` adds settings (e.g. PODIUM_DELIVER_MAIL_ON_COMMIT="false")."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["PODIUM_DATA_DIR"] = tempfile.mkdtemp(prefix="podium-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "podium.settings"
    os.environ.pop("PODIUM_DATABASE_URL", None)
    if database_url:
        os.environ["PODIUM_DATABASE_URL"] = database_url
    os.environ.pop("PODIUM_DEBUG", None)
    os.environ.update(environment)
    import django

    django.setup()


def counted(call, queries: list):
    """`call()`, appending one item to `queries` per database query it makes."""
    from django.db import connection

    def count(execute, sql, params, many, context):
        queries.append(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        return call()


def timed(call) -> tuple[float, object]:
    """(seconds, result) of `call()`."""
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def peak(call) -> int:
    """The peak of memory allocated by Python during `call()`, in bytes (tracemalloc)."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
