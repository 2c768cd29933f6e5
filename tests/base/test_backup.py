"""`podium backup` and `podium restore`, each in a process of its own with its own data dir and database.

A site is built (an event, a proposal by a speaker with a photo, a mailed confirmation link), backed
up, and restored into a fresh data dir (SQLite) or a fresh database (PostgreSQL, on the server the
suite uses). After the restore every table holds the same rows (counted and checksummed), every
media file is there with the same SHA-256, and the link mailed before the backup still works.
"""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests import served

PODIUM = str(Path(sys.executable).with_name("podium"))
ROOT = Path(__file__).resolve().parents[2]
# The builds are shared by the tests of this module: keep them on one test worker.
pytestmark = pytest.mark.xdist_group("backup")
SERVER_URL = os.environ.get("PODIUM_DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"

BUILD = """
import io, json, re
from PIL import Image
from django.core.files.uploadedfile import SimpleUploadedFile
from podium.base.uploads import clean_image
from podium.mail.models import OutboxMail
from podium.proposals.services import save_speaker_profile, submit_proposal
from podium.reviews.services import decide, send_decision_notifications
from tests import factories

event = factories.EventFactory(name="Backup Conf", slug="backup-conf", is_public=True)
organiser = factories.team_member(event, is_admin=True, can_edit_event=True, can_review=True, can_send_mail=True)
speaker = factories.UserFactory(name="Siobhán O'Brien", email="siobhan@example.org")
proposal = submit_proposal(
    event=event,
    speaker=speaker,
    data={"title": "Restoring what matters", "abstract": "Backups.", "session_type": event.session_types.first()},
)
image = io.BytesIO()
Image.new("RGB", (48, 32), (200, 30, 30)).save(image, "PNG")
upload = clean_image(SimpleUploadedFile("me.png", image.getvalue(), content_type="image/png"))
save_speaker_profile(event=event, user=speaker, name=speaker.name, bio="Keeps backups.", photo=upload)
decide(proposal=proposal, decision="accepted", by=organiser)
send_decision_notifications(event=event, by=organiser)
body = OutboxMail.objects.get(template="decision_accepted").body
print(json.dumps({"link": re.search(r"https?://\\S+/confirm/\\S+", body).group(0), "code": proposal.code}))
"""

SNAPSHOT = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from django.db import connection

def text(value):
    return bytes(value).hex() if isinstance(value, (bytes, memoryview)) else str(value)

tables = {}
with connection.cursor() as cursor:
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute("SELECT * FROM " + connection.ops.quote_name(table))
        rows = sorted(json.dumps([text(value) for value in row]) for row in cursor.fetchall())
        tables[table] = [len(rows), hashlib.sha256("\\n".join(rows).encode()).hexdigest()]
root = Path(settings.MEDIA_ROOT)
media = {
    path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
    for path in root.rglob("*") if path.is_file()
} if root.exists() else {}
print(json.dumps({"tables": tables, "media": media, "key": settings.SECRET_KEY}))
"""

OPEN_LINK = """
import json, os
from urllib.parse import urlsplit
from django.test import Client
from podium.events.models import Event
from podium.proposals.services import read_confirmation_token

path = urlsplit(os.environ["MAILED_LINK"]).path
proposal, user = read_confirmation_token(Event.objects.get(slug="backup-conf"), path.rstrip("/").split("/")[-1])
page = Client(HTTP_HOST="127.0.0.1").get(path)
print(json.dumps({"code": proposal.code, "user": user.email, "status": page.status_code,
                  "shows_title": "Restoring what matters" in page.content.decode()}))
"""


def _env(data_dir: Path, database_url: str = "", **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DJANGO_"))}
    env.update(
        PODIUM_DATA_DIR=str(data_dir),
        PODIUM_BASE_URL="http://127.0.0.1:8000",
        PODIUM_DELIVER_MAIL_ON_COMMIT="false",
        PYTHONPATH=str(ROOT),
        **extra,
    )
    if database_url:
        env["PODIUM_DATABASE_URL"] = database_url
    return env


def _podium(*args, env: dict, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [PODIUM, *args], env=env, capture_output=True, text=True, timeout=300, check=False, cwd=ROOT
    )
    if ok:
        assert result.returncode == 0, f"podium {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def _script(script: str, *args, env: dict) -> dict:
    return json.loads(
        _podium("shell", "--no-imports", "-c", script, *args, env=env).stdout.strip().splitlines()[-1]
    )


def _database_url(name: str) -> str:
    parts = urlsplit(SERVER_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


class Site:
    """A data dir (and, for PostgreSQL, a database of its own) that `podium` runs against."""

    def __init__(self, data_dir: Path, database_url: str = ""):
        data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir, self.database_url = data_dir, database_url

    def env(self, **extra) -> dict:
        return _env(self.data_dir, self.database_url, **extra)

    def podium(self, *args, ok: bool = True, **extra) -> subprocess.CompletedProcess:
        return _podium(*args, env=self.env(**extra), ok=ok)

    def snapshot(self) -> dict:
        """Every table's row count and checksum, every media file's SHA-256 and the secret key, read
        straight from the data dir and the database (no process of its own: the tests take many)."""
        tables = {}
        for table, rows in _rows(self.data_dir, self.database_url):
            lines = sorted(json.dumps([_text(value) for value in row]) for row in rows)
            tables[table] = [len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()]
        media_root = self.data_dir / "media"
        media = {
            path.relative_to(media_root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in media_root.rglob("*")
            if path.is_file()
        }
        key_file = self.data_dir / ".secret_key"
        return {"tables": tables, "media": media, "key": key_file.read_text() if key_file.exists() else None}

    def snapshot_by_podium(self) -> dict:
        """The same, as a `podium` process of this site reads it (which makes the data dir's secret key
        when it has none)."""
        return _script(SNAPSHOT, env=self.env())


def _text(value) -> str:
    return bytes(value).hex() if isinstance(value, (bytes, memoryview)) else str(value)


def _rows(data_dir: Path, database_url: str):
    """(table, rows) for every table of the site's database: the SQLite file in the data dir (none
    while it does not exist) or the PostgreSQL database."""
    if database_url:
        with psycopg.connect(database_url) as connection:
            names = connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1"
            ).fetchall()
            for (name,) in names:
                yield name, connection.execute(f'SELECT * FROM "{name}"').fetchall()  # noqa: S608
        return
    path = data_dir / served.SQLITE_FILE
    if not path.exists():
        return
    connection = sqlite3.connect(path)
    try:
        names = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1"
        ).fetchall()
        for (name,) in names:
            yield name, connection.execute(f'SELECT * FROM "{name}"').fetchall()  # noqa: S608
    finally:
        connection.close()


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    """Create fresh PostgreSQL databases on demand, empty or `migrated` (copies of one database that
    `podium migrate` made, the first time one is asked for); drop them all at the end."""
    made = []
    templates = []

    def create(*, migrated: bool = False) -> str:
        name = f"podium_d_backup_{uuid.uuid4().hex[:10]}"
        if migrated and not templates:
            templates.append(create())
            Site(tmp_path_factory.mktemp("migrated"), templates[0]).podium("migrate", "--no-input")
        copy = f' TEMPLATE "{urlsplit(templates[0]).path[1:]}"' if migrated else ""
        with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"{copy}')
        made.append(name)
        return _database_url(name)

    yield create
    with psycopg.connect(_database_url("postgres"), autocommit=True) as admin:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _built(tmp: Path, database_url: str = "") -> tuple[Site, dict, Path]:
    """A migrated site with data, its mailed confirmation link, and a backup of it."""
    site = Site(tmp / "source", database_url)
    if not database_url:
        served.migrated(site.data_dir)
    made = _script(BUILD, env=site.env())
    archive = tmp / "podium.tar.gz"
    site.podium("backup", "-o", str(archive))
    made["snapshot"] = site.snapshot()  # every row, media file and the key, as backed up
    return site, made, archive


@pytest.fixture(scope="module")
def sqlite_backup(tmp_path_factory):
    return _built(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="module")
def postgres_backup(tmp_path_factory, databases):
    return _built(tmp_path_factory.mktemp("postgres"), databases(migrated=True))


BACKUPS = {"sqlite": "sqlite_backup", "postgresql": "postgres_backup"}


def _fresh(tmp_path: Path, vendor: str, databases, *, migrated: bool = False) -> Site:
    return Site(tmp_path / "target", databases(migrated=migrated) if vendor == "postgresql" else "")


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_restore_brings_back_every_row_file_and_mailed_link(vendor, request, tmp_path, databases):
    _, made, archive = request.getfixturevalue(BACKUPS[vendor])
    target = _fresh(tmp_path, vendor, databases, migrated=True)  # PostgreSQL: tables, but no data
    before = made["snapshot"]
    assert target.snapshot_by_podium()["key"] != before["key"]  # a fresh data dir has a key of its own

    result = target.podium("restore", str(archive))

    after = target.snapshot()
    assert after["tables"] == before["tables"]
    assert after["media"] == before["media"]
    assert [name.split("/")[0] for name in after["media"]] == ["speakers"]
    assert after["key"] == before["key"]
    assert (target.data_dir / ".secret_key").stat().st_mode & 0o777 == 0o600
    assert _script(OPEN_LINK, env=target.env(MAILED_LINK=made["link"])) == {
        "code": made["code"],
        "user": "siobhan@example.org",
        "status": 200,
        "shows_title": True,
    }
    assert "Row counts match the backup." in result.stdout


def test_backup_manifest_lists_every_file_with_its_checksum(sqlite_backup):
    _, made, archive = sqlite_backup

    with tarfile.open(archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        contents = {
            member.name: hashlib.sha256(tar.extractfile(member).read()).hexdigest()
            for member in tar
            if member.isfile() and member.name != "manifest.json"
        }

    assert {name: entry["sha256"] for name, entry in manifest["files"].items()} == contents
    assert {"database/podium.sqlite3", "secret_key"} <= set(contents)
    assert (manifest["format"], manifest["database"]["vendor"]) == (1, "sqlite")
    assert manifest["tables"] == {table: rows for table, (rows, _) in made["snapshot"]["tables"].items()}
    assert manifest["tables"]["proposals_proposal"] == 1
    assert archive.stat().st_mode & 0o777 == 0o600


def test_restore_refuses_a_non_empty_target_unless_forced(sqlite_backup, tmp_path):
    _, made, archive = sqlite_backup
    target = Site(tmp_path / "target")
    target.podium("restore", str(archive))
    restored = target.snapshot()

    refused = target.podium("restore", str(archive), ok=False)

    assert refused.returncode != 0
    assert "The target is not empty" in refused.stderr
    assert "--force" in refused.stderr
    assert target.snapshot() == restored

    forced = target.podium("restore", str(archive), "--force")

    assert target.snapshot() == made["snapshot"]
    kept = sorted(path.name for path in target.data_dir.iterdir() if "before-restore" in path.name)
    assert [name.split(".before-restore")[0] for name in kept] == ["media", "podium.sqlite3"]
    assert "kept at" in forced.stdout


def test_restore_refuses_a_non_empty_postgresql_database_unless_forced(postgres_backup):
    source, made, archive = postgres_backup
    before = made["snapshot"]

    refused = source.podium("restore", str(archive), ok=False)

    assert refused.returncode != 0
    assert "The target is not empty: the database has" in refused.stderr
    assert source.snapshot() == before

    source.podium("restore", str(archive), "--force")

    assert source.snapshot() == before


def _repacked(archive: Path, out: Path, change) -> Path:
    """The archive with one member's bytes changed by `change` (the manifest left as it was)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as copy:
        for member in source:
            data = source.extractfile(member).read() if member.isfile() else None
            if data is not None:
                data = change(member.name, data)
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data) if data is not None else None)
    return out


