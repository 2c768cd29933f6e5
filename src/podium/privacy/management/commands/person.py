"""`podium person export EMAIL [-o FILE]` and `podium person erase EMAIL [--yes]`.

Export writes everything held about one person as JSON (podium.privacy.export); erase
anonymises them for good (podium.privacy.erase), after a confirmation typed at a terminal,
or with --yes. See docs/privacy.md.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection

from podium.base.errors import ServiceError
from podium.privacy.erase import erase_person, is_erased
from podium.privacy.export import export_person, find_person


class Command(BaseCommand):
    help = "Export or erase what Podium holds about one person."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="Write everything held about a person as JSON.")
        export.add_argument("email", help="The person's e-mail address.")
        export.add_argument(
            "-o", "--output", default="-", help="The file to write (default: standard output)."
        )
        erase = actions.add_parser("erase", help="Anonymise a person for good.")
        erase.add_argument("email", help="The person's e-mail address.")
        erase.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, action, email, **options):
        try:
            user = find_person(email=email)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        if action == "export":
            self.export(user, options["output"])
        else:
            self.erase(user, yes=options["yes"])

    def export(self, user, output: str) -> None:
        text = json.dumps(export_person(user=user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        if output == "-":
            self.stdout.write(text)
            return
        try:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text + "\n")
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        self.stdout.write(f"Wrote everything held about account {user.pk} to {output}.")

    def erase(self, user, *, yes: bool) -> None:
        if is_erased(user):
            raise CommandError("This account has been erased already.")
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("Erasing cannot be undone: confirm at a terminal, or pass --yes.")
            answer = input(
                f"Erase {user.email} ({user.name or 'no name'}) for good? Type 'erase' to confirm: "
            )
            if answer.strip().lower() != "erase":
                raise CommandError("Nothing was erased.")
        try:
            counts = erase_person(user=user, by=None)
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        self._compact_sqlite()
        summary = ", ".join(f"{count} {what}" for what, count in counts.items() if count)
        self.stdout.write(f"Erased account {user.pk}: {summary or 'no other rows'}.")

    def _compact_sqlite(self) -> None:
        """SQLite keeps deleted and overwritten values in free pages and in its write-ahead log until
        they are reused: rewrite the file and empty the log, so the data directory keeps no copy."""
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            return  # PostgreSQL: see docs/privacy.md; inside a transaction SQLite cannot VACUUM
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
