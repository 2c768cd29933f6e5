"""A small web server on a loopback port, answering in a thread, for the tests that need one to talk to
(a webhook receiver, a telemetry collector, another origin)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import BaseServer

#: How often the serving thread looks whether it is asked to stop. `serve_forever`'s own half second
#: was waited for at the end of every test that used a server (some 25 s of a run).
POLL_SECONDS = 0.01


@contextmanager
def serving(server: BaseServer) -> Iterator[BaseServer]:
    """`server` answering in a thread until the block ends; then stopped, closed and its thread joined."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": POLL_SECONDS}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
