"""`podium export <event> --format frab-xml|frab-json|ical|csv [-o FILE]`: the latest release as a file.

Reads the latest release like the public exports do (the event need not be public: this is an
operator's tool). `csv` is the organisers' sessions spreadsheet.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from podium.events.models import Event
from podium.interop import exporters
from podium.schedule.queries import latest_release

FORMATS = {"frab-xml": "frab-xml", "frab-json": "frab-json", "ical": "ical", "csv": "sessions-csv"}


class Command(BaseCommand):
    help = "Export an event's latest release as frab XML, frab JSON, iCal or CSV."

    def add_arguments(self, parser):
        parser.add_argument("event", help="The event's slug.")
        parser.add_argument("--format", dest="fmt", required=True, help=f"One of: {', '.join(FORMATS)}.")
        parser.add_argument("-o", "--output", help="Write to this file instead of standard output.")

    def handle(self, *args, event, fmt, output=None, **options):
        if fmt not in FORMATS:
            raise CommandError(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the slug {event!r}.")
        release = latest_release(found)
        if release is None:
            raise CommandError(f"{found.name} has no release yet: publish the schedule first.")
        export = exporters.render(release, FORMATS[fmt])
        if output is None:
            self.stdout.write(export.content.decode("utf-8"), ending="")
            return
        try:
            Path(output).write_bytes(export.content)
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}.") from exc
        self.stdout.write(
            f"Wrote {release.name} of {found.name} ({fmt}, {len(export.content)} bytes) to {output}."
        )
