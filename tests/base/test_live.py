"""The live bus: in-process fan-out without Redis, one shared Redis connection per process with it."""

import asyncio
import threading
import uuid

import pytest

from podium.base import live

REDIS_URL = "redis://127.0.0.1:6379/14"


def _channel() -> str:
    """A channel no other test (or test run sharing the Redis) uses."""
    return f"test-{uuid.uuid4().hex}"


def _run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, timeout=10))


@pytest.fixture
def redis_bus(settings):
    settings.REDIS_URL = REDIS_URL
    return REDIS_URL


@pytest.fixture
def local_bus(settings):
    settings.REDIS_URL = ""


def test_publish_reaches_every_subscriber_of_the_channel_in_process(local_bus):
    channel, other = _channel(), _channel()

    async def scenario():
        async with (
            live.subscribe(channel) as first,
            live.subscribe(channel) as second,
            live.subscribe(other) as elsewhere,
        ):
            live.publish(channel, {"version": 1})
            got = [await first.get(timeout=2), await second.get(timeout=2)]
            return got, await elsewhere.get(timeout=0.2)

    got, elsewhere = _run(scenario())

    assert got == [{"version": 1}, {"version": 1}]
    assert elsewhere is None


def test_publish_from_another_thread_is_delivered_on_the_subscribers_loop(local_bus):
    channel = _channel()

    async def scenario():
        async with live.subscribe(channel) as messages:
            thread = threading.Thread(target=live.publish, args=(channel, {"version": 7}))
            thread.start()
            message = await anext(messages)
            thread.join()
            return message

    assert _run(scenario()) == {"version": 7}


def test_subscription_receives_nothing_published_before_it_opened_or_after_it_closed(local_bus):
    channel = _channel()

    async def scenario():
        live.publish(channel, {"version": 1})
        subscription = live.subscribe(channel)
        async with subscription:
            live.publish(channel, {"version": 2})
            received = await subscription.get(timeout=2)
            nothing = await subscription.get(timeout=0.1)
        return received, nothing, live._hub.deliver(channel, {"version": 3})

    received, nothing, listeners_after_close = _run(scenario())

    assert received == {"version": 2}
    assert nothing is None
    assert listeners_after_close == 0


def test_get_returns_none_when_nothing_came_within_the_timeout(local_bus):
    async def scenario():
        async with live.subscribe(_channel()) as messages:
            return await messages.get(timeout=0.05)

    assert _run(scenario()) is None


def test_redis_bus_delivers_to_every_subscriber_over_one_connection(redis_bus):
    channel, other = _channel(), _channel()

    async def scenario():
        async with (
            live.subscribe(channel) as first,
            live.subscribe(channel) as second,
            live.subscribe(other) as third,
        ):
            connections = live.listener_count()
            await asyncio.to_thread(live.publish, channel, {"version": 4, "name": "v4"})
            await asyncio.to_thread(live.publish, other, {"version": 5})
            got = [await first.get(timeout=3), await second.get(timeout=3), await third.get(timeout=3)]
        return connections, got, live.listener_count()

    connections, got, connections_after = _run(scenario())

    assert connections == 1
    assert got == [{"version": 4, "name": "v4"}, {"version": 4, "name": "v4"}, {"version": 5}]
    assert connections_after == 0


def test_redis_bus_goes_through_redis_not_around_it(redis_bus):
    """A message published straight into Redis (as another process would) reaches the subscriber."""
    import redis

    channel = _channel()

    async def scenario():
        async with live.subscribe(channel) as messages:
            client = redis.Redis.from_url(REDIS_URL)
            try:
                receivers = client.publish(live.redis_channel(channel), '{"version": 9}')
            finally:
                client.close()
            return receivers, await messages.get(timeout=3)

    receivers, message = _run(scenario())

    assert receivers == 1
    assert message == {"version": 9}


def test_sites_sharing_one_redis_never_hear_each_other(redis_bus, settings):
    """Two sites (own databases, both with an event 1) on one Redis: a release of one is not the other's."""
    import redis

    channel = _channel()
    ours = live.redis_channel(channel)
    database = settings.DATABASES["default"]
    assert live.namespace() == live.database_namespace(database)
    another = live.database_namespace({**database, "NAME": "another-site"})
    assert another != live.namespace()
    theirs = f"{live.PREFIX}{another}:{channel}"

    async def scenario():
        async with live.subscribe(channel) as messages:
            client = redis.Redis.from_url(REDIS_URL)
            try:
                client.publish(theirs, '{"version": 7}')
                client.publish(ours, '{"version": 8}')
            finally:
                client.close()
            return await messages.get(timeout=3)

    assert _run(scenario()) == {"version": 8}


