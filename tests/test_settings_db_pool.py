"""Database connections of a real `podium serve` under 200 concurrent requests.

On PostgreSQL (the suite's PODIUM_DATABASE_URL) the server runs on a database of its own with a pool of
PODIUM_DB_POOL_SIZE connections: pg_stat_activity never shows more than that from it, during or after
the burst, and no request fails. On SQLite, the analogue: the server keeps no connection (no open
handle on the database file) once the requests are over.
"""

import concurrent.futures
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests import served

ROOT = Path(__file__).resolve().parents[1]
POOL_SIZE = 4
REQUESTS = 200
SUITE_DATABASE_URL = os.environ.get("PODIUM_DATABASE_URL", "")
ON_POSTGRESQL = urlsplit(SUITE_DATABASE_URL).scheme in ("postgres", "postgresql", "pgsql")

SETUP = """
from tests import factories, program
event = factories.EventFactory(slug="pool-test")
user = factories.team_member(event, name="Schedulers", can_schedule=True)
program.placed_talk(event, "Opening", "Hall A", program.at(event, 10), user)
program.release(event, user)
"""


def _admin_connection():
    """A connection to the PostgreSQL server's maintenance database, outside any transaction."""
    import psycopg

    url = urlsplit(SUITE_DATABASE_URL)
    return psycopg.connect(urlunsplit(url._replace(path="/postgres")), autocommit=True)


@pytest.fixture
def database():
    """The server's own database: a fresh PostgreSQL database, or the SQLite file of its data dir."""
    if not ON_POSTGRESQL:
        yield ""
        return
    from psycopg import sql

    name = f"{urlsplit(SUITE_DATABASE_URL).path.lstrip('/')}_pool_{uuid.uuid4().hex[:8]}"
    with _admin_connection() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with _admin_connection() as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _connections(server: subprocess.Popen, database: str, data_dir: Path) -> int:
    """The server's database connections: sessions on its PostgreSQL database, or SQLite file handles."""
    if database:
        with _admin_connection() as admin:
            [(count,)] = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            ).fetchall()
        return count
    sqlite = (data_dir / "podium.sqlite3").resolve()
    handles = 0
    for fd in Path(f"/proc/{server.pid}/fd").iterdir():
        try:
            handles += Path(os.readlink(fd)) == sqlite
        except OSError:  # closed while we looked
            continue
    return handles


@pytest.fixture
def server(tmp_path, database):
    port = served.free_port()
    env = served.clean_env(
        tmp_path,
        port,
        PODIUM_DB_POOL_SIZE=str(POOL_SIZE),
        PODIUM_LOGIN_RATE_LIMIT="false",
        PYTHONPATH=str(ROOT),  # the set-up script builds its data with the tests' factories
    )
    if database:
        env["PODIUM_DATABASE_URL"] = urlunsplit(urlsplit(SUITE_DATABASE_URL)._replace(path=f"/{database}"))
    else:
        served.migrated(tmp_path)  # `podium serve` migrates first: here, nothing is left to do
    log = tmp_path / "serve.log"
    process = served.start(port, env, log)
    try:
        setup = subprocess.run(
            [served.PODIUM, "shell", "-c", SETUP], env=env, capture_output=True, text=True, timeout=120
        )
        assert setup.returncode == 0, setup.stderr
        yield {"process": process, "port": port, "database": database, "data_dir": tmp_path, "log": log}
    finally:
        served.stop(process)


def _get(url: str) -> int | str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (http on loopback)
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError as exc:
        return f"{type(exc).__name__}: {exc}"


def test_concurrent_requests_hold_at_most_the_pool_size_of_connections(server):
    url = f"http://127.0.0.1:{server['port']}/pool-test/"
    count = lambda: _connections(server["process"], server["database"], server["data_dir"])  # noqa: E731
    assert _get(url) == 200
    seen, done = [], threading.Event()

    def watch():  # a reading every millisecond at most: a busy loop took the server's own CPU
        while not done.wait(0.001):
            seen.append(count())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=REQUESTS) as requests:
            statuses = list(requests.map(_get, [url] * REQUESTS))
    finally:
        done.set()
        watcher.join()
    after = count()

    failed = [status for status in statuses if status != 200]
    assert failed == [], f"{len(failed)} of {REQUESTS} failed, e.g. {failed[:3]}\n{server['log'].read_text()}"
    assert seen  # the watcher looked during the burst
    if server["database"]:
        assert max(seen) <= POOL_SIZE
        assert after <= POOL_SIZE
    else:  # SQLite: each request closes its connection as it ends (just after its answer went out)
        deadline = time.monotonic() + 10
        while after and time.monotonic() < deadline:
            time.sleep(0.1)
            after = count()
        assert after == 0
