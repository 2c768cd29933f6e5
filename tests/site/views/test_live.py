"""The release stream (SSE), driven through the real ASGI application."""

import asyncio
import json
from urllib.parse import urlsplit

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core import signals
from django.core.asgi import get_asgi_application
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from podium.base import live as bus
from podium.schedule.live import channel, release_message
from podium.site.views.live import CONNECTED, KEEPALIVE
from tests.program import release, rename


class StreamClient:
    """One ASGI request whose response body is read chunk by chunk, then a disconnect."""

    def __init__(self, path: str, headers: dict | None = None):
        parts = urlsplit(path)
        self.scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": parts.path,
            "raw_path": parts.path.encode(),
            "query_string": parts.query.encode(),
            "root_path": "",
            "headers": [(b"host", b"testserver")]
            + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
            "client": ("127.0.0.1", 50000),
            "server": ("testserver", 80),
        }
        self.sent: asyncio.Queue = asyncio.Queue()
        self.gone = asyncio.Event()
        self.asked = False

    async def _receive(self):
        if not self.asked:
            self.asked = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def _send(self, message):
        await self.sent.put(message)

    async def open(self) -> "StreamClient":
        self.task = asyncio.create_task(get_asgi_application()(self.scope, self._receive, self._send))
        start = await asyncio.wait_for(self.sent.get(), 10)
        self.status = start["status"]
        self.headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
        return self

    async def chunk(self, timeout: float = 5) -> str:
        message = await asyncio.wait_for(self.sent.get(), timeout)
        return message.get("body", b"").decode()

    async def until(self, text: str, timeout: float = 5) -> list[str]:
        """The chunks up to and including the one that is `text`."""
        chunks = []
        while not chunks or chunks[-1] != text:
            chunks.append(await self.chunk(timeout))
        return chunks

    async def close(self) -> None:
        """Disconnect; the server must end the response promptly (no stream left running)."""
        self.gone.set()
        done, _ = await asyncio.wait({self.task}, timeout=5)
        assert done, "the stream kept running after the client left"
        self.task.result()


