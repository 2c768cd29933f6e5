"""Settings come from the environment; each case runs `podium` in a fresh process with its own env."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PODIUM = str(Path(sys.executable).with_name("podium"))


def _podium(*args, tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DJANGO_"))}
    clean.update({"PODIUM_DATA_DIR": str(tmp_path), **env})
    return subprocess.run(
        [PODIUM, *args], env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def test_check_deploy_is_clean_for_an_https_deployment(tmp_path):
    result = _podium(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        PODIUM_BASE_URL="https://program.example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_on_is_reported_by_check_deploy(tmp_path):
    """The control: check --deploy does complain when DEBUG is on, so the clean result above means something."""
    result = _podium(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        PODIUM_BASE_URL="https://program.example.org",
        PODIUM_DEBUG="1",
    )

    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr


def test_generated_secret_key_is_kept_in_the_data_dir(tmp_path):
    script = "from django.conf import settings; print(settings.SECRET_KEY)"
    first = _podium("shell", "--no-imports", "-c", script, tmp_path=tmp_path).stdout.strip()
    second = _podium("shell", "--no-imports", "-c", script, tmp_path=tmp_path).stdout.strip()

    assert len(first) >= 50
    assert first == second
    assert (tmp_path / ".secret_key").read_text().strip() == first


def test_a_guessable_secret_key_stops_an_https_site_with_what_to_do(tmp_path):
    """deploy/podium.env's placeholder left as it is: every command refuses, in one line, no traceback."""
    template = (Path(__file__).resolve().parents[1] / "deploy" / "podium.env").read_text()
    placeholder = re.search(r"^PODIUM_SECRET_KEY=(.*)$", template, re.MULTILINE).group(1)
    for key in (placeholder, "x" * 64):
        result = _podium(
            "migrate",
            tmp_path=tmp_path,
            PODIUM_BASE_URL="https://program.example.org",
            PODIUM_SECRET_KEY=key,
        )

        assert result.returncode == 1, result.stdout + result.stderr
        assert result.stderr.startswith("podium: PODIUM_SECRET_KEY is too weak for a site on https")
        assert "secrets.token_urlsafe(50)" in result.stderr
        assert "Traceback" not in result.stderr
        assert not (tmp_path / "podium.sqlite3").exists()  # nothing was migrated


def test_a_long_random_secret_key_or_a_local_site_starts(tmp_path):
    script = "from django.conf import settings; print(len(settings.SECRET_KEY))"
    strong = _podium(
        "shell",
        "--no-imports",
        "-c",
        script,
        tmp_path=tmp_path,
        PODIUM_BASE_URL="https://program.example.org",
        PODIUM_SECRET_KEY=secrets.token_urlsafe(50),
    )
    local = _podium(
        "shell", "--no-imports", "-c", script, tmp_path=tmp_path, PODIUM_SECRET_KEY="change-me"
    )  # http://127.0.0.1:8000, the default: a machine of one's own

    assert (strong.returncode, strong.stdout.strip()) == (0, "67"), strong.stderr
    assert (local.returncode, local.stdout.strip()) == (0, "9"), local.stderr


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"PODIUM_SMTP_PORT": "smtp"}, "PODIUM_SMTP_PORT must be a port number"),
        (
            {"PODIUM_SMTP_SSL": "true", "PODIUM_SMTP_STARTTLS": "true"},
            "PODIUM_SMTP_SSL and PODIUM_SMTP_STARTTLS",
        ),
        ({"PODIUM_SMTP_PASSWORD": "pässwort"}, "must be ASCII"),
        ({"PODIUM_SMTP_USER": "zoë@example.org"}, "must be ASCII"),
        ({"PODIUM_MAIL_BACKEND": "smpt"}, "PODIUM_MAIL_BACKEND must be one of smtp, console, file"),
    ],
)
def test_mail_settings_every_mail_would_fail_on_stop_start_up(tmp_path, env, said):
    result = _podium("check", tmp_path=tmp_path, PODIUM_SMTP_HOST="smtp.example.org", **env)

    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith("podium: ")
    assert said in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("PODIUM_RELEASES_KEPT", "three", "PODIUM_RELEASES_KEPT must be a whole number, not 'three'."),
        ("PODIUM_LIVE_KEEPALIVE", "15s", "PODIUM_LIVE_KEEPALIVE must be a number, not '15s'."),
        ("PODIUM_TRUSTED_PROXIES", "127.0.0.1,nginx", "PODIUM_TRUSTED_PROXIES: 'nginx' is not an IP address"),
    ],
)
def test_a_setting_that_is_not_what_it_should_be_is_named_in_one_line(tmp_path, name, value, said):
    result = _podium("check", tmp_path=tmp_path, **{name: value})

    assert result.returncode == 1, result.stdout
    assert result.stderr.startswith(f"podium: {said}")
    assert result.stderr.count("\n") == 1  # one line, no traceback


