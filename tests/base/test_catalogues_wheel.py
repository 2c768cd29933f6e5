"""A wheel built from the sources carries every catalogue compiled (setup.py), so a Podium installed with
pip, as docs/operations.md installs it, speaks the languages it offers: the .mo files are not in git."""

import gettext
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from django.conf import settings

from podium.base import catalogues

ROOT = Path(__file__).resolve().parents[2]


def test_a_wheel_built_from_the_sources_holds_each_compiled_catalogue(tmp_path):
    sources = tmp_path / "podium"
    # The sources as a checkout has them: no compiled catalogue, no bytecode.
    shutil.copytree(
        ROOT / "src", sources / "src", ignore=shutil.ignore_patterns("*.mo", "__pycache__", "*.egg-info")
    )
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, sources / name)
    assert not list((sources / "src").rglob("*.mo"))

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            ".",
        ],
        cwd=sources,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("podium-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        languages = [code for code, _name in settings.LANGUAGES if code != "en"]
        assert languages
        for code in languages:
            mo = f"podium/locale/{code}/LC_MESSAGES/django.mo"
            assert mo in names, f"the wheel has no compiled catalogue for {code}"
            with archive.open(mo) as compiled:
                translation = gettext.GNUTranslations(compiled)
            # Every translated entry of the catalogue, as compiled from the .po beside it.
            po = catalogues.LOCALE / code / "LC_MESSAGES" / "django.po"
            entries = [
                entry
                for entry in catalogues.polib.pofile(str(po))
                if entry.msgstr and not entry.msgctxt and not entry.fuzzy and not entry.obsolete
            ]
            assert len(entries) > 100
            assert all(translation.gettext(entry.msgid) == entry.msgstr for entry in entries)