def parse(chunk: str) -> dict:
    """An SSE message's fields; its data decoded as JSON."""
    fields = dict(line.split(": ", 1) for line in chunk.strip().split("\n"))
    fields["data"] = json.loads(fields["data"])
    return fields


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """As Django's test client does: requests must not close the connection holding the test's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def in_process_bus(settings):
    settings.REDIS_URL = ""


@pytest.fixture
def publish(django_capture_on_commit_callbacks, program):
    """Rename Alpha and publish a release, committing (so the live message goes out) like a request."""
    titles = iter(range(2, 100))

    def publish_release():
        with django_capture_on_commit_callbacks(execute=True):
            rename(program["alpha"], f"Alpha talk, take {next(titles)}", program["scheduler"])
            return release(program["event"], program["scheduler"], comment="Renamed")

    return sync_to_async(publish_release)


def test_live_streams_each_release_as_one_message(program, publish, in_process_bus):
    event = program["event"]

    async def scenario():
        client = await StreamClient(f"/{event.slug}/live").open()
        connected = await client.chunk()
        published = await publish()
        message = await client.chunk()
        await client.close()
        return client, connected, message, published

    client, connected, message, published = async_to_sync(scenario)()

    assert client.status == 200
    assert client.headers["content-type"].startswith("text/event-stream")
    assert connected == CONNECTED
    assert message.startswith("id: 2\nevent: release\ndata: ")
    assert message.endswith("\n\n")
    fields = parse(message)
    assert fields["data"]["version"] == 2
    assert fields["data"]["name"] == published.name
    assert fields["data"]["comment"] == "Renamed"
    assert fields["data"]["counts"] == {"new": 0, "moved": 0, "changed": 1, "cancelled": 0}
    assert [c["code"] for c in fields["data"]["changes"]] == [program["alpha"].code]
    assert set(fields["data"]) == {"version", "name", "comment", "published_at", "counts", "changes"}


def test_live_replays_missed_releases_after_last_event_id_once(program, publish, in_process_bus):
    """Connect, miss two releases, reconnect with Last-Event-ID: 1: get 2 and 3, then live ones."""
    event = program["event"]

    async def scenario():
        first = await StreamClient(f"/{event.slug}/live").open()
        await first.chunk()
        await first.close()
        await publish()
        third = await publish()
        again = await StreamClient(f"/{event.slug}/live", {"Last-Event-ID": "1"}).open()
        replayed = await again.until(CONNECTED)
        bus.publish(channel(event.pk), release_message(third))  # a late duplicate of v3: not resent
        await publish()
        live_one = await again.chunk()
        await again.close()
        return replayed, live_one

    replayed, live_one = async_to_sync(scenario)()

    assert [parse(c)["id"] for c in replayed[:-1]] == ["2", "3"]
    assert parse(live_one)["id"] == "4"


def test_live_accepts_the_last_version_as_a_query_parameter(program, publish, in_process_bus):
    event = program["event"]

    async def scenario():
        await publish()
        client = await StreamClient(f"/{event.slug}/live?last=0").open()
        chunks = await client.until(CONNECTED)
        await client.close()
        return chunks

    chunks = async_to_sync(scenario)()

    assert [parse(c)["data"]["version"] for c in chunks[:-1]] == [1, 2]


def test_live_sends_keepalive_comments_while_idle(program, settings, in_process_bus):
    settings.PODIUM_LIVE_KEEPALIVE = 0.05

    async def scenario():
        client = await StreamClient(f"/{program['event'].slug}/live").open()
        chunks = [await client.chunk(), await client.chunk(), await client.chunk()]
        await client.close()
        return chunks

    assert async_to_sync(scenario)() == [CONNECTED, KEEPALIVE, KEEPALIVE]


def test_live_idle_and_live_messages_cost_no_database_queries(program, settings, in_process_bus):
    settings.PODIUM_LIVE_KEEPALIVE = 0.05
    event = program["event"]
    message = release_message(program["release"]) | {"version": 5}

    async def scenario():
        client = await StreamClient(f"/{event.slug}/live").open()
        await client.chunk()
        queries = CaptureQueriesContext(connection)
        await sync_to_async(queries.__enter__)()  # on the test's (main) thread, as the view's DB work
        await client.chunk()  # keepalive
        bus.publish(channel(event.pk), message)
        received = await client.until(bus_frame(message))
        await client.chunk()  # keepalive
        await sync_to_async(queries.__exit__)(None, None, None)
        await client.close()
        return queries, received

    def bus_frame(message):
        from podium.site.views.live import frame

        return frame(message)

    queries, received = async_to_sync(scenario)()

    assert received[-1].startswith("id: 5\n")
    assert len(queries) == 0


def test_live_closes_the_subscription_when_the_client_leaves(program, in_process_bus):
    event = program["event"]

    async def scenario():
        client = await StreamClient(f"/{event.slug}/live").open()
        await client.chunk()
        during = bus._hub.deliver(channel(event.pk), {"version": 0})
        await client.close()
        return during, bus._hub.deliver(channel(event.pk), {"version": 0})

    assert async_to_sync(scenario)() == (1, 0)


@pytest.mark.django_db(transaction=True)
def test_live_hears_of_a_release_published_elsewhere_through_one_shared_poll(
    program, settings, in_process_bus, monkeypatch
):
    """Without Redis, a release whose message never reaches this process (it was published by another
    one) still reaches every open stream, through one poll for all of them."""
    settings.PODIUM_LIVE_POLL_INTERVAL = 0.01
    event = program["event"]
    polls = []
    real_fetch = bus._sources["event-"]
    monkeypatch.setitem(bus._sources, "event-", lambda known: polls.append(dict(known)) or real_fetch(known))

    async def scenario():
        clients = [await StreamClient(f"/{event.slug}/live").open() for _ in range(3)]
        for client in clients:
            assert await client.chunk() == CONNECTED
        monkeypatch.setattr(bus, "publish", lambda channel, message: None)  # as in another process
        await sync_to_async(rename)(program["alpha"], "Alpha, elsewhere", program["scheduler"])
        await sync_to_async(release)(event, program["scheduler"], comment="Elsewhere")
        messages = [await client.chunk(timeout=5) for client in clients]
        for client in clients:
            await client.close()
        return messages

    messages = async_to_sync(scenario)()

    assert [parse(m)["data"]["comment"] for m in messages] == ["Elsewhere"] * 3
    assert {tuple(poll) for poll in polls} == {(channel(event.pk),)}  # one channel, not one per stream


def test_live_refuses_a_last_event_id_that_is_not_a_number(program, client):
    response = client.get(f"/{program['event'].slug}/live", headers={"Last-Event-ID": "abc"})

    assert response.status_code == 400
    assert "release number" in response.content.decode()


def test_live_is_404_for_unknown_and_non_public_events(program, client):
    event = program["event"]
    event.is_public = False
    event.save()

    assert client.get(f"/{event.slug}/live").status_code == 404
    assert client.get("/no-such-event/live").status_code == 404
