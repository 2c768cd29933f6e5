"""Backups that restore: the database, the media files and the secret key in one archive.

A dump of the database alone is not enough to bring Podium back: every mailed link (confirmation,
invitation, password reset) is signed with the secret key, and speaker photos live in the media
directory. `podium backup` puts all three into one gzip-compressed tar archive with a manifest:

    manifest.json                   format, Podium version, database vendor, created time, the SHA-256
                                    and size of every other file, and the row count of every table
    database/podium.sqlite3         SQLite: a copy made with the online backup API (safe while serving)
    database/podium.pgdump          PostgreSQL: `pg_dump -Fc` (row counts from the same snapshot)
    secret_key                      settings.SECRET_KEY, from PODIUM_SECRET_KEY or the data dir
    media/...                       every file under MEDIA_ROOT

`podium restore` checks every checksum before it changes anything, refuses a target that holds data
(unless forced) or a database of the other vendor, restores the database, the media and the key, and
compares the row counts with the manifest.
"""

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.db import connection, connections, transaction

FORMAT = 1
MANIFEST = "manifest.json"
SECRET_KEY = "secret_key"  # noqa: S105 (the archive member that holds the key, not a key)
MEDIA = "media"
DATABASE_FILES = {"sqlite": "database/podium.sqlite3", "postgresql": "database/podium.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Rows these tables get from `podium migrate` alone; a database holding only them is empty.
MIGRATION_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
# Connection settings pg_dump and pg_restore understand (libpq keywords); the password goes by env.
LIBPQ_KEYWORDS = frozenset(
    {
        "host",
        "hostaddr",
        "port",
        "dbname",
        "user",
        "passfile",
        "service",
        "options",
        "application_name",
        "connect_timeout",
        "sslmode",
        "sslcert",
        "sslkey",
        "sslrootcert",
        "sslcrl",
        "sslpassword",
        "sslnegotiation",
        "gssencmode",
        "channel_binding",
        "target_session_attrs",
    }
)
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass
class Restored:
    """What a restore did, for the command to report."""

    manifest: dict
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    kept_aside: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def podium_version() -> str:
    try:
        return version("podium")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _vendor() -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read, replacing any earlier one in one step."""
    partial = path.with_name(path.name + ".partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    partial.replace(path)


# --- Table counts -----------------------------------------------------------------------------------


def _count_tables(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our table names)
        counts[table] = cursor.fetchone()[0]
    return counts


def current_counts() -> dict[str, int]:
    """Rows per table of the configured database (SQLite's own sqlite_* tables aside)."""
    with connection.cursor() as cursor:
        tables = [
            name for name in connection.introspection.table_names(cursor) if not name.startswith("sqlite_")
        ]
        return _count_tables(cursor, tables)


def _sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        query = 'SELECT COUNT(*) FROM "{}"'  # the table names come from the copy's own catalogue
        return {table: db.execute(query.format(table)).fetchone()[0] for table in sorted(tables)}
    finally:
        db.close()


# --- PostgreSQL client tools ---------------------------------------------------------------------------


def _pg_tool(name: str) -> tuple[str, int]:
    """The path and major version of pg_dump or pg_restore, or a clear error."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client tools (the package is usually "
            f"called postgresql-client) of the same major version as the server, then try again."
        )
    try:
        command = [path, "--version"]
        output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=30).stdout  # noqa: S603
    except (OSError, subprocess.SubprocessError) as exc:
        raise BackupError(f"{name} --version failed: {exc}") from exc
    found = re.search(r"\b(\d+)(?:\.\d+)*", output)
    if found is None:
        raise BackupError(f"Could not read the version of {name} from: {output.strip()!r}")
    return path, int(found.group(1))


def _server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _pg_command_env() -> tuple[str, dict]:
    """A libpq connection string for the configured database (no password), and the env with it."""
    from psycopg.conninfo import make_conninfo

    params = connection.get_connection_params()
    conninfo = make_conninfo(
        **{
            key: str(value)
            for key, value in params.items()
            if key in LIBPQ_KEYWORDS and value not in (None, "")
        }
    )
    env = dict(os.environ)
    if params.get("password"):
        env["PGPASSWORD"] = str(params["password"])
    return conninfo, env


def _run(command: list[str], env: dict, what: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{what} failed (exit {result.returncode}):\n{result.stderr.strip()}")


# --- Backup ---------------------------------------------------------------------------------------------


def _backup_sqlite(target: Path) -> tuple[dict, dict[str, int]]:
    """Copy the live database with SQLite's online backup API: a consistent copy while the server writes."""
    source = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=20)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return {"sqlite_version": sqlite3.sqlite_version}, _sqlite_counts(target)


def _backup_postgresql(target: Path) -> tuple[dict, dict[str, int]]:
    """`pg_dump -Fc` of one snapshot, and the row counts of that same snapshot."""
    pg_dump, client = _pg_tool("pg_dump")
    server = _server_major()
    if client < server:
        raise BackupError(
            f"pg_dump {client} cannot dump a PostgreSQL {server} server. Install the PostgreSQL {server} "
            f"client tools (or put their pg_dump first on PATH) and try again."
        )
    conninfo, env = _pg_command_env()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _count_tables(cursor, connection.introspection.table_names(cursor))
        # The exported snapshot lives as long as this transaction: pg_dump sees exactly what was counted.
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={target}",
                f"--dbname={conninfo}",
            ],
            env,
            "pg_dump",
        )
    return {"server_version": server, "pg_dump_version": client}, counts


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def create_backup(output: Path, *, log: Callable[[str], None] = lambda message: None) -> dict:
    """Write the database, the media files and the secret key to one archive at `output`.

    Safe while the server runs. The archive holds the secret key and personal data: it is written
    readable by its owner only. Returns the manifest.
    """
    vendor = _vendor()
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".podium-backup-", dir=output.parent) as work:
        stage = Path(work)
        database = stage / DATABASE_FILES[vendor]
        database.parent.mkdir(parents=True)
        log(f"Copying the {VENDOR_NAMES[vendor]} database …")
        details, counts = _backup_sqlite(database) if vendor == "sqlite" else _backup_postgresql(database)
        _write_private(stage / SECRET_KEY, settings.SECRET_KEY)
        media_root = Path(settings.MEDIA_ROOT)
        media = _media_files()
        log(f"Copying {len(media)} media file(s) …")
        names = [DATABASE_FILES[vendor], SECRET_KEY]
        for path in media:
            name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
            copy = stage / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copyfile(
                    path, copy
                )  # the copy is what gets hashed and archived, even if the file changes
            except FileNotFoundError:  # deleted since it was listed (e.g. a replaced photo)
                continue
            names.append(name)
        manifest = {
            "format": FORMAT,
            "podium_version": podium_version(),
            "database": {"vendor": vendor, **details},
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "secret_key_from": "environment" if os.environ.get("PODIUM_SECRET_KEY") else "data dir",
            "files": {
                name: {"sha256": _sha256(stage / name), "size": (stage / name).stat().st_size}
                for name in names
            },
            "tables": counts,
        }
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        partial = output.with_name(output.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as file:
                with tarfile.open(fileobj=file, mode="w:gz") as archive:
                    for name in [MANIFEST, *names]:
                        archive.add(stage / name, arcname=name, recursive=False)
                file.flush()
                os.fsync(file.fileno())
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(f"Could not write {output}: {exc}") from exc
        partial.replace(output)
    return manifest


# --- Reading an archive ------------------------------------------------------------------------------------


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"The archive holds an unsafe path ({name!r}); it was not made by podium backup.")
    return path.as_posix()


