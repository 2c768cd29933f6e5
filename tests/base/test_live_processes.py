"""Live delivery across processes: `podium serve` processes sharing one database, with and without Redis.

A page connected to process A hears of a release published through process B (its REST API), or by a
`podium release` command, within 2 s: through Redis when it is set, through the poller when it is not.
"""

import http.client
import json
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests import served

PODIUM = served.PODIUM
ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/13"
# The servers are shared by the tests of this module: keep them on one test worker.
pytestmark = pytest.mark.xdist_group("live-processes")

SETUP = """
from podium.accounts.tokens import create_api_token
from tests import factories, program
event = factories.EventFactory(slug="live-across")
user = factories.team_member(event, name="Schedulers", can_schedule=True, can_edit_event=True)
program.placed_talk(event, "Opening", "Hall A", program.at(event, 10), user)
program.release(event, user)
_token, secret = create_api_token(
    user=user, organiser=event.organiser, name="live test", events=[event], scope="write"
)
import os, pathlib
pathlib.Path(os.environ["PODIUM_TEST_SECRET_FILE"]).write_text(secret)
"""


def _env(data_dir: Path, port: int | None = None) -> dict:
    return served.clean_env(
        data_dir,
        port,
        PODIUM_REDIS_URL=(data_dir / "redis-url").read_text(),
        PODIUM_LOGIN_RATE_LIMIT="false",
        PYTHONPATH=str(ROOT),  # the set-up script builds its data with the tests' factories
    )


def _start(data_dir: Path, port: int, *extra: str) -> tuple[subprocess.Popen, Path]:
    log = data_dir / f"serve-{port}.log"
    return served.start(port, _env(data_dir, port), log, *extra), log


def _read_message(response, until: str, within: float = 30) -> list[str]:
    """SSE lines up to the blank line ending the message whose first line is `until` (or a comment).

    Bounded: keepalives never let a missing message hang the test beyond `within` seconds.
    """
    lines = []
    deadline = time.monotonic() + within
    while True:
        if time.monotonic() > deadline:
            raise AssertionError(f"no {until!r} message within {within} s; read so far: {lines}")
        line = response.readline().decode()  # chunked transfer decoded
        if not line:
            raise AssertionError(f"the stream ended; read so far: {lines}")
        lines.append(line.rstrip("\n"))
        if line == "\n" and lines[0] == until:
            return lines
        if line == "\n":
            lines = []


@pytest.fixture(scope="module", params=[REDIS_URL, ""], ids=["redis", "no-redis"])
def servers(tmp_path_factory, request):
    """Process A and process B on one SQLite file (and one Redis, or none); the secret for B's API; the
    version of the latest release (each test that publishes one counts it up). Shared by this module's
    tests, which each publish the next release."""
    tmp_path = served.migrated(tmp_path_factory.mktemp("live"))
    (tmp_path / "redis-url").write_text(request.param)
    first_port, second_port = served.free_port(), served.free_port()
    first, first_log = _start(tmp_path, first_port)  # migrates the database (nothing is left to do)
    # The secret goes through a file: the console mail backend prints from a background thread, so
    # standard output can interleave with anything the script prints.
    secret_file = tmp_path / "secret"
    setup = subprocess.run(
        [PODIUM, "shell", "-c", SETUP],
        env={**_env(tmp_path), "PODIUM_TEST_SECRET_FILE": str(secret_file)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert setup.returncode == 0, setup.stderr
    secret = secret_file.read_text()
    second, second_log = _start(tmp_path, second_port, "--no-migrate")
    yield {
        "a": first_port,
        "b": second_port,
        "secret": secret,
        "logs": (first_log, second_log),
        "data_dir": tmp_path,
        "version": 1,
    }
    for server in (first, second):
        served.stop(server)


def _open_stream(port: int) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
    stream = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    stream.request("GET", "/live-across/live", headers={"Accept": "text/event-stream"})
    response = stream.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/event-stream")
    assert _read_message(response, ": connected") == [": connected", ""]
    return stream, response


def test_release_published_through_one_process_reaches_a_stream_on_another(servers):
    stream, response = _open_stream(servers["a"])

    publish = urllib.request.Request(
        f"http://127.0.0.1:{servers['b']}/api/v1/orga/events/live-across/releases",
        data=json.dumps({"comment": "Published on B", "force": True}).encode(),
        headers={"Authorization": f"Bearer {servers['secret']}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(publish, timeout=30) as answer:  # noqa: S310 (http on loopback)
        assert answer.status == 201
    servers["version"] += 1
    stream.sock.settimeout(2)  # the release is committed: A must pass it on within 2 s
    lines = _read_message(response, f"id: {servers['version']}", within=2)
    stream.close()

    assert lines[1] == "event: release"
    data = json.loads(lines[2].removeprefix("data: "))
    assert (data["version"], data["comment"]) == (servers["version"], "Published on B")


def test_release_from_the_command_line_reaches_an_open_stream(servers):
    """`podium release` in its own process: the open stream (and a second one) hear of it within 2 s."""
    stream, response = _open_stream(servers["a"])
    other_stream, other_response = _open_stream(servers["a"])

    command = subprocess.run(
        [PODIUM, "release", "live-across", "--comment", "From the command line", "--force"],
        env=_env(servers["data_dir"]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert command.returncode == 0, command.stderr
    servers["version"] += 1
    for connection, answer in ((stream, response), (other_stream, other_response)):
        connection.sock.settimeout(2)
        lines = _read_message(answer, f"id: {servers['version']}", within=2)
        connection.close()
        data = json.loads(lines[2].removeprefix("data: "))
        assert (data["version"], data["comment"]) == (servers["version"], "From the command line")
