"""`podium cleanup`: remove left-over files (orphaned uploads, abandoned import uploads); see base/cleanup.py."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from podium.base.cleanup import sweep_all


class Command(BaseCommand):
    help = (
        "Remove uploaded files no row refers to any more and import uploads never confirmed "
        "(older than a day). Prints what it removed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="print what would be removed, remove nothing"
        )

    def handle(self, *args, dry_run, **options):
        verb = "Would remove" if dry_run else "Removed"
        results = sweep_all(now=timezone.now(), dry_run=dry_run)
        for removals in results.values():
            for removal in removals:
                self.stdout.write(f"{verb} {removal.path} ({removal.reason})")
        total = sum(len(removals) for removals in results.values())
        summary = ", ".join(
            f"{name.replace('_', ' ')}: {len(removals)}" for name, removals in results.items()
        )
        self.stdout.write(
            f"{verb} {total} item(s) — {summary}." if total else f"Nothing to remove ({summary})."
        )
