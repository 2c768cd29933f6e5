# ruff: noqa: N999 (the command is `podium import`; Django finds it by this module name)
"""`podium import FILE`: move an existing conference into Podium in one step (see docs/formats.md)."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from podium.base.errors import ServiceError
from podium.interop.importers import FORMATS, check_size
from podium.interop.services import import_program


class Command(BaseCommand):
    help = "Import a schedule (frab/Pentabarf XML, frab or pretalx JSON, pretalx API dump, iCal, CSV)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the schedule file")
        parser.add_argument("--event", help="the event's short name (default: the file's acronym)")
        parser.add_argument(
            "--organiser",
            help="the organiser a new event belongs to, by short name or name (default: the only one); "
            "created when it does not exist",
        )
        parser.add_argument(
            "--admin",
            metavar="EMAIL",
            help="the existing account that administers an organiser created by --organiser "
            "(default: the only site administrator)",
        )
        parser.add_argument(
            "--timezone",
            metavar="ZONE",
            help="the IANA time zone the file's times without an offset are in (and a new event's zone)",
        )
        parser.add_argument(
            "--allow-partial",
            action="store_true",
            help="import even when no session would be on the program or most sessions are skipped",
        )
        parser.add_argument(
            "--format", choices=FORMATS, help="skip detection and read the file as this format"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="do everything, print the report, save nothing"
        )
        parser.add_argument(
            "--progress", action="store_true", help="show a progress bar even when not on a terminal"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            check_size(path.stat().st_size)
            data = path.read_bytes()
            show = options["progress"] or sys.stderr.isatty()
            with tqdm(desc="sessions", unit="", file=sys.stderr, disable=not show) as bar:
                report = import_program(
                    data=data,
                    by=None,
                    event_slug=options["event"],
                    organiser_slug=options["organiser"],
                    fmt=options["format"],
                    dry_run=options["dry_run"],
                    label=path.name,
                    progress=bar.update,
                    time_zone=options["timezone"],
                    allow_partial=options["allow_partial"],
                    admin_email=options["admin"],
                )
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(report.text)
