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
        deadline = time.monotonic() + 60
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
