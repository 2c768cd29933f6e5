"""`podium contacts import FILE --organiser SLUG --list NAME [--dry-run] [--skip-invalid] [--delimiter X]
[--encoding E]` and `podium contacts export --organiser SLUG [--list NAME] [--format csv|vcard]
[--output FILE]`.

Import reads a CSV (columns by header) or vCard file into the organiser's contacts and one list, as an
operator (by=None), and prints the report: created, updated, unchanged, skipped (each with its line).
Exit status 0 when imported (or a dry run), 1 when refused (nothing saved), 2 for wrong arguments.
A progress bar runs on standard error at a terminal; elsewhere a line every 10,000 lines. Export
writes the contacts with the header names the import reads. See docs/contacts.md.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from podium.base.errors import ServiceError
from podium.contacts import exporting, services
from podium.contacts.importing import ImportRefused
from podium.contacts.models import ContactList
from podium.events.models import Organiser

#: Without a terminal, a progress line every this many lines read or contacts saved.
EVERY = 10_000
STAGES = {"read": "lines read", "save": "contacts saved"}


class Progress:
    """Progress on standard error: bars at a terminal, else a line every EVERY."""

    def __init__(self, stream, *, bars: bool):
        self.stream, self.bars = stream, bars
        self.bar, self.stage, self.shown = None, None, 0

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage, self.shown = stage, 0
            if self.bars:
                self.bar = tqdm(total=total, desc=STAGES[stage], unit="", file=self.stream, leave=False)
        if self.bar is not None:
            self.bar.update(done - self.bar.n)
        elif done // EVERY > self.shown // EVERY or (done == total and self.shown < total):
            self.stream.write(f"{STAGES[stage]}: {done:,} of {total:,}\n")
            self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = "Import contacts into an organiser's list (CSV or vCard), or export them."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help="Import a CSV or vCard file into a contact list.")
        load.add_argument("file", help="The CSV (.csv, with a header row) or vCard (.vcf) file.")
        load.add_argument("--organiser", required=True, help="The organiser's short name.")
        load.add_argument("--list", required=True, dest="list_name", help="The list (made when new).")
        load.add_argument("--dry-run", action="store_true", help="Print the report, save nothing.")
        load.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the good rows and list bad addresses as skipped (default: refuse the file).",
        )
        load.add_argument("--delimiter", help="The CSV delimiter (default: the one the header row uses).")
        load.add_argument("--encoding", help="The file's encoding (default: UTF-8).")
        load.add_argument(
            "--progress", action="store_true", help="Show a progress bar even when not at a terminal."
        )
        save = actions.add_parser("export", help="Write an organiser's contacts as CSV or vCard.")
        save.add_argument("--organiser", required=True, help="The organiser's short name.")
        save.add_argument("--list", dest="list_name", help="Only this list's contacts.")
        save.add_argument("--format", dest="fmt", choices=exporting.FORMATS, default="csv")
        save.add_argument("--output", "-o", default="-", help="The file to write (default: standard output).")

    def handle(self, *args, action, organiser, **options):
        found = Organiser.objects.filter(slug=organiser).first()
        if found is None:
            known = ", ".join(Organiser.objects.order_by("slug").values_list("slug", flat=True)) or "none"
            raise CommandError(f"No organiser with the short name {organiser!r} (organisers: {known}).")
        if action == "import":
            self.load(found, **options)
        else:
            self.save(found, **options)

    def load(self, organiser, *, file, list_name, dry_run, skip_invalid, delimiter, encoding, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        progress = Progress(sys.stderr, bars=options["progress"] or sys.stderr.isatty())
        try:
            services.check_size(path.stat().st_size)
            report = services.import_contacts(
                organiser=organiser, list_name=list_name, data=path.read_bytes(), by=None,
                filename=path.name, dry_run=dry_run, skip_invalid=skip_invalid,
                delimiter=delimiter, encoding=encoding, progress=progress,
            )  # fmt: skip
        except ImportRefused as exc:
            if exc.report is None:
                raise CommandError(exc.message) from exc
            self.stdout.write(exc.report.text)
            raise CommandError(
                _("Correct these lines, or import with --skip-invalid to leave them out."), returncode=1
            ) from exc
        except ServiceError as exc:
            raise CommandError(exc.message) from exc
        finally:
            progress.close()
        self.stdout.write(report.text)

    def save(self, organiser, *, list_name, fmt, output, **options):
        contact_list = None
        if list_name:
            contact_list = ContactList.objects.filter(organiser=organiser, name=list_name).first()
            if contact_list is None:
                names = ", ".join(
                    repr(name) for name in organiser.contact_lists.values_list("name", flat=True)
                )
                raise CommandError(f"{organiser.name} has no list {list_name!r} (lists: {names or 'none'}).")
        contacts = exporting.contacts_of(organiser, contact_list)
        lines = exporting.export_lines(contacts, fmt)
        if output == "-":
            for piece in lines:
                self.stdout.write(piece, ending="")
            return
        try:
            with open(output, "w", encoding="utf-8", newline="") as file:
                count = 0
                for piece in lines:
                    file.write(piece)
                    count += 1
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from exc
        written = count - 1 if fmt == "csv" else count
        self.stdout.write(f"Wrote {written} contact{'s' if written != 1 else ''} to {output}.")
