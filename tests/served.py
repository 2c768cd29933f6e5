"""A real `podium serve` for the tests that need one: a free port, a clean environment, started and
waited for (its /healthz answers), stopped for good afterwards; and a migrated SQLite database for a
data dir of its own, as `podium migrate` leaves it."""

import atexit
import fcntl
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

PODIUM = str(Path(sys.executable).with_name("podium"))
SQLITE_FILE = "podium.sqlite3"  # settings.DATABASES on the embedded default, in the data dir
# A directory this test run's processes share (tests/conftest.py sets it: with xdist, the workers'
# common base temporary directory); where the migrated template is made, once per run.
RUN_DIR: list[Path] = []
_migrated: list[Path] = []  # this process's template, once it is found or made


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def clean_env(data_dir: Path, port: int | None = None, *, drop: tuple[str, ...] = (), **extra) -> dict:
    """This process's environment without Podium's and Django's settings (and any prefix in `drop`),
    pointed at `data_dir` and, with `port`, at that base URL; `extra` is added as it is."""
    prefixes = ("PODIUM_", "DJANGO_", *drop)
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["PODIUM_DATA_DIR"] = str(data_dir)
    env["PODIUM_BASE_URL"] = f"http://127.0.0.1:{port or 8000}"
    env.update(extra)
    return env


def start(port: int, env: dict, log: Path, *args: str, within: float = 90) -> subprocess.Popen:
    """`podium serve --port PORT ARGS` with output to `log`, once its /healthz answers (else the test
    fails with the log, and the process is killed). A data dir without static files gets those of an
    earlier `podium collectstatic` (see `collected_static`): the server's own collects only what changed
    since (`podium serve` from an empty data dir: tests/base/management/commands/test_serve.py). An empty
    static dir counts as none: the settings make one whenever a command (`podium shell`) runs first."""
    static_root = Path(env["PODIUM_DATA_DIR"]) / "static"
    if not static_root.exists() or not any(static_root.iterdir()):
        collected_static(static_root)
    with log.open("w") as out:
        process = subprocess.Popen(
            [PODIUM, "serve", "--port", str(port), *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + within
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                stop(process)
                pytest.fail(f"podium serve on {port} did not answer:\n{log.read_text()}")
            time.sleep(0.05)


def stop(process: subprocess.Popen) -> None:
    """Terminate the server and reap it (killed if it does not end within 20 s)."""
    if process.poll() is None:
        process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


def _template() -> Path:
    """A data dir as `podium migrate` and `podium collectstatic` leave it, made once per test run: the
    first process to need it makes it while the others wait for it (a file lock)."""
    if _migrated:
        return _migrated[0]
    if RUN_DIR:
        root = RUN_DIR[0]
    else:  # outside a test session: this process's own
        root = Path(tempfile.mkdtemp(prefix="podium-migrated-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
    template, done = root / "podium-migrated", root / "podium-migrated.done"
    with (root / "podium-migrated.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(template, ignore_errors=True)
            template.mkdir()
            env = clean_env(template)
            subprocess.run([PODIUM, "migrate", "-v", "0"], env=env, check=True, timeout=300)
            subprocess.run(
                [PODIUM, "collectstatic", "--no-input", "-v", "0"], env=env, check=True, timeout=300
            )
            done.touch()
    _migrated.append(template)
    return template


def collected_static(static_root: Path) -> Path:
    """`static_root` as `podium collectstatic` leaves it: the collected and compressed files, copied with
    their times, so that collecting again copies and compresses only what changed since."""
    shutil.copytree(_template() / "static", static_root, dirs_exist_ok=True)
    return static_root


def migrated(data_dir: Path) -> Path:
    """`data_dir` with an empty, migrated SQLite database, as `podium migrate` (run once per test run, in
    a data dir of its own) leaves it; nothing else of that data dir (its secret key) is copied."""
    template = _template()
    data_dir.mkdir(parents=True, exist_ok=True)
    for path in template.glob(SQLITE_FILE + "*"):  # with a write-ahead log, should one be left
        shutil.copyfile(path, data_dir / path.name)
    return data_dir
