"""What an operator watches: Prometheus metrics, served at /metrics (base/views.py).

Recording is on when `/metrics` is (PODIUM_METRICS_TOKEN or PODIUM_METRICS_ALLOW set); otherwise every
call here returns at once and nothing is written.

Several processes serve one site (`podium serve --workers N`, the Celery worker), so values live in
prometheus_client's multiprocess mode: each process writes its own small memory-mapped files in
PODIUM_METRICS_DIR (settings.py points PROMETHEUS_MULTIPROC_DIR at it before this module is imported),
and a scrape of any process adds up every process's files. Counters and histograms are summed over
all processes, those that ended included (their totals stay counted until the next server start,
which removes the files of every process no longer running: `clear_ended_processes`); gauges of live
connections count only processes still running (`_forget_ended_processes`).

Three kinds of figures:
- per request (MetricsMiddleware): requests by route (the URL pattern's name, never the raw path),
  method and status with their latency, and the database queries each made;
- at the points where the work happens, one decorator or call each: publishing a release, rendering an
  export, a solver run, an import, a live stream opened and closed;
- read when /metrics is scraped, a few queries each: the outbox and webhook queues and check-ins in the
  last minute. A domain app registers its own with `register_figures` (this module knows no domain).
"""

import functools
import inspect
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_SECONDS = Histogram(
    "podium_http_request_duration_seconds",
    "Time from a request reaching Podium to its answer (streams: until the stream starts).",
    ["route", "method", "status"],
)
REQUEST_QUERIES = Histogram(
    "podium_http_request_queries",
    "Database queries made while answering one request.",
    ["route"],
    buckets=(0, 1, 2, 3, 5, 10, 20, 50, 100, 200, 500),
)
RELEASE_PUBLISH_SECONDS = Histogram(
    "podium_release_publish_seconds",
    "Time to publish a release (snapshot, changelog, notices), by outcome.",
    ["outcome"],
)
RELEASE_RENDER_SECONDS = Histogram(
    "podium_release_render_seconds",
    "Time to render one artefact of a release (an export format), by format.",
    ["format"],
)
SOLVER_RUN_SECONDS = Histogram(
    "podium_solver_run_seconds",
    "Automatic scheduling runs: time from start to end, by final status.",
    ["status"],
    buckets=(1, 2, 5, 10, 30, 60, 120, 300, 600, float("inf")),
)
IMPORT_SECONDS = Histogram(
    "podium_import_seconds",
    "Program imports: time to read and apply a file, by outcome.",
    ["outcome"],
    buckets=(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, float("inf")),
)


def enabled() -> bool:
    """Whether metrics are recorded and served (a token or an allow-list is configured)."""
    return settings.PODIUM_METRICS


# --- Per request --------------------------------------------------------------------------------------


