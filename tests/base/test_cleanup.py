"""`podium cleanup`: orphaned uploads and abandoned import uploads go, nothing else does."""

import datetime as dt
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from podium.base import cleanup
from podium.proposals.models import SpeakerProfile
from tests import factories
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.django_db

TOKEN = "A" * 32


def _file(path: Path, *, age: dt.timedelta, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    moment = (timezone.now() - age).timestamp()
    os.utime(path, (moment, moment))
    return path


def _run(*args) -> str:
    out = StringIO()
    call_command("cleanup", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def media(settings):
    root = Path(settings.MEDIA_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture
def imports(settings, tmp_path):
    settings.PODIUM_IMPORT_DIR = tmp_path / "imports"
    settings.PODIUM_IMPORT_DIR.mkdir()
    return settings.PODIUM_IMPORT_DIR


def test_orphaned_uploads_go_and_referenced_ones_stay(media, imports, event, speaker):
    day = dt.timedelta(days=1)
    used = _file(media / "speakers/used.png", age=day)
    SpeakerProfile.objects.create(event=event, user=speaker, photo="speakers/used.png")
    orphan = _file(media / "speakers/orphan.png", age=day)
    nested = _file(media / "speakers/old/orphan.png", age=day)
    young = _file(
        media / "speakers/young.png", age=dt.timedelta(minutes=5)
    )  # its change may not have committed
    foreign = _file(media / "other/not-ours.png", age=day)  # not an upload folder of Podium's

    text = _run()

    assert (used.exists(), young.exists(), foreign.exists()) == (True, True, True)
    assert (orphan.exists(), nested.exists()) == (False, False)
    assert "Removed media/speakers/orphan.png (no row refers to it)" in text
    assert "Removed media/speakers/old/orphan.png" in text
    assert "Removed 2 item(s)" in text


def test_a_photo_the_released_program_names_stays(media, imports, event, speaker):
    scheduler = factories.team_member(event, can_schedule=True)
    placed_talk(event, "Engines", "Hall A", at(event, 10), scheduler, speakers=[speaker])
    photo = _file(media / "speakers/released.png", age=dt.timedelta(days=1))
    SpeakerProfile.objects.filter(event=event, user=speaker).update(photo="speakers/released.png")
    release(event, scheduler)
    SpeakerProfile.objects.filter(event=event, user=speaker).update(photo="")

    _run()

    assert photo.exists()


def test_symbolic_links_are_never_followed_nor_removed(media, imports, tmp_path):
    outside = tmp_path / "outside"
    target = _file(outside / "precious.png", age=dt.timedelta(days=9))
    (media / "speakers").mkdir()
    (media / "speakers/link.png").symlink_to(target)
    (media / "speakers/linked-folder").symlink_to(outside, target_is_directory=True)
    stale_link = imports / f"1-{TOKEN}.upload"
    stale_link.symlink_to(target)

    text = _run()

    assert target.exists()
    assert (media / "speakers/link.png").is_symlink()
    assert (media / "speakers/linked-folder").is_symlink()
    assert stale_link.is_symlink()
    assert "Nothing to remove" in text


def test_a_linked_upload_folder_is_left_alone(media, imports, tmp_path):
    outside = tmp_path / "elsewhere"
    kept = _file(outside / "orphan.png", age=dt.timedelta(days=9))
    (media / "speakers").symlink_to(outside, target_is_directory=True)

    _run()

    assert kept.exists()


def test_abandoned_import_uploads_older_than_a_day_go(media, imports):
    old = _file(imports / f"7-{TOKEN}.upload", age=dt.timedelta(hours=25))
    waiting = _file(imports / f"7-{'B' * 32}.upload", age=dt.timedelta(hours=23))
    unknown = _file(imports / "notes.txt", age=dt.timedelta(days=30))

    text = _run()

    assert (old.exists(), waiting.exists(), unknown.exists()) == (False, True, True)
    assert f"Removed {old} (import upload not confirmed within a day)" in text


def test_dry_run_prints_what_would_go_and_removes_nothing(media, imports):
    orphan = _file(media / "speakers/orphan.png", age=dt.timedelta(days=1))
    upload = _file(imports / f"7-{TOKEN}.upload", age=dt.timedelta(days=2))

    text = _run("--dry-run")

    assert (orphan.exists(), upload.exists()) == (True, True)
    assert "Would remove media/speakers/orphan.png" in text
    assert f"Would remove {upload}" in text
    assert "Would remove 2 item(s)" in text


def test_sweeps_are_a_list_each_saying_what_it_removed(media, imports, monkeypatch):
    seen = []

    def expired_records(*, now, dry_run):
        seen.append(dry_run)
        return [cleanup.Removal("3 idempotency records", "expired")]

    monkeypatch.setattr(cleanup, "SWEEPS", [*cleanup.SWEEPS, expired_records])

    text = _run()

    assert seen == [False]
    assert "Removed 3 idempotency records (expired)" in text
    assert "expired records: 1" in text


def test_upload_folders_come_from_the_models():
    assert cleanup.upload_folders() == ["events", "speakers", "sponsors"]
