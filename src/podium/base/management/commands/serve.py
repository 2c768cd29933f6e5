"""`podium serve`: migrate, collect static files and run the ASGI server (uvicorn)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections


class Command(BaseCommand):
    help = "Run Podium with the ASGI server (uvicorn)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument(
            "--no-migrate", action="store_true", help="Do not apply pending migrations first."
        )

    def handle(self, *args, host, port, workers, no_migrate, **options):
        import uvicorn

        if not no_migrate:
            call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # The server's event loop runs in this thread: a connection left open here would make every
        # request's connection outlive the request (never closed, never given back to the pool).
        connections.close_all()
        self.stdout.write(f"Podium at http://{host}:{port}/ (data in {settings.DATA_DIR}); Ctrl+C stops it.")
        uvicorn.run(
            "podium.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            lifespan="off",
            # The client address is the connection's peer; X-Forwarded-For is read only behind
            # PODIUM_TRUSTED_PROXIES, by podium.base.clientip (uvicorn's own rewriting trusts 127.0.0.1).
            proxy_headers=False,
        )
