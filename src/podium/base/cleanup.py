"""What `podium cleanup` sweeps away: files nothing refers to any more.

Each sweep is a small function `sweep(*, now, dry_run) -> list[Removal]` listed in `SWEEPS`; it finds
what is left over, removes it unless `dry_run`, and says what it removed (or would remove). To sweep
something new, write one more such function and add it to the list; a domain app (which `base` does not
import) registers its own with `register` from its AppConfig.ready (e.g. the API's expired
idempotency records).

Sweeps only ever touch what Podium itself wrote, in the places it writes to, and never follow a
symbolic link: a link (or a folder that is one) is left alone.
"""

import datetime as dt
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

#: An orphan younger than this may belong to a change still being saved (the file is written before
#: the transaction commits), so it is kept for the next run.
ORPHAN_GRACE = dt.timedelta(hours=1)
#: An import upload waits this long for the organiser to confirm it.
IMPORT_UPLOAD_AGE = dt.timedelta(days=1)
#: Columns that hold a path under MEDIA_ROOT without being a FileField (the released program keeps
#: the photo it published).
PATH_COLUMNS = (("schedule.ReleasedSpeaker", "photo"),)
#: How the import views name a staged upload (interop.services.stage_upload): "<event id>-<token>.upload".
STAGED_UPLOAD = re.compile(r"\d+-[A-Za-z0-9_-]{20,64}\.upload")


@dataclass(frozen=True)
class Removal:
    path: str
    reason: str


def _file_fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                yield model, field


def upload_folders() -> list[str]:
    """The folders under MEDIA_ROOT that Podium uploads into (each FileField's `upload_to`)."""
    folders = set()
    for _model, field in _file_fields():
        if isinstance(field.upload_to, str) and field.upload_to.strip("/"):
            folders.add(field.upload_to.strip("/").split("/")[0])
    return sorted(folders)


def referenced_media() -> set[str]:
    """Every path under MEDIA_ROOT that some database row names."""
    names: set[str] = set()
    columns = [(model, field.name) for model, field in _file_fields()]
    columns += [(apps.get_model(label), column) for label, column in PATH_COLUMNS]
    for model, column in columns:
        names.update(
            model._base_manager.exclude(**{column: ""})
            .exclude(**{f"{column}__isnull": True})
            .values_list(column, flat=True)
            .distinct()
            .iterator()
        )
    return names


def _older_than(path: Path, now: dt.datetime, age: dt.timedelta) -> bool:
    modified = dt.datetime.fromtimestamp(path.lstat().st_mtime, tz=dt.UTC)
    return now - modified > age


def _files_under(folder: Path):
    """Regular files below `folder`, without entering linked folders or yielding links."""
    for current, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not (Path(current) / d).is_symlink()]
        for name in files:
            path = Path(current) / name
            if not path.is_symlink() and path.is_file():
                yield path


def orphaned_media(*, now: dt.datetime, dry_run: bool) -> list[Removal]:
    """Uploaded files (photos) that no row names any more, e.g. left by a change that was rolled back."""
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    referenced = referenced_media()
    removed = []
    for name in upload_folders():
        folder = root / name
        if folder.is_symlink() or not folder.is_dir():
            continue
        for path in sorted(_files_under(folder)):
            relative = path.relative_to(root).as_posix()
            if relative in referenced or not _older_than(path, now, ORPHAN_GRACE):
                continue
            if not dry_run:
                path.unlink(missing_ok=True)
            removed.append(Removal(f"{root.name}/{relative}", "no row refers to it"))
    return removed


def abandoned_imports(*, now: dt.datetime, dry_run: bool) -> list[Removal]:
    """Schedule files uploaded for an import that was never confirmed, older than a day."""
    folder = Path(settings.PODIUM_IMPORT_DIR)
    if folder.is_symlink() or not folder.is_dir():
        return []
    removed = []
    for path in sorted(folder.iterdir()):
        if path.is_symlink() or not path.is_file() or not STAGED_UPLOAD.fullmatch(path.name):
            continue
        if not _older_than(path, now, IMPORT_UPLOAD_AGE):
            continue
        if not dry_run:
            path.unlink(missing_ok=True)
        removed.append(Removal(str(path), "import upload not confirmed within a day"))
    return removed


SWEEPS: list[Callable[..., list[Removal]]] = [orphaned_media, abandoned_imports]


def register(sweep: Callable[..., list[Removal]]) -> None:
    """Add a domain app's sweep to `podium cleanup` (once, however often the app is readied)."""
    if sweep not in SWEEPS:
        SWEEPS.append(sweep)


def sweep_all(*, now: dt.datetime, dry_run: bool) -> dict[str, list[Removal]]:
    """Run every sweep; {sweep name: what it removed (or, with dry_run, would remove)}."""
    return {sweep.__name__: sweep(now=now, dry_run=dry_run) for sweep in SWEEPS}
