"""`podium import FILE`: the report on stdout, --dry-run, and clear errors with a non-zero exit."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from podium.events.models import Event
from podium.proposals.models import Proposal
from tests import factories, served
from tests.shared import SCHEDULE_DATA

MRMCD = SCHEDULE_DATA / "pretalx/mrmcd2019.schedule.xml"
KIELUX = SCHEDULE_DATA / "ical/kielux_2020.ics"
PODIUM = str(Path(sys.executable).with_name("podium"))


def podium_import(*args) -> str:
    out = StringIO()
    call_command("import", *map(str, args), stdout=out)
    return out.getvalue()


def test_import_command_prints_the_report(db):
    factories.OrganiserFactory()
    text = podium_import(MRMCD, "--event", "mrmcd", "--timezone", "Europe/Berlin")
    assert "37 sessions in the file" in text
    assert "sessions: 37 created" in text
    assert "Release: v1" in text
    assert Proposal.objects.filter(event__slug="mrmcd").count() == 37
    again = podium_import(MRMCD, "--event", "mrmcd")
    assert "0 created, 0 updated" in again
    assert "No new release" in again


def test_import_command_dry_run_saves_nothing(db):
    factories.OrganiserFactory()
    text = podium_import(KIELUX, "--event", "kielux", "--dry-run", "--timezone", "Europe/Berlin")
    assert text.startswith("Dry run (nothing was saved)")
    assert "sessions: 24 created" in text
    assert not Event.objects.filter(slug="kielux").exists()


def test_import_command_format_override(db, tmp_path):
    factories.OrganiserFactory()
    with pytest.raises(CommandError, match="not a readable iCalendar"):
        podium_import(MRMCD, "--event", "mrmcd", "--format", "ical")


def test_import_command_lists_organisers_when_ambiguous(db):
    factories.OrganiserFactory(slug="alpha")
    factories.OrganiserFactory(slug="beta")
    with pytest.raises(CommandError, match=r"--organiser\. Organisers: alpha, beta"):
        podium_import(MRMCD, "--event", "mrmcd", "--timezone", "Europe/Berlin")
    assert podium_import(MRMCD, "--event", "mrmcd", "--organiser", "beta", "--timezone", "Europe/Berlin")
    assert Event.objects.get(slug="mrmcd").organiser.slug == "beta"


def test_import_command_refuses_missing_and_garbage_files(db, tmp_path):
    factories.OrganiserFactory()
    with pytest.raises(CommandError, match="No such file"):
        podium_import(tmp_path / "nope.xml")
    garbage = tmp_path / "schedule.xml"
    garbage.write_bytes(b"\x00\x9f" * 500)
    with pytest.raises(CommandError, match="binary"):
        podium_import(garbage)
    assert not Event.objects.exists()


def test_import_command_csv_with_documented_columns(db, tmp_path):
    factories.OrganiserFactory()
    sheet = tmp_path / "sessions.csv"
    sheet.write_text(
        "code,title,speakers,track,type,room,start,duration,language,abstract,description\n"
        "OPEN01,Opening,Ada Lovelace;Grace Hopper,Main,Talk,Hall,2025-06-01T09:00:00+02:00,30,en,Hello,\n"
        "DEEP02,Deep dive,Grace Hopper,Main,Workshop,Hall,2025-06-01T10:00:00+02:00,01:30,en,More,Long\n"
        "BAD003,,Nobody,Main,Talk,Hall,2025-06-01T12:00:00+02:00,30,en,,\n",
        encoding="utf-8",
    )
    text = podium_import(sheet, "--event", "sheet", "--timezone", "Europe/Berlin")
    assert "sessions: 2 created, 1 skipped" in text
    assert "line 4: it has no title" in text
    deep = Proposal.objects.get(event__slug="sheet", code="DEEP02")
    assert deep.slot.duration_minutes == 90
    assert [u.name for u in deep.ordered_speakers] == ["Grace Hopper"]
    opening = Proposal.objects.get(event__slug="sheet", code="OPEN01")
    assert [u.name for u in opening.ordered_speakers] == ["Ada Lovelace", "Grace Hopper"]


def test_import_command_progress_bar_on_request(db, capsys):
    factories.OrganiserFactory()
    podium_import(MRMCD, "--event", "mrmcd", "--dry-run", "--progress", "--timezone", "Europe/Berlin")
    err = capsys.readouterr().err
    assert "sessions: 37" in err


def _podium(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    """`podium ARGS` as an operator runs it: a fresh data dir, SQLite, no PODIUM_REDIS_URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DJANGO_"))}
    env.update(PODIUM_DATA_DIR=str(data_dir), PODIUM_BASE_URL="https://podium.test")
    return subprocess.run([PODIUM, *args], env=env, capture_output=True, text=True, timeout=300, check=False)


def test_import_command_prints_only_its_report_without_a_broker(tmp_path):
    """Without Redis the tasks run in-process: no broker library may print to the terminal."""
    served.migrated(tmp_path)
    made = _podium(
        tmp_path,
        "shell",
        "-c",
        "from podium.events.models import Organiser; Organiser.objects.create(name='O', slug='o')",
    )
    assert made.returncode == 0, made.stderr

    result = _podium(tmp_path, "import", str(MRMCD), "--event", "mrmcd", "--timezone", "Europe/Berlin")

    assert result.returncode == 0, result.stderr
    assert "37 sessions in the file" in result.stdout
    assert "hostname" not in (result.stdout + result.stderr).lower()
    assert result.stderr == ""
