"""`podium serve`: migrate, collect static files and run the ASGI server (granian, or uvicorn).

The application is `podium.asgi:application`: release files answered from disk in front of Django
(podium.site.fastpath), everything else by Django. `--workers` defaults to every core this process may
run on when PODIUM_REDIS_URL is set. Without Redis each process keeps its own cache (the page cache,
the sponsors' version tokens, rate limits), so a change heard by one worker would not reach the
others' caches: the default is then one worker, and asking for more is refused.
"""

import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from podium.base import metrics

APPLICATION = "podium.asgi:application"
SERVERS = ("granian", "uvicorn")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), else the machine's."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def choose_workers(asked: int | None, *, redis: bool) -> int:
    """How many server processes to run; refused when several would not share one cache."""
    if asked is not None and asked < 1:
        raise CommandError("--workers must be 1 or more.")
    if not redis:
        if asked is not None and asked > 1:
            raise CommandError(
                "Several workers need PODIUM_REDIS_URL: without Redis each process keeps its own cache, "
                "and a change one of them hears (a sponsor, a new release) would not reach the others' "
                "cached pages. Set PODIUM_REDIS_URL, or run one worker."
            )
        return 1
    return asked or available_cores()


def run_granian(*, host: str, port: int, workers: int) -> None:
    from granian import Granian
    from granian.constants import Interfaces

    Granian(
        APPLICATION,
        address=host,
        port=port,
        interface=Interfaces.ASGI,
        workers=workers,
        log_level="warning",
        # The client address is the connection's peer: granian rewrites nothing from X-Forwarded-For.
        websockets=False,
    ).serve()


def run_uvicorn(*, host: str, port: int, workers: int) -> None:
    import uvicorn

    uvicorn.run(
        APPLICATION,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        lifespan="off",
        # The client address is the connection's peer; X-Forwarded-For is read only behind
        # PODIUM_TRUSTED_PROXIES, by podium.base.clientip (uvicorn's own rewriting trusts 127.0.0.1).
        proxy_headers=False,
    )


RUNNERS = {"granian": run_granian, "uvicorn": run_uvicorn}


class Command(BaseCommand):
    help = "Run Podium with the ASGI server (granian by default), release files answered before Django."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Server processes (default: every core with PODIUM_REDIS_URL set, else 1).",
        )
        parser.add_argument("--server", choices=SERVERS, default=os.environ.get("PODIUM_SERVER") or "granian")
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply pending migrations first."
        )

    def handle(self, *args, host, port, workers, server, no_migrate, **options):
        if server not in SERVERS:
            raise CommandError(f"--server is one of {', '.join(SERVERS)}.")
        workers = choose_workers(workers, redis=bool(getattr(settings, "REDIS_URL", "")))
        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # The server's event loop runs in this thread: a connection left open here would make every
        # request's connection outlive the request (never closed, never given back to the pool).
        connections.close_all()
        # Figures of processes that ended (before this restart) would be added to every scrape.
        metrics.clear_ended_processes()
        self.stdout.write(
            f"Podium at http://{host}:{port}/ ({server}, {workers} worker{'s' if workers > 1 else ''};"
            f" data in {settings.DATA_DIR}); Ctrl+C stops it."
        )
        RUNNERS[server](host=host, port=port, workers=workers)