def test_restore_refuses_a_tampered_archive_and_changes_nothing(sqlite_backup, tmp_path):
    _, _, archive = sqlite_backup
    tampered = _repacked(
        archive,
        tmp_path / "tampered.tar.gz",
        lambda name, data: data + b"<script>" if name.startswith("media/") else data,
    )
    target = Site(tmp_path / "target")
    before = target.snapshot_by_podium()  # as a site that has started once: it has its key

    result = target.podium("restore", str(tampered), ok=False)

    assert result.returncode != 0
    assert "checksum or size differs: media/speakers/" in result.stderr
    assert "nothing was restored" in result.stderr
    assert target.snapshot() == before
    assert not (target.data_dir / "media").exists() or not any((target.data_dir / "media").iterdir())


def test_restore_refuses_a_truncated_archive(sqlite_backup, tmp_path):
    _, _, archive = sqlite_backup
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    target = Site(tmp_path / "target")
    before = target.snapshot_by_podium()  # as a site that has started once: it has its key

    result = target.podium("restore", str(truncated), ok=False)

    assert result.returncode != 0
    assert "damaged or incomplete" in result.stderr
    assert target.snapshot() == before


@pytest.mark.parametrize(("made_on", "restored_on"), [("sqlite", "postgresql"), ("postgresql", "sqlite")])
def test_restore_refuses_a_backup_of_the_other_database(made_on, restored_on, request, tmp_path, databases):
    _, _, archive = request.getfixturevalue(BACKUPS[made_on])
    target = _fresh(tmp_path, restored_on, databases)
    before = target.snapshot_by_podium()  # as a site that has started once: it has its key

    result = target.podium("restore", str(archive), ok=False)

    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    assert result.returncode != 0
    assert (
        f"This is a backup of a {names[made_on]} database; this Podium uses {names[restored_on]}"
        in result.stderr
    )
    assert target.snapshot() == before


