"""`podium contacts import|export`: the report, exit codes, progress, and an export imported back."""

import subprocess
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from podium.contacts.models import Contact, ContactList
from tests import factories, served

pytestmark = pytest.mark.django_db

CSV = (
    "E-mail;First name;Last name;Company;Twitter\n"
    "ada@example.org;Ada;Lovelace;Engines;@ada\n"
    "bob@;Bob;;;\n"
    "ADA@example.org;Ada;Again;;\n"
    'zoe@example.org;Zoë;Ångström;"Société, Paris";\n'
)


@pytest.fixture
def organiser():
    return factories.OrganiserFactory(slug="pycon")


def _write(tmp_path, text: str, name: str = "people.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def contacts(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("contacts", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_bad_addresses_refuse_the_file_listing_every_line(organiser, tmp_path):
    path = _write(tmp_path, CSV)

    with pytest.raises(CommandError, match="--skip-invalid") as refused:
        contacts("import", path, "--organiser", "pycon", "--list", "Press")

    assert refused.value.returncode == 1
    assert Contact.objects.count() == 0


def test_skip_invalid_imports_the_rest_and_reports_it(organiser, tmp_path):
    path = _write(tmp_path, CSV)

    out, _ = contacts("import", path, "--organiser", "pycon", "--list", "Press", "--skip-invalid")

    assert out.splitlines() == [
        "Read people.csv as CSV, delimiter ';': 4 contacts.",
        "Columns: email from 'E-mail', first name from 'First name', last name from 'Last name', "
        "organisation from 'Company'.",
        "Ignored columns: 'Twitter'.",
        "List 'Press' (new).",
        "Created 2, updated 0, unchanged 0, skipped 2.",
        "Added 2 to the list (0 on it already).",
        "Skipped:",
        "  line 3: 'bob@' is not an e-mail address",
        "  line 4: skipped, same address as line 2",
    ]
    zoe = Contact.objects.get(email="zoe@example.org")
    assert (zoe.name, zoe.organisation) == ("Zoë Ångström", "Société, Paris")


def test_dry_run_reports_and_saves_nothing(organiser, tmp_path):
    path = _write(tmp_path, CSV)

    out, _ = contacts(
        "import", path, "--organiser", "pycon", "--list", "Press", "--skip-invalid", "--dry-run"
    )

    assert "Would create 2, updated 0, unchanged 0, skipped 2." in out
    assert out.endswith("Dry run: nothing was saved.\n")
    assert (Contact.objects.count(), ContactList.objects.count()) == (0, 0)


def test_refusals_name_what_is_wrong(organiser, tmp_path):
    with pytest.raises(CommandError, match="No organiser with the short name 'nope' \\(organisers: pycon\\)"):
        contacts("import", _write(tmp_path, CSV), "--organiser", "nope", "--list", "Press")
    with pytest.raises(CommandError, match="No such file"):
        contacts("import", tmp_path / "missing.csv", "--organiser", "pycon", "--list", "Press")
    with pytest.raises(CommandError, match="no e-mail column"):
        contacts("import", _write(tmp_path, "Name,Phone\nAda,1\n"), "--organiser", "pycon", "--list", "P")


def test_without_a_terminal_progress_is_a_line_now_and_then(organiser, tmp_path, capsys):
    path = _write(tmp_path, "email\n" + "".join(f"p{n}@example.org\n" for n in range(12_000)))

    out, _ = contacts("import", path, "--organiser", "pycon", "--list", "Many")

    assert "Created 12000" in out
    assert capsys.readouterr().err.splitlines() == [
        "lines read: 10,000 of 12,002",
        "lines read: 12,002 of 12,002",
        "contacts saved: 10,000 of 24,000",
        "contacts saved: 20,000 of 24,000",
        "contacts saved: 24,000 of 24,000",
    ]


def test_progress_lines():
    from podium.contacts.management.commands.contacts import Progress

    stream = StringIO()
    progress = Progress(stream, bars=False)
    for done in range(0, 25_001, 1000):
        progress("read", done, 25_001)
    progress("read", 25_001, 25_001)
    progress("save", 25_000, 25_000)

    assert stream.getvalue().splitlines() == [
        "lines read: 10,000 of 25,001",
        "lines read: 20,000 of 25,001",
        "lines read: 25,001 of 25,001",
        "contacts saved: 25,000 of 25,000",
    ]


def test_an_export_imported_again_changes_nothing(organiser, tmp_path):
    _write(tmp_path, CSV)
    contacts("import", tmp_path / "people.csv", "--organiser", "pycon", "--list", "Press", "--skip-invalid")
    Contact.objects.filter(email="ada@example.org").update(phone="+44 20 7946 0000", notes="two\nlines")
    for fmt, name in (("csv", "out.csv"), ("vcard", "out.vcf")):
        out, _ = contacts(
            "export", "--organiser", "pycon", "--list", "Press", "--format", fmt, "-o", tmp_path / name
        )
        assert out == f"Wrote 2 contacts to {tmp_path / name}.\n"

        again, _ = contacts("import", tmp_path / name, "--organiser", "pycon", "--list", "Press")

        assert "Created 0, updated 0, unchanged 2, skipped 0." in again
        assert "Added 0 to the list (2 on it already)." in again


def test_export_to_standard_output_and_unknown_lists(organiser):
    Contact.objects.create(organiser=organiser, email="ada@example.org", name="Ada")

    out, _ = contacts("export", "--organiser", "pycon")

    assert out == "email,name,organisation,phone,notes\r\nada@example.org,Ada,,,\r\n"
    with pytest.raises(CommandError, match="has no list 'Nope' \\(lists: none\\)"):
        contacts("export", "--organiser", "pycon", "--list", "Nope")


def test_exit_codes_of_the_real_command(tmp_path):
    """0 imported, 1 refused (nothing saved), 2 wrong arguments."""
    env = served.clean_env(served.migrated(tmp_path / "data"))
    create = "from podium.events.models import Organiser; Organiser.objects.create(name='P', slug='pycon')"
    subprocess.run([served.PODIUM, "shell", "-c", create], env=env, check=True, timeout=120)
    path = _write(tmp_path, CSV)

    def run(*args):
        return subprocess.run(
            [served.PODIUM, "contacts", *map(str, args)], env=env, capture_output=True, text=True, timeout=120
        )

    refused = run("import", path, "--organiser", "pycon", "--list", "Press")
    imported = run("import", path, "--organiser", "pycon", "--list", "Press", "--skip-invalid")
    wrong = run("import", path, "--organiser", "pycon")

    assert (refused.returncode, imported.returncode, wrong.returncode) == (1, 0, 2)
    assert "line 3: 'bob@' is not an e-mail address" in refused.stdout
    assert "Correct these lines, or import with --skip-invalid" in refused.stderr
    assert imported.stderr.splitlines() == ["lines read: 6 of 6", "contacts saved: 4 of 4"]
    assert "Created 2" in imported.stdout