def _extract_verified(archive_path: Path, into: Path) -> dict:
    """Unpack the archive into `into` and check every file against the manifest; return the manifest."""
    found: dict[str, dict] = {}
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            for member in archive:
                name = _safe_name(member.name)
                if member.isdir():
                    continue
                if not member.isfile():
                    raise BackupError(f"The archive holds {name!r}, which is not a regular file.")
                if name in found:
                    raise BackupError(f"The archive holds {name!r} twice.")
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest, size = hashlib.sha256(), 0
                with archive.extractfile(member) as source, target.open("wb") as copy:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        copy.write(chunk)
                found[name] = {"sha256": digest.hexdigest(), "size": size}
    except (OSError, EOFError, tarfile.TarError) as exc:
        raise BackupError(
            f"Could not read {archive_path}: {exc}. The archive is damaged or incomplete."
        ) from exc
    if MANIFEST not in found:
        raise BackupError(f"{archive_path} has no {MANIFEST}; it is not a Podium backup.")
    try:
        manifest = json.loads((into / MANIFEST).read_text())
        listed = manifest["files"]
        vendor = manifest["database"]["vendor"]
        fmt = manifest["format"]
    except (ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"The manifest of {archive_path} cannot be read ({exc}).") from exc
    if fmt != FORMAT:
        raise BackupError(f"This backup has format {fmt!r}; this Podium reads format {FORMAT}.")
    del found[MANIFEST]
    problems = [f"missing: {name}" for name in sorted(set(listed) - set(found))]
    problems += [f"not in the manifest: {name}" for name in sorted(set(found) - set(listed))]
    problems += [
        f"checksum or size differs: {name}"
        for name in sorted(set(found) & set(listed))
        if found[name] != {"sha256": listed[name].get("sha256"), "size": listed[name].get("size")}
    ]
    needed = [DATABASE_FILES.get(vendor, "database"), SECRET_KEY]
    problems += [
        f"missing: {name}" for name in needed if name not in listed and f"missing: {name}" not in problems
    ]
    if problems:
        raise BackupError(
            f"{archive_path} does not match its manifest ({'; '.join(problems)}). The archive is damaged "
            f"or was altered; nothing was restored."
        )
    return manifest


