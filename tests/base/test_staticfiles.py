"""The static files' storage: each file is compressed when it is new or changed, never again after that."""

import gzip
import os
import shutil
from pathlib import Path

import brotli
import pytest
from django.conf import settings
from django.core.files.storage import storages

from podium.base.staticfiles import StaticFilesStorage

STYLE = b"body { color: #123456; }\n" * 200
SCRIPT = b"console.log('the same line again');\n" * 200


@pytest.fixture
def storage(tmp_path):
    return StaticFilesStorage(location=tmp_path / "static", base_url="/static/")


def _collect(storage, files: dict[str, bytes]) -> list[str]:
    """What collectstatic does: writes the files that changed (a new modification time), then
    post-processes every file it found. Returns the files compressed this time."""
    for name, data in files.items():
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
    processed = storage.post_process({name: (storage, name) for name in files})
    return sorted({original for original, _compressed, done in processed if done})


def _read(storage, name: str) -> bytes:
    return Path(storage.path(name)).read_bytes()


def _older(storage, name: str, seconds: float = 60) -> None:
    """Back-dates a file, as if it had been copied a minute ago."""
    moment = os.stat(storage.path(name)).st_mtime - seconds
    os.utime(storage.path(name), (moment, moment))


def test_the_project_collects_with_this_storage():
    assert isinstance(storages["staticfiles"], StaticFilesStorage)
    assert settings.STORAGES["staticfiles"]["BACKEND"] == "podium.base.staticfiles.StaticFilesStorage"


def test_a_new_file_is_compressed_with_brotli_and_gzip(storage):
    assert _collect(storage, {"podium/site.css": STYLE}) == ["podium/site.css"]

    assert brotli.decompress(_read(storage, "podium/site.css.br")) == STYLE
    assert gzip.decompress(_read(storage, "podium/site.css.gz")) == STYLE


def test_a_source_map_is_kept_as_it_is(storage):
    """Read by developer tools only: not worth brotli's time at every first start."""
    files = {"ninja/docs.js": SCRIPT, "ninja/docs.js.map": SCRIPT}

    assert _collect(storage, files) == ["ninja/docs.js"]
    assert not Path(storage.path("ninja/docs.js.map.br")).exists()
    assert not Path(storage.path("ninja/docs.js.map.gz")).exists()
    assert _read(storage, "ninja/docs.js.map") == SCRIPT


def test_an_unchanged_file_is_not_compressed_again(storage):
    _collect(storage, {"podium/site.css": STYLE, "podium/app.js": SCRIPT})
    made = {
        suffix: os.stat(storage.path("podium/site.css" + suffix)).st_mtime_ns for suffix in (".br", ".gz")
    }

    assert _collect(storage, {"podium/site.css": STYLE, "podium/app.js": SCRIPT}) == []
    assert {s: os.stat(storage.path("podium/site.css" + s)).st_mtime_ns for s in made} == made


def test_a_changed_file_is_compressed_again_and_its_copies_hold_the_new_bytes(storage):
    _collect(storage, {"podium/site.css": STYLE, "podium/app.js": SCRIPT})
    _older(storage, "podium/site.css")
    for suffix in (".br", ".gz"):
        _older(storage, "podium/site.css" + suffix)
    changed = STYLE.replace(b"#123456", b"#abcdef")

    assert _collect(storage, {"podium/site.css": changed, "podium/app.js": SCRIPT}) == ["podium/site.css"]
    assert brotli.decompress(_read(storage, "podium/site.css.br")) == changed
    assert gzip.decompress(_read(storage, "podium/site.css.gz")) == changed


@pytest.mark.parametrize("suffix", [".br", ".gz"])
def test_a_missing_or_stale_compressed_copy_is_made_again(storage, suffix):
    _collect(storage, {"podium/site.css": STYLE})
    os.remove(storage.path("podium/site.css" + suffix))

    assert _collect(storage, {"podium/site.css": STYLE}) == ["podium/site.css"]
    assert os.path.exists(storage.path("podium/site.css" + suffix))

    _older(storage, "podium/site.css" + suffix)  # made from an older file of the same name

    assert _collect(storage, {"podium/site.css": STYLE}) == ["podium/site.css"]


def test_a_copied_static_dir_keeps_its_compressed_copies(storage, tmp_path):
    """Copied with the files' times (as a backup or a deployment keeps them), nothing is compressed."""
    _collect(storage, {"podium/site.css": STYLE})
    copy = StaticFilesStorage(location=tmp_path / "copy", base_url="/static/")
    shutil.copytree(storage.location, copy.location)

    assert _collect(copy, {"podium/site.css": STYLE}) == []


def test_a_dry_run_compresses_nothing(storage):
    _collect(storage, {"podium/site.css": STYLE})
    os.remove(storage.path("podium/site.css.br"))

    assert list(storage.post_process({"podium/site.css": (storage, "podium/site.css")}, dry_run=True)) == []
    assert not os.path.exists(storage.path("podium/site.css.br"))
