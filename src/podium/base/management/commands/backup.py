"""`podium backup [-o FILE]`: the database, the media files and the secret key in one archive."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from podium.base.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump or SQLite's online backup), the media files and the secret key "
        "into one .tar.gz archive with a manifest of checksums. Safe while the server runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            type=Path,
            help="The archive to write (default: podium-backup-<UTC time>.tar.gz in the current directory).",
        )

    def handle(self, *args, output, **options):
        if output is None:
            output = Path(f"podium-backup-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}.tar.gz")
        try:
            manifest = create_backup(output, log=self.stderr.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        tables = manifest["tables"]
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            f"Wrote {output.resolve()}: {manifest['database']['vendor']} database "
            f"({len(tables)} tables, {sum(tables.values())} rows), {media} media file(s), the secret key. "
            "It holds personal data and the secret key: keep it as safe as the server."
        )
