"""`podium export`: the latest release as a file, with clear errors."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.interop.formats import valid_json, valid_xml, vevents

pytestmark = pytest.mark.django_db


def export(*args) -> str:
    out = StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def test_export_writes_a_valid_xml_file(small_program, tmp_path):
    target = tmp_path / "schedule.xml"

    message = export(small_program["event"].slug, "--format", "frab-xml", "-o", str(target))

    assert valid_xml(target.read_bytes()).findtext("version") == "v1"
    assert str(target) in message


@pytest.mark.parametrize(("fmt", "check"), [("frab-json", valid_json), ("ical", vevents)])
def test_export_writes_to_standard_output(small_program, fmt, check):
    assert check(export(small_program["event"].slug, "--format", fmt).encode()) is not None


def test_export_csv_writes_the_sessions_table(small_program):
    lines = export(small_program["event"].slug, "--format", "csv").splitlines()

    assert lines[0].startswith("code,title,speakers")
    assert len(lines) == 4


def test_export_of_an_unknown_event_fails_clearly(db):
    with pytest.raises(CommandError, match="No event with the slug 'nope'"):
        export("nope", "--format", "frab-xml")


def test_export_before_the_first_release_fails_clearly(event):
    with pytest.raises(CommandError, match="has no release yet"):
        export(event.slug, "--format", "ical")


def test_export_of_an_unknown_format_fails_clearly(small_program):
    with pytest.raises(CommandError, match="Unknown format 'pdf'; choose one of: frab-xml"):
        export(small_program["event"].slug, "--format", "pdf")


def test_export_to_an_unwritable_place_fails_clearly(small_program, tmp_path):
    with pytest.raises(CommandError, match="Could not write"):
        export(small_program["event"].slug, "--format", "frab-xml", "-o", str(tmp_path / "missing" / "x.xml"))


def test_export_exits_non_zero_from_the_command_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "django", "export", "any-event", "--format", "pdf"],
        capture_output=True,
        text=True,
        check=False,
        env={"DJANGO_SETTINGS_MODULE": "podium.settings", "PODIUM_DATA_DIR": str(tmp_path), "PATH": ""},
    )

    assert result.returncode != 0
    assert "Unknown format 'pdf'" in result.stderr
