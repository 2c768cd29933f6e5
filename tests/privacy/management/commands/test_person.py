"""`podium person export|erase`: the thin command over podium.privacy."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from podium.accounts.models import User
from tests import factories, served
from tests.personal import FRAGMENTS

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Zyxwv Quorble-Ó'Brien", "zyxwv.quorble@example.org"


@pytest.fixture
def someone(db):
    return factories.UserFactory(name=NAME, email=EMAIL)


def test_export_of_an_unknown_address_says_so():
    with pytest.raises(
        CommandError, match=re.escape("No account has the e-mail address 'nobody@example.org'")
    ):
        call_command("person", "export", "nobody@example.org")


def test_export_writes_json_to_a_file(someone, tmp_path):
    target = tmp_path / "someone.json"

    call_command("person", "export", EMAIL.upper(), "-o", str(target))

    exported = json.loads(target.read_text(encoding="utf-8"))
    assert (exported["format"], exported["account"]["name"]) == ("podium-person-export", NAME)


def test_erase_refuses_without_yes_when_stdin_is_not_a_terminal(someone, monkeypatch):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)

    with pytest.raises(CommandError, match="confirm at a terminal, or pass --yes"):
        call_command("person", "erase", EMAIL)

    assert User.objects.get(pk=someone.pk).name == NAME


@pytest.mark.parametrize(("answer", "erased"), [("erase", True), ("no", False)])
def test_erase_asks_at_a_terminal(someone, monkeypatch, answer, erased):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: answer)

    if erased:
        call_command("person", "erase", EMAIL)
    else:
        with pytest.raises(CommandError, match="Nothing was erased"):
            call_command("person", "erase", EMAIL)

    assert (User.objects.get(pk=someone.pk).name != NAME) is erased


def test_erase_with_yes_reports_counts_and_no_personal_value(someone, capsys):
    call_command("person", "erase", EMAIL, "--yes")

    out = capsys.readouterr().out
    assert out.startswith(f"Erased account {someone.pk}")
    assert [fragment for fragment in FRAGMENTS if fragment in out.lower()] == []


SETUP = """
from django.core.files.base import ContentFile
from podium.accounts.models import User
from podium.mail.services import queue_mail
from podium.proposals.models import SpeakerProfile
from tests import factories
from django.db import transaction
with transaction.atomic():
    user = User.objects.create_user(email={email!r}, name={name!r}, password="pw-123456")
    event = factories.EventFactory()
    profile = SpeakerProfile.objects.create(event=event, user=user, bio="Qwfpgj writes.")
    profile.photo.save("portrait.png", ContentFile(b"zyxwv-photo-bytes"))
    queue_mail(to=user.email, template="password_reset", context={{"user": user, "link": "x"}}, user=user)
"""


def _podium(env, *args, **kwargs):
    return subprocess.run(
        [str(Path(sys.executable).parent / "podium"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        **kwargs,
    )


def test_on_sqlite_no_file_in_the_data_dir_keeps_the_person(tmp_path):
    """A real data directory: the database file and its log, media and the mail files."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PODIUM_")}
    env |= {"PODIUM_DATA_DIR": str(tmp_path), "PODIUM_MAIL_BACKEND": "file", "PYTHONPATH": os.getcwd()}
    served.migrated(tmp_path)
    made = _podium(env, "shell", "-c", SETUP.format(email=EMAIL, name=NAME))
    assert made.returncode == 0, made.stderr
    before = [p for p in tmp_path.rglob("*") if p.is_file() and b"zyxwv" in p.read_bytes().lower()]
    assert before != []

    refused = _podium(env, "person", "erase", EMAIL, stdin=subprocess.DEVNULL)
    erased = _podium(env, "person", "erase", EMAIL, "--yes")

    assert refused.returncode == 1
    assert "pass --yes" in refused.stderr
    assert erased.returncode == 0, erased.stderr
    left = [
        str(p)
        for p in tmp_path.rglob("*")
        if p.is_file() and any(f.encode() in p.read_bytes().lower() for f in FRAGMENTS)
    ]
    assert left == []
    assert _podium(env, "person", "export", "nobody@example.org").returncode == 1
