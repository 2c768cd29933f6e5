"""`podium release <event> [--name N] [--comment C] [--force]`: publish the current draft.

The same use case as the release page (publish_release, as an operator: by=None). Refused when
nothing public changed since the last release, unless --force.
"""

from django.core.management.base import BaseCommand, CommandError

from podium.base.errors import ServiceError
from podium.events.models import Event
from podium.schedule import changelog, services


class Command(BaseCommand):
    help = "Publish an event's draft schedule as its next release."

    def add_arguments(self, parser):
        parser.add_argument("event", help="The event's slug.")
        parser.add_argument("--name", default="", help="The release's name (default: v<number>).")
        parser.add_argument("--comment", default="", help="A note shown with the release and in the mails.")
        parser.add_argument("--force", action="store_true", help="Publish even when nothing public changed.")

    def handle(self, *args, event, name, comment, force, **options):
        found = Event.objects.filter(slug=event).first()
        if found is None:
            raise CommandError(f"No event with the slug {event!r}.")
        try:
            release = services.publish_release(event=found, by=None, name=name, comment=comment, force=force)
        except ServiceError as exc:
            hint = " Use --force to publish anyway." if "Nothing public changed" in exc.message else ""
            raise CommandError(exc.message + hint) from exc
        counts = release.counts()
        parts = ", ".join(f"{counts[kind]} {kind}" for kind in changelog.KINDS)
        mails = sum(release.notices.values())
        self.stdout.write(
            f"Published release {release.name} of {found.name}: {parts}. {mails} notice(s) queued."
        )
