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
                receivers = client.publish(live.PREFIX + channel, '{"version": 9}')
            finally:
                client.close()
            return receivers, await messages.get(timeout=3)

    receivers, message = _run(scenario())

    assert receivers == 1
    assert message == {"version": 9}


def test_publish_survives_an_unreachable_redis(settings, caplog):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    live.publish(_channel(), {"version": 1})

    assert "Could not publish" in caplog.text