def test_restore_with_another_secret_key_in_the_environment_says_so(sqlite_backup, tmp_path):
    _, made, archive = sqlite_backup
    target = Site(tmp_path / "target")

    refused = target.podium("restore", str(archive), ok=False, PODIUM_SECRET_KEY="another-key-" + "x" * 40)

    assert refused.returncode != 0
    assert "PODIUM_SECRET_KEY IS SET AND DIFFERS FROM THE BACKED-UP SECRET KEY" in refused.stderr
    assert target.snapshot()["tables"] == {}

    allowed = target.podium(
        "restore", str(archive), "--keep-env-secret-key", PODIUM_SECRET_KEY="another-key-" + "x" * 40
    )

    assert "WARNING: PODIUM_SECRET_KEY IS SET AND DIFFERS" in allowed.stderr
    assert (target.data_dir / ".secret_key").read_text() == made["snapshot"]["key"]


def test_backup_without_pg_dump_says_what_to_install(postgres_backup, tmp_path):
    source, _, _ = postgres_backup

    result = source.podium("backup", "-o", str(tmp_path / "b.tar.gz"), ok=False, PATH=str(tmp_path))

    assert result.returncode != 0
    assert "pg_dump was not found on PATH. Install the PostgreSQL client tools" in result.stderr
    assert not (tmp_path / "b.tar.gz").exists()


def test_backup_with_an_older_pg_dump_than_the_server_is_refused(postgres_backup, tmp_path):
    source, _, _ = postgres_backup
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n")
    fake.chmod(0o755)

    result = source.podium("backup", "-o", str(tmp_path / "b.tar.gz"), ok=False, PATH=str(tmp_path))

    assert result.returncode != 0
    assert "pg_dump 9 cannot dump a PostgreSQL" in result.stderr
    assert not (tmp_path / "b.tar.gz").exists()