def route_of(request) -> str:
    """The label of a request's route: the URL pattern's name (with its namespace), never the raw path."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


@dataclass
class _QueryCounter:
    """A connection execute_wrapper: counts the statements run while a request is answered."""

    count: int = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class MetricsMiddleware:
    """Times every request and counts its database queries (only when metrics are on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not settings.PODIUM_METRICS:
            return self.get_response(request)
        counter = _QueryCounter()
        start = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        elapsed = time.perf_counter() - start
        route = route_of(request)
        method = request.method if request.method in METHODS else "other"
        REQUEST_SECONDS.labels(route, method, str(response.status_code)).observe(elapsed)
        REQUEST_QUERIES.labels(route).observe(counter.count)
        return response


# --- At the points where the work happens ---------------------------------------------------------------


def _timed(
    histogram: Histogram, label: Callable[[inspect.BoundArguments, object, BaseException | None], str]
):
    """A decorator: the call's duration observed in `histogram` under the label `label` picks from the
    call's arguments, its result or its exception (which is raised again)."""

    def decorator(function):
        signature = inspect.signature(function)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            if not settings.PODIUM_METRICS:
                return function(*args, **kwargs)
            start = time.perf_counter()
            try:
                result = function(*args, **kwargs)
            except BaseException as exc:
                bound = signature.bind_partial(*args, **kwargs)
                histogram.labels(label(bound, None, exc)).observe(time.perf_counter() - start)
                raise
            bound = signature.bind_partial(*args, **kwargs)
            histogram.labels(label(bound, result, None)).observe(time.perf_counter() - start)
            return result

        return wrapper

    return decorator


def _outcome(bound, result, exc) -> str:
    """ "ok", "dry_run" (an import rehearsed and rolled back), "refused" (a ServiceError) or "error"."""
    if exc is None:
        return "dry_run" if bound.arguments.get("dry_run") else "ok"
    from podium.base.errors import ServiceError

    return "refused" if isinstance(exc, ServiceError) else "error"


def _format(bound, result, exc) -> str:
    return str(bound.arguments.get("fmt", "unknown"))


def _status(bound, result, exc) -> str:
    return str(result) if exc is None and result else "error"


# schedule.services.publish_release
times_release_publish = _timed(RELEASE_PUBLISH_SECONDS, _outcome)
# interop.exporters.render: the format is the label (a handful of names, checked by FORMATS)
times_release_render = _timed(RELEASE_RENDER_SECONDS, _format)
# scheduling.runs.execute: its final status is the label
times_solver_run = _timed(SOLVER_RUN_SECONDS, _status)
# interop.services.import_program
times_import = _timed(IMPORT_SECONDS, _outcome)


@functools.cache
def _live_connections() -> Gauge:
    # Made on first use: a gauge without labels opens its process's file at once, and a process that
    # never records should leave no file behind.
    return Gauge(
        "podium_live_connections", "Live (Server-Sent Events) streams open now.", multiprocess_mode="livesum"
    )


def live_opened() -> None:
    """A live stream started listening (base/live.py)."""
    if settings.PODIUM_METRICS:
        _live_connections().inc()


def live_closed() -> None:
    """A live stream stopped listening."""
    if settings.PODIUM_METRICS:
        _live_connections().dec()


FASTPATH_RESPONSES = Counter(
    "podium_fastpath_responses",
    "Requests answered from a release's files before Django (site/fastpath.py), by kind and status.",
    ["kind", "status"],
)


def fastpath_answered(kind: str, status: int) -> None:
    """The fast path answered a request: kind is export, versioned or page."""
    if settings.PODIUM_METRICS:
        FASTPATH_RESPONSES.labels(kind, str(status)).inc()


# --- Read when scraped ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One value a domain app reads for a scrape: a gauge `name` with its `labels`."""

    name: str
    documentation: str
    value: float
    labels: dict[str, str] = field(default_factory=dict)


def queue_figures(rows, *, states, count: tuple[str, str], oldest: tuple[str, str]) -> list[Figure]:
    """Figures of a queue (an outbox) read in one query: for each of `states`, how many rows are in it
    and how old the oldest is in seconds (0 when none). `rows` is the queue's query set with a
    `status` and a `created` column; `count` and `oldest` are each a gauge's (name, documentation)."""
    now = timezone.now()
    found = {
        row["status"]: row
        for row in rows.filter(status__in=states)
        .order_by()
        .values("status")
        .annotate(count=models.Count("id"), oldest=models.Min("created"))
    }
    figures = []
    for status in states:
        row = found.get(str(status), {"count": 0, "oldest": None})
        age = (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0
        labels = {"status": str(status)}
        figures.append(Figure(*count, row["count"], labels))
        figures.append(Figure(*oldest, max(age, 0.0), labels))
    return figures


FigureSource = Callable[[], Iterable[Figure]]
SOURCES: list[FigureSource] = []


def register_figures(source: FigureSource) -> None:
    """Add a domain app's figures to every scrape (once, however often the app is readied)."""
    if source not in SOURCES:
        SOURCES.append(source)


class _FiguresCollector:
    """The registered sources' figures as gauges, read at scrape time."""

    def collect(self):
        families: dict[str, GaugeMetricFamily] = {}
        for source in SOURCES:
            for figure in source():
                family = families.get(figure.name)
                if family is None:
                    family = families[figure.name] = GaugeMetricFamily(
                        figure.name, figure.documentation, labels=sorted(figure.labels)
                    )
                family.add_metric([figure.labels[key] for key in sorted(figure.labels)], figure.value)
        yield from families.values()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, as another user
        return True
    return True


def _forget_ended_processes(directory: Path) -> None:
    """Drop the live-gauge files of processes that ended (their streams closed with them)."""
    for path in directory.glob("gauge_live*_*.db"):
        pid = _pid_of(path)
        if pid is not None and not _alive(pid):
            multiprocess.mark_process_dead(pid, str(directory))


def _pid_of(path: Path) -> int | None:
    """The process id in a multiprocess file's name (`counter_1234.db`, `gauge_livesum_1234.db`)."""
    pid = path.stem.rpartition("_")[2]
    return int(pid) if pid.isdigit() else None


def clear_ended_processes(directory: Path | None = None) -> list[str]:
    """Empty the metrics directory of every file of a process that is no longer running (the figures
    of processes before a restart, which would otherwise pile up and be added to every scrape); the
    files of Podium processes still running (another server, the Celery worker) stay. Live gauges go
    through prometheus_client's `mark_process_dead`. `podium serve` calls it before it starts
    serving. Returns the names removed."""
    directory = Path(directory or settings.PODIUM_METRICS_DIR)
    if not directory.is_dir():
        return []
    removed = []
    for path in sorted(directory.glob("*.db")):
        pid = _pid_of(path)
        if pid is None or _alive(pid):
            continue
        if path.name.startswith("gauge_live"):
            multiprocess.mark_process_dead(pid, str(directory))
        path.unlink(missing_ok=True)
        removed.append(path.name)
    return removed


def exposition() -> bytes:
    """Every process's metrics and the registered figures, in Prometheus' text format."""
    directory = Path(settings.PODIUM_METRICS_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    _forget_ended_processes(directory)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=str(directory))
    registry.register(_FiguresCollector())
    return generate_latest(registry)
