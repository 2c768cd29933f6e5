"""Importing a conference from another system's schedule file: one use case, one transaction.

`import_program` reads the file (podium.interop.importers), creates or updates the event's rooms,
tracks, session types and speakers (podium.interop.importing), creates and updates its sessions
through `proposals.services.import_sessions`, places them through `schedule.services.place_sessions`
and publishes a release. `ImportedKey` rows remember what each record of the file became, so
importing the same file again changes nothing and a changed file updates in place.

Imported people get reserved, undeliverable addresses (importing.people). Times without an offset are
wall-clock times in one zone, chosen by `importers.zones.choose` and named in the report. A session the
file gives no room is never skipped for it: it goes to the event's "Room not given" room; sessions the
file puts in one room at one time are placed side by side and flagged. An import that would leave no
session on the program, or that skips more than half of the file's sessions, is refused unless
`allow_partial`.
"""

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.db import transaction

from podium.base import audit, metrics
from podium.events.models import Event
from podium.interop.importers import read_program
from podium.interop.importers.source import ImportRefused
from podium.interop.importing import times
from podium.interop.importing.apply import apply_program, publish, refuse_partial
from podium.interop.importing.matching import GUID_NAMESPACE, Guids, derived_uuid
from podium.interop.importing.people import IMPORTED_DOMAIN, imported_address
from podium.interop.importing.report import ImportReport
from podium.interop.importing.target import choose_organiser, event_for, existing_event

__all__ = [
    "GUID_NAMESPACE",
    "IMPORTED_DOMAIN",
    "Guids",
    "ImportRefused",
    "ImportReport",
    "apply_staged_upload",
    "choose_organiser",
    "derived_uuid",
    "import_program",
    "imported_address",
    "stage_upload",
]


class _DryRun(Exception):
    """Raised at the end of a dry run to roll everything back."""


@metrics.times_import
def import_program(
    *,
    data: bytes,
    by,
    event: Event | None = None,
    event_slug: str | None = None,
    organiser_slug: str | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    label: str = "a file",
    progress=None,
    time_zone: str | None = None,
    allow_partial: bool = False,
    admin_email: str | None = None,
) -> ImportReport:
    """Import a schedule file into `event` (or the event named by `event_slug` or the file's acronym,
    created under the organiser when it does not exist) and publish a release when anything public
    changed. All or nothing: one transaction; a dry run does everything, then rolls back.

    `organiser_slug` names the organiser by short name or name; one that does not exist is created with
    `admin_email`'s account (else `by`, else the only site administrator) as its administrator.
    Times without an offset are read in `time_zone` when given, else the file's zone, else the event's,
    else the one zone the file's offsets fit (see `importers.zones`); the report says which and why.
    Refused, with nothing saved, when no session would be on the program or more than half the file's
    sessions are skipped, unless `allow_partial`.

    `progress`, when given, is called once per session read. Side effects: organiser (with its
    administrators team), event, rooms, tracks, session types, users (reserved addresses, unusable
    passwords) and speaker profiles, confirmed proposals and slots, a release (imported people's
    addresses are never mailed), audit entries.
    """
    report = ImportReport(dry_run=dry_run)
    program = read_program(data, fmt=fmt)
    report.format, report.sessions_in_file = program.format, program.events_seen
    report.skips.extend(program.skips)
    for skip in program.skips:
        report.count(skip.kind, "skipped")
    existing, slug = existing_event(program=program, event=event, event_slug=event_slug)
    zone_name = times.localize(
        program, report, given=time_zone, event_zone=existing.timezone if existing is not None else None
    )
    try:
        with transaction.atomic():
            target = event_for(
                program=program, event=existing, slug=slug, organiser_slug=organiser_slug,
                admin_email=admin_email, time_zone=zone_name, by=by, report=report,
            )  # fmt: skip
            report.event_slug = target.slug
            apply_program(target, program, report, by, progress)
            if not allow_partial:
                refuse_partial(target, report)
            if report.created or report.updated:
                publish(target, by, report, label)
            audit.record(
                action="interop.imported", actor=by, target=target, event_id=target.pk,
                format=program.format, created=report.created, updated=report.updated,
                skipped=len(report.skips), release=report.release, dry_run=dry_run,
            )  # fmt: skip
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


# --- Uploads waiting for confirmation ------------------------------------------------------------------


def _staging_dir():
    folder = Path(getattr(settings, "PODIUM_IMPORT_DIR", None) or settings.DATA_DIR / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _staged_path(event: Event, token: str):
    if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", token or ""):
        raise ImportRefused("This upload is unknown or has expired; upload the file again.")
    return _staging_dir() / f"{event.pk}-{token}.upload"


def stage_upload(*, event: Event, data: bytes) -> str:
    """Keep an uploaded file (outside the public media folder) until the organiser confirms the import.
    Returns the token that names it. Side effects: one file in PODIUM_IMPORT_DIR (default DATA_DIR/imports)."""
    token = secrets.token_urlsafe(24)
    _staged_path(event, token).write_bytes(data)
    return token


def apply_staged_upload(
    *,
    event: Event,
    token: str,
    by,
    fmt: str | None = None,
    time_zone: str | None = None,
    allow_partial: bool = False,
) -> ImportReport:
    """Import a staged upload for real (see import_program), then delete it. The file is kept when
    the import fails, so the organiser can read the error and try again."""
    path = _staged_path(event, token)
    if not path.is_file():
        raise ImportRefused("This upload is unknown or has expired; upload the file again.")
    report = import_program(
        data=path.read_bytes(), by=by, event=event, fmt=fmt, label="an upload", time_zone=time_zone,
        allow_partial=allow_partial,
    )  # fmt: skip
    path.unlink(missing_ok=True)
    return report