# --- Restore ------------------------------------------------------------------------------------------------


def _target_contents() -> tuple[dict[str, int], list[Path]]:
    """Rows per table that hold data (beyond what `migrate` writes) and the files under MEDIA_ROOT."""
    counts = current_counts()
    rows = {table: count for table, count in counts.items() if count and table not in MIGRATION_TABLES}
    return rows, _media_files()


def _refuse_non_empty(rows: dict[str, int], media: list[Path]) -> None:
    what = []
    if rows:
        busiest = ", ".join(
            f"{table}: {count}" for table, count in sorted(rows.items(), key=lambda i: -i[1])[:5]
        )
        what.append(f"the database has {sum(rows.values())} row(s) in {len(rows)} table(s) ({busiest})")
    if media:
        what.append(f"{settings.MEDIA_ROOT} holds {len(media)} file(s)")
    raise BackupError(
        f"The target is not empty: {' and '.join(what)}. Restore into an empty data directory and an "
        f"empty database, or pass --force to replace what is there."
    )


def _check_secret_key(backed_up: str, *, keep_env_secret_key: bool) -> str | None:
    """A loud message when PODIUM_SECRET_KEY is set to another key than the backed-up one."""
    env_key = os.environ.get("PODIUM_SECRET_KEY")
    if not env_key or env_key == backed_up:
        return None
    message = (
        "PODIUM_SECRET_KEY IS SET AND DIFFERS FROM THE BACKED-UP SECRET KEY. With it, every link mailed "
        "before the backup (confirmations, invitations, password resets) is refused and every session "
        f"ends. Set PODIUM_SECRET_KEY to the backed-up value (restore writes it to "
        f"{Path(settings.DATA_DIR) / '.secret_key'}; the archive holds it as {SECRET_KEY}) or unset it."
    )
    if not keep_env_secret_key:
        raise BackupError(
            message + " Nothing was restored. Pass --keep-env-secret-key to restore all the same."
        )
    return message


def _check_pg_restore(manifest: dict) -> str:
    pg_restore, client = _pg_tool("pg_restore")
    made_by = manifest["database"].get("pg_dump_version")
    if made_by and client < int(made_by):
        raise BackupError(
            f"This backup was made with pg_dump {made_by}; pg_restore {client} cannot read it. Install "
            f"the PostgreSQL {made_by} client tools (or newer) and try again."
        )
    server = _server_major()
    source = manifest["database"].get("server_version")
    if source and server < int(source):
        raise BackupError(
            f"This backup comes from PostgreSQL {source}; the target server runs PostgreSQL {server}. "
            f"Restore into a PostgreSQL {source} server (or newer)."
        )
    return pg_restore


def _restore_sqlite(dump: Path, *, force: bool, stamp: str, done: Restored) -> None:
    """Replace the database's content with the backup's, page by page through SQLite's backup API."""
    target = Path(settings.DATABASES["default"]["NAME"])
    connections.close_all()
    if force and target.exists():
        aside = target.with_name(f"{target.name}.before-restore-{stamp}")
        current, copy = sqlite3.connect(target, timeout=20), sqlite3.connect(aside)
        try:
            current.backup(copy)
        finally:
            copy.close()
            current.close()
        done.kept_aside.append(aside)
    source, destination = sqlite3.connect(dump), sqlite3.connect(target, timeout=20)
    try:
        source.backup(destination)
    except sqlite3.Error as exc:
        raise BackupError(f"Restoring the SQLite database failed: {exc}") from exc
    finally:
        destination.close()
        source.close()


