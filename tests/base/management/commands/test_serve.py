"""`podium serve`: the ASGI server starts and answers."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PODIUM = str(Path(sys.executable).with_name("podium"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_the_asgi_server_and_answers(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DJANGO_"))}
    env.update(PODIUM_DATA_DIR=str(tmp_path), PODIUM_BASE_URL=f"http://127.0.0.1:{port}")
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [PODIUM, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 180  # migrate and collectstatic first: slow on a busy machine
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    health = response.read().decode()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"podium serve did not answer:\n{log.read_text()}")
                time.sleep(0.3)
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/vendor/pico-2.1.1.min.css", timeout=5
        ) as css:
            assert css.status == 200
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as page:
            assert "Content-Security-Policy" in page.headers
    finally:
        server.terminate()
        server.wait(timeout=20)

    assert health == '{"status": "ok"}'


# --- Workers and the server ------------------------------------------------------------------------


@pytest.fixture
def runs(monkeypatch):
    from podium.base.management.commands import serve

    started = []
    monkeypatch.setattr(
        serve,
        "RUNNERS",
        {name: (lambda name=name, **kw: started.append((name, kw))) for name in serve.SERVERS},
    )
    monkeypatch.setattr(serve, "call_command", lambda *args, **kwargs: None)  # no migrate, no collectstatic
    monkeypatch.setattr(serve, "available_cores", lambda: 6)
    return started


def _serve(*args):
    from io import StringIO

    from django.core.management import call_command

    call_command("serve", *args, stdout=StringIO())


def test_workers_default_to_every_core_with_redis(runs, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    _serve("--port", "8123")
    _serve("--workers", "3", "--server", "uvicorn")
    assert runs == [
        ("granian", {"host": "127.0.0.1", "port": 8123, "workers": 6}),
        ("uvicorn", {"host": "127.0.0.1", "port": 8000, "workers": 3}),
    ]


def test_without_redis_one_worker_and_more_refused(runs, settings):
    from django.core.management.base import CommandError

    settings.REDIS_URL = ""
    _serve()
    assert runs == [("granian", {"host": "127.0.0.1", "port": 8000, "workers": 1})]
    with pytest.raises(CommandError, match="PODIUM_REDIS_URL"):
        _serve("--workers", "2")
    with pytest.raises(CommandError, match="1 or more"):
        _serve("--workers", "0")
    with pytest.raises(CommandError):
        _serve("--workers", "two")
    assert len(runs) == 1


def test_the_cores_are_those_this_process_may_use():
    from podium.base.management.commands.serve import available_cores

    assert available_cores() == len(os.sched_getaffinity(0))
