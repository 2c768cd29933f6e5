import subprocess

import pytest

from podium import cli
from tests import served


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["podium", "demo", "--port", "8011"], "http://127.0.0.1:8011"),
        (["podium", "serve", "--port=9000", "--host", "0.0.0.0"], "http://127.0.0.1:9000"),  # noqa: S104
        (["podium", "serve", "--host", "podium.local"], "http://podium.local:8000"),
        (["podium", "migrate"], None),
    ],
)
def test_demo_and_serve_default_the_base_url_to_their_own_address(monkeypatch, argv, expected):
    monkeypatch.delenv("PODIUM_BASE_URL", raising=False)

    cli._default_base_url(argv)

    assert cli.os.environ.get("PODIUM_BASE_URL") == expected


def test_explicit_base_url_wins(monkeypatch):
    monkeypatch.setenv("PODIUM_BASE_URL", "https://program.example.org")

    cli._default_base_url(["podium", "serve", "--port", "9000"])

    assert cli.os.environ["PODIUM_BASE_URL"] == "https://program.example.org"


def test_a_command_starts_without_the_libraries_only_some_commands_use(tmp_path):
    """Celery (the worker's), iCalendar (exports and notices) and ReportLab (PDFs) are loaded where they
    are used, not by every `podium` command as it starts: together a third of its start-up
    (benchmarks/README.md, "A command's start-up")."""
    script = "import sys; print(sorted(m for m in ('celery', 'icalendar', 'reportlab') if m in sys.modules))"
    result = subprocess.run(
        [served.PODIUM, "shell", "--no-imports", "-c", script],
        env=served.clean_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