def _restore_postgresql(dump: Path, pg_restore: str) -> None:
    """pg_restore in one transaction: the dump's tables replace any of the same name, or nothing changes."""
    connections.close_all()
    conninfo, env = _pg_command_env()
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={conninfo}",
            str(dump),
        ],
        env,
        "pg_restore",
    )


def _restore_media(unpacked: Path, *, force: bool, stamp: str, done: Restored) -> None:
    root = Path(settings.MEDIA_ROOT)
    if force and root.exists() and any(root.iterdir()):
        aside = root.with_name(f"{root.name}.before-restore-{stamp}")
        root.rename(aside)
        done.kept_aside.append(aside)
    root.mkdir(parents=True, exist_ok=True)
    source = unpacked / MEDIA
    for name in sorted(done.manifest["files"]):
        if name.startswith(f"{MEDIA}/"):
            target = root / PurePosixPath(name).relative_to(MEDIA)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / PurePosixPath(name).relative_to(MEDIA), target)
            done.media_files += 1


def restore_backup(
    archive: Path,
    *,
    force: bool = False,
    keep_env_secret_key: bool = False,
    log: Callable[[str], None] = lambda message: None,
) -> Restored:
    """Restore an archive made by `create_backup` into this data dir and database.

    Everything is checked before anything changes: the checksums, the database vendor, the client
    tools, PODIUM_SECRET_KEY and that the target is empty (unless `force`: then the current SQLite
    database and media directory are kept aside, next to the originals). Then the database, the
    media files and DATA_DIR/.secret_key are written, and the row counts compared with the manifest.
    """
    archive = Path(archive).resolve()
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    vendor = _vendor()
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(prefix=".podium-restore-", dir=data_dir) as work:
        unpacked = Path(work)
        log(f"Checking {archive.name} …")
        manifest = _extract_verified(archive, unpacked)
        done = Restored(manifest=manifest)
        source = manifest["database"]["vendor"]
        if source != vendor:
            raise BackupError(
                f"This is a backup of a {VENDOR_NAMES.get(source, source)} database; this Podium uses "
                f"{VENDOR_NAMES[vendor]}. Restore it where Podium uses {VENDOR_NAMES.get(source, source)} "
                f"(PODIUM_DATABASE_URL {'set' if source == 'postgresql' else 'unset'}); moving between the "
                f"two is not a restore."
            )
        backed_up_key = (unpacked / SECRET_KEY).read_text()
        warning = _check_secret_key(backed_up_key, keep_env_secret_key=keep_env_secret_key)
        pg_restore = _check_pg_restore(manifest) if vendor == "postgresql" else ""
        rows, media = _target_contents()
        if (rows or media) and not force:
            _refuse_non_empty(rows, media)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
        dump = unpacked / DATABASE_FILES[vendor]
        log(f"Restoring the {VENDOR_NAMES[vendor]} database …")
        if vendor == "sqlite":
            _restore_sqlite(dump, force=force, stamp=stamp, done=done)
        else:
            _restore_postgresql(dump, pg_restore)
        log("Restoring the media files and the secret key …")
        _restore_media(unpacked, force=force, stamp=stamp, done=done)
        _write_private(data_dir / ".secret_key", backed_up_key)
    counts = current_counts()
    expected = manifest["tables"]
    differ = sorted(table for table in expected if counts.get(table) != expected[table])
    if differ:
        raise BackupError(
            "The restored database does not match the manifest's row counts ("
            + ", ".join(f"{table}: {counts.get(table)} instead of {expected[table]}" for table in differ[:10])
            + ")."
        )
    extra = sorted(set(counts) - set(expected))
    if extra:
        done.warnings.append(f"Tables not in the backup were left as they were: {', '.join(extra)}.")
    if manifest.get("podium_version") != podium_version():
        done.warnings.append(
            f"The backup was made by Podium {manifest.get('podium_version')}; this is {podium_version()}. "
            f"Run `podium migrate` before serving."
        )
    if warning:
        done.warnings.append(warning)
    done.tables, done.rows = len(expected), sum(expected.values())
    return done