def test_an_empty_number_setting_is_its_default(tmp_path):
    script = "from django.conf import settings as s; print(s.PODIUM_RELEASES_KEPT, s.PODIUM_LIVE_KEEPALIVE)"
    result = _podium(
        "shell",
        "--no-imports",
        "-c",
        script,
        tmp_path=tmp_path,
        PODIUM_RELEASES_KEPT="",
        PODIUM_LIVE_KEEPALIVE=" ",
    )

    assert result.stdout.split() == ["3", "15.0"], result.stderr


def test_smtp_over_ssl_needs_no_more_than_ssl_on(tmp_path):
    script = "from django.conf import settings as s; print(s.EMAIL_PORT, s.EMAIL_USE_SSL, s.EMAIL_USE_TLS)"
    ssl = _podium("shell", "--no-imports", "-c", script, tmp_path=tmp_path, PODIUM_SMTP_SSL="true")
    default = _podium("shell", "--no-imports", "-c", script, tmp_path=tmp_path)

    assert ssl.stdout.split() == ["465", "True", "False"], ssl.stderr
    assert default.stdout.split() == ["587", "False", "True"], default.stderr


def test_database_url_selects_postgresql(tmp_path):
    script = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = _podium(
        "shell",
        "--no-imports",
        "-c",
        script,
        tmp_path=tmp_path,
        PODIUM_DATABASE_URL="postgres://postgres@127.0.0.1:5432/podium",
    )

    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_redis_url_makes_redis_the_cache(tmp_path):
    """Needs the Redis server at 127.0.0.1:6379 (.ci/run starts it when it is down)."""
    script = (
        "from django.core.cache import caches; import uuid; cache = caches['default']; "
        "key = 'podium-test-' + uuid.uuid4().hex; "
        "cache.set(key, 'ok', 30); print(type(cache).__name__, cache.get(key)); cache.delete(key)"
    )
    result = _podium(
        "shell", "--no-imports", "-c", script, tmp_path=tmp_path, PODIUM_REDIS_URL="redis://127.0.0.1:6379/15"
    )

    assert result.stdout.strip() == "RedisCache ok", result.stderr


def test_json_log_format_writes_one_object_per_line(tmp_path):
    import json

    script = "import logging; logging.getLogger('podium.x').warning('two\\nlines')"
    result = _podium("shell", "--no-imports", "-c", script, tmp_path=tmp_path, PODIUM_LOG_FORMAT="json")
    plain = _podium("shell", "--no-imports", "-c", script, tmp_path=tmp_path)

    (line,) = result.stderr.splitlines()
    assert json.loads(line)["message"] == "two\nlines"
    assert json.loads(line)["logger"] == "podium.x"
    assert plain.stderr == "two\nlines\n"  # the default stays plain text


def test_an_unknown_log_format_stops_start_up(tmp_path):
    result = _podium("check", tmp_path=tmp_path, PODIUM_LOG_FORMAT="xml")

    assert result.returncode != 0
    assert "PODIUM_LOG_FORMAT: 'xml' is neither text nor json." in result.stderr


def test_a_metrics_allow_list_typo_stops_start_up(tmp_path):
    result = _podium("check", tmp_path=tmp_path, PODIUM_METRICS_ALLOW="10.0.0.0/8, 10.0.0.300")

    assert result.returncode != 0
    assert "PODIUM_METRICS_ALLOW: '10.0.0.300' is not an IP address or network." in result.stderr


def test_metrics_files_go_to_the_metrics_dir(tmp_path):
    script = "import os; print(os.environ['PROMETHEUS_MULTIPROC_DIR'])"
    default = _podium("shell", "--no-imports", "-c", script, tmp_path=tmp_path)
    chosen = _podium(
        "shell", "--no-imports", "-c", script, tmp_path=tmp_path, PODIUM_METRICS_DIR=str(tmp_path / "m")
    )

    assert default.stdout.strip() == str(tmp_path / "metrics")
    assert chosen.stdout.strip() == str(tmp_path / "m")
