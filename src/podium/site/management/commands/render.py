"""`podium render EVENT [--release N]`: write a release's public files (podium.site.release_files)."""

from django.core.management.base import BaseCommand, CommandError

from podium.events.models import Event
from podium.site import release_files


class Command(BaseCommand):
    help = (
        "Write the public files of an event's release (exports and anonymous pages, with .gz and .br) "
        "into PODIUM_RELEASE_DIR. The latest release unless --release; writes nothing when the same "
        "files are there already."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="the event's slug")
        parser.add_argument("--release", type=int, help="the release's number (default: the latest)")

    def handle(self, *args, event, release, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"There is no event with the slug {event!r}.")
        releases = found.releases.order_by("-version")
        chosen = releases.filter(version=release).first() if release else releases.first()
        if chosen is None:
            raise CommandError(
                f"{found.slug} has no release {release}." if release else f"{found.slug} has no release yet."
            )
        rendered = release_files.render_release(found, chosen)
        state = "written" if rendered.written else "unchanged (already there)"
        self.stdout.write(
            f"Release {chosen.version} of {found.slug}: {rendered.files} files {state} in {rendered.path} "
            f"({rendered.seconds:.2f} s)."
        )
