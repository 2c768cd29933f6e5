"""A real HTTP receiver on 127.0.0.1 for the delivery tests, and an endpoint pointing at it."""

import http.server
import queue
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from podium.webhooks import services
from tests.loopback import serving


@dataclass
class Receiver:
    """Answers POSTs with the queued statuses (200 once they run out) and keeps what it was sent."""

    port: int = 0
    statuses: queue.Queue = field(default_factory=queue.Queue)
    requests: list = field(default_factory=list)
    location: str = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook?x=1"

    def answer(self, *statuses: int) -> None:
        for status in statuses:
            self.statuses.put(status)


def _handler(receiver: Receiver):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
            try:
                status = receiver.statuses.get_nowait()
            except queue.Empty:
                status = 200
            self.send_response(status)
            if 300 <= status < 400:
                self.send_header("Location", receiver.location)
            reply = f"answered {status}".encode()
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):  # keep the test output quiet
            pass

    return Handler


@pytest.fixture
def receiver():
    state = Receiver()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = server.server_address[1]
    with serving(server):
        yield state


@pytest.fixture
def allow_private(settings):
    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = True


@pytest.fixture
def endpoint(event, receiver, allow_private):
    return services.register_endpoint(
        event=event,
        by=None,
        url=receiver.url,
        kinds=["release.published", "proposal.state_changed", "slot.changed", "speaker.confirmed"],
    )


DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


@pytest.fixture(scope="session")
def verify():
    """The `verify` function exactly as docs/webhooks.md shows it to receivers."""
    snippet = re.search(r"```python\n(.*?)```", DOCS.read_text(), re.S).group(1)
    namespace: dict = {}
    exec(compile(snippet, str(DOCS), "exec"), namespace)  # noqa: S102 (our own docs, under test)
    return namespace["verify"]
