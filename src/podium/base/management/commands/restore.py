"""`podium restore FILE [--force]`: bring back a `podium backup` archive into this data dir and database."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from podium.base.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `podium backup`: checks every checksum first, then restores the database, "
        "the media files and the secret key into an empty data dir and database."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The .tar.gz archive written by `podium backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace a database and media directory that hold data (SQLite and media are kept aside).",
        )
        parser.add_argument(
            "--keep-env-secret-key",
            action="store_true",
            help="Restore even though PODIUM_SECRET_KEY is set to another key than the backed-up one.",
        )

    def handle(self, *args, archive, force, keep_env_secret_key, **options):
        try:
            done = restore_backup(
                archive, force=force, keep_env_secret_key=keep_env_secret_key, log=self.stderr.write
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        for path in done.kept_aside:
            self.stdout.write(f"The data that was there is kept at {path}.")
        for warning in done.warnings:
            self.stderr.write(self.style.WARNING(f"WARNING: {warning}"))
        self.stdout.write(
            f"Restored {archive} (made {done.manifest['created']}): {done.tables} tables, {done.rows} rows, "
            f"{done.media_files} media file(s), the secret key. Row counts match the backup."
        )