def test_live_namespace_can_be_set(settings):
    settings.PODIUM_LIVE_NAMESPACE = "program-2027"
    live.namespace.cache_clear()
    try:
        assert live.redis_channel("event-3") == "podium:live:program-2027:event-3"
    finally:
        live.namespace.cache_clear()


def test_publish_survives_an_unreachable_redis(settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    live.publish(_channel(), {"version": 1})

    assert "Could not publish" in caplog.text


class Store:
    """What other processes published on polled channels, as the poller's source reads it."""

    def __init__(self):
        self.published: dict[str, list[dict]] = {}
        self.calls: list[dict] = []
        self.lock = threading.Lock()

    def add(self, channel: str, version: int) -> dict:
        message = {"version": version}
        with self.lock:
            self.published.setdefault(channel, []).append(message)
        return message

    def fetch(self, known: dict) -> dict:
        with self.lock:
            self.calls.append(dict(known))
            found = {}
            for channel, after in known.items():
                messages = self.published.get(channel, [])
                latest = messages[-1]["version"] if messages else 0
                found[channel] = (latest, [m for m in messages if after is not None and m["version"] > after])
            return found

    def polls(self) -> int:
        with self.lock:
            return len(self.calls)


@pytest.fixture
def store(local_bus, settings):
    """A poll source for channels named `polled-<random>-…`, polled every 10 ms."""
    settings.PODIUM_LIVE_POLL_INTERVAL = 0.01
    prefix = f"polled-{uuid.uuid4().hex}-"
    source = Store()
    source.prefix = prefix
    live.poll_source(prefix, source.fetch)
    yield source
    live._sources.pop(prefix)


async def _until(condition, what: str, within: float = 5) -> None:
    """Wait (bounded) until `condition()` holds."""
    async with asyncio.timeout(within):
        while not condition():
            await asyncio.sleep(0.005)


def test_poller_passes_on_what_another_process_published_and_nothing_older(store):
    channel = store.prefix + "1"
    store.add(channel, 1)  # published before anyone here subscribed: not passed on

    async def scenario():
        async with live.subscribe(channel) as first, live.subscribe(channel) as second:
            store.add(channel, 2)
            return [await first.get(timeout=5), await second.get(timeout=5)]

    assert _run(scenario()) == [{"version": 2}, {"version": 2}]


def test_poller_and_in_process_publish_pass_each_version_on_once(store):
    channel = store.prefix + "1"

    async def scenario():
        async with live.subscribe(channel) as messages:
            live.publish(channel, store.add(channel, 2))  # published here: the poller finds it too
            store.add(channel, 3)  # published elsewhere: only the poller finds it
            received = [await messages.get(timeout=5), await messages.get(timeout=5)]
            live.publish(channel, {"version": 3})  # a late duplicate: dropped
            polls = store.polls()
            await _until(lambda: store.polls() >= polls + 2, "two more polls")
            return received, messages.queue.qsize()

    received, left = _run(scenario())

    assert received == [{"version": 2}, {"version": 3}]
    assert left == 0


def test_one_poll_serves_every_subscriber_and_the_poller_stops_when_they_leave(store):
    busy, quiet = store.prefix + "1", store.prefix + "2"

    async def scenario():
        async with (
            live.subscribe(busy),
            live.subscribe(busy),
            live.subscribe(busy),
            live.subscribe(quiet),
        ):
            running = live.poller_running()
            polls = store.polls()
            await _until(lambda: store.polls() >= polls + 3, "three more polls")
            with store.lock:
                during = store.calls[polls : polls + 3]
        await _until(lambda: not live.poller_running(), "the poller to stop")
        return running, during

    running, during = _run(scenario())

    assert running is True
    assert during == [{busy: 0, quiet: 0}] * 3  # one query per poll, one entry per channel
    assert live._poller.watching() == set()


def test_no_poller_runs_with_redis(redis_bus, settings):
    settings.PODIUM_LIVE_POLL_INTERVAL = 0.01
    prefix = f"polled-{uuid.uuid4().hex}-"
    calls = []
    live.poll_source(prefix, lambda known: calls.append(known) or {})
    try:

        async def scenario():
            async with live.subscribe(prefix + "1"):
                return live.poller_running()

        assert _run(scenario()) is False
    finally:
        live._sources.pop(prefix)
    assert calls == []
