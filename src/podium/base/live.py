"""The live bus: publish a message on a channel; every open subscriber of that channel receives it.

Without `PODIUM_REDIS_URL` the bus is in-process: each subscriber owns an asyncio queue on its event
loop, and `publish` (called from sync code, e.g. after a transaction commits) hands the message to every
queue with `loop.call_soon_threadsafe`. With Redis, `publish` sends the message through Redis pub/sub,
and each process keeps one Redis connection (per event loop) that listens for every channel its
subscribers want and fans the messages out to their queues the same way: a thousand open pages cost
one Redis connection per process, not a thousand.

Without Redis, messages published by another process (a command, a worker, a second server) would
never reach this one; so while anyone here is subscribed, one poller thread per process asks the
database every `PODIUM_LIVE_POLL_INTERVAL` seconds (1 by default) for what was published since, for
all subscribed channels at once, and hands what it finds to the same queues. A caller registers how a
family of channels is polled (`poll_source`); messages carry an increasing integer `version`, and
the poller and `publish` each pass a version on only once per process. With Redis there is no poller.

Subscribers pay nothing while idle: no query per subscriber, only a queue waiting for a message.
The bus knows nothing of events or releases; callers name channels and build messages.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import threading
import weakref
from collections.abc import Callable

from django.conf import settings
from django.db import connections

from podium.base import metrics

logger = logging.getLogger(__name__)

# Every Redis channel name starts with this and the site's namespace (`namespace()`), so several
# Podium sites may share one Redis without hearing each other's releases.
PREFIX = "podium:live:"


@functools.cache
def namespace() -> str:
    """This site's part of the Redis channel names: PODIUM_LIVE_NAMESPACE, else its database's identity.

    Processes that share a database publish the same program and so share channels; two sites on one
    Redis with their own databases (whose event ids both start at 1) never do.
    """
    configured = getattr(settings, "PODIUM_LIVE_NAMESPACE", "")
    return configured or database_namespace(settings.DATABASES["default"])


def database_namespace(database: dict) -> str:
    """A short name for one database (engine, host, port and name): the default live namespace."""
    identity = "|".join(str(database.get(part, "")) for part in ("ENGINE", "HOST", "PORT", "NAME"))
    return hashlib.sha256(identity.encode()).hexdigest()[:12]


def redis_channel(channel: str) -> str:
    """The Redis channel name of a bus channel."""
    return f"{PREFIX}{namespace()}:{channel}"


def _redis_url() -> str:
    return getattr(settings, "REDIS_URL", "") or ""


class _Hub:
    """This process's subscribers by channel; delivery is safe from any thread."""

    def __init__(self):
        self._lock = threading.Lock()
        self._queues: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Queue]]] = {}

    def add(self, channel: str, loop, queue) -> bool:
        """Register a queue; True when it is the channel's first subscriber in this process."""
        with self._lock:
            subscribers = self._queues.setdefault(channel, set())
            subscribers.add((loop, queue))
            return len(subscribers) == 1

    def discard(self, channel: str, loop, queue) -> bool:
        """Forget a queue; True when the channel has no subscriber left in this process."""
        with self._lock:
            subscribers = self._queues.get(channel, set())
            subscribers.discard((loop, queue))
            if subscribers:
                return False
            self._queues.pop(channel, None)
            return True

    def channels(self, loop) -> set[str]:
        with self._lock:
            return {name for name, subs in self._queues.items() if any(s[0] is loop for s in subs)}

    def deliver(self, channel: str, message: dict, loop=None) -> int:
        """Hand `message` to every subscriber of `channel` (on `loop` only, if given); how many there were."""
        with self._lock:
            subscribers = [s for s in self._queues.get(channel, ()) if loop is None or s[0] is loop]
        for loop, queue in subscribers:
            with contextlib.suppress(RuntimeError):  # the loop closed while we looked
                loop.call_soon_threadsafe(queue.put_nowait, message)
        return len(subscribers)


_hub = _Hub()
_publisher_lock = threading.Lock()
_publishers: dict[str, object] = {}


def _sync_redis(url: str):
    """One thread-safe Redis client (its own connection pool) per URL for publishing."""
    import redis

    with _publisher_lock:
        client = _publishers.get(url)
        if client is None:
            client = _publishers[url] = redis.Redis.from_url(url, socket_timeout=5)
        return client


def publish(channel: str, message: dict) -> None:
    """Send `message` (JSON-serialisable) to every subscriber of `channel`, in any process.

    Best effort: the caller's change is already saved, so a Redis outage is logged, not raised;
    clients that reconnect catch up from the database.
    """
    url = _redis_url()
    if not url:
        _poller.deliver(channel, message)
        return
    try:
        _sync_redis(url).publish(redis_channel(channel), json.dumps(message))
    except Exception:
        logger.exception("Could not publish the live message on %s", channel)


# A poll source answers, for channels of one family and the last version this process passed on (None:
# not known yet), the latest version stored and the messages above the known one, oldest first:
# fetch({"event-3": 2, "event-9": None}) -> {"event-3": (3, [message of v3]), "event-9": (5, [])}
PollFetch = Callable[[dict[str, int | None]], dict[str, tuple[int, list[dict]]]]
_sources: dict[str, PollFetch] = {}


def poll_source(prefix: str, fetch: PollFetch) -> None:
    """Have the poller (no Redis) watch every subscribed channel whose name starts with `prefix`.

    `fetch` runs in the poller's thread, once per interval for all those channels together, and may
    use the database: the poller closes its connections after every poll.
    """
    _sources[prefix] = fetch


def _source(channel: str) -> PollFetch | None:
    return next((fetch for prefix, fetch in _sources.items() if channel.startswith(prefix)), None)


def _poll_interval() -> float:
    return float(getattr(settings, "PODIUM_LIVE_POLL_INTERVAL", 1))


class _Poller:
    """One thread per process, running while a polled channel has a subscriber (without Redis)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._known: dict[str, int | None] = {}  # watched channel -> last version passed on
        self._waiting: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Future]]] = {}
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.polls = 0  # how many polls ran (for tests)

    def watch(self, channel: str, loop) -> asyncio.Future | None:
        """Start watching `channel`; a future done once its current version is known (None: already)."""
        if _source(channel) is None:
            return None
        with self._lock:
            if channel in self._known and self._known[channel] is not None:
                return None
            self._known.setdefault(channel, None)
            future = loop.create_future()
            self._waiting.setdefault(channel, []).append((loop, future))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="podium-live-poller", daemon=True)
                self._thread.start()
        self._wake.set()  # learn the version now, not after the interval
        return future

    def unwatch(self, channel: str) -> None:
        """Stop watching `channel`, unless a subscriber came back meanwhile (from another loop)."""
        with self._lock:
            if subscriber_count(channel):
                return
            self._known.pop(channel, None)
            for loop, future in self._waiting.pop(channel, []):
                self._resolve(loop, future)

    def watching(self) -> set[str]:
        with self._lock:
            return set(self._known)

    def deliver(self, channel: str, message: dict) -> int:
        """Pass a message on to this process's subscribers, unless its version already went out."""
        with self._lock:
            version = message.get("version")
            known = self._known.get(channel)
            if channel in self._known and isinstance(version, int):
                if known is not None and version <= known:
                    return 0
                self._known[channel] = version
            return _hub.deliver(channel, message)

    @staticmethod
    def _resolve(loop, future) -> None:
        def done():
            if not future.done():
                future.set_result(None)

        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
            loop.call_soon_threadsafe(done)

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._known:
                    self._thread = None
                    return
                asked = dict(self._known)
            self._wake.clear()
            found = self._fetch(asked)
            with self._lock:
                self.polls += 1
                for channel, (latest, messages) in found.items():
                    if channel not in self._known:
                        continue  # nobody listens any more
                    if asked[channel] is None:  # the first poll of this channel: nothing to pass on
                        self._known[channel] = max(self._known[channel] or 0, latest)
                        for loop, future in self._waiting.pop(channel, []):
                            self._resolve(loop, future)
                        continue
                    for message in messages:
                        version = message["version"]
                        if self._known[channel] is None or version > self._known[channel]:
                            self._known[channel] = version
                            _hub.deliver(channel, message)
            self._wake.wait(_poll_interval())

    @staticmethod
    def _fetch(asked: dict[str, int | None]) -> dict[str, tuple[int, list[dict]]]:
        by_source: dict[PollFetch, dict[str, int | None]] = {}
        for channel, known in asked.items():
            if (fetch := _source(channel)) is not None:
                by_source.setdefault(fetch, {})[channel] = known
        found = {}
        try:
            for fetch, channels in by_source.items():
                found |= fetch(channels)
        except Exception:  # e.g. the database is away: try again at the next interval
            logger.warning("The live poller could not read what was published", exc_info=True)
        finally:
            connections.close_all()  # the poller's own connections: none held between polls
        return found


_poller = _Poller()


def poller_running() -> bool:
    """Whether this process's poller thread runs (for tests)."""
    with _poller._lock:
        return _poller._thread is not None


class _RedisListener:
    """One Redis pub/sub connection for one event loop, shared by all its subscribers."""

    def __init__(self, url: str, loop):
        import redis.asyncio as aioredis

        self.client = aioredis.Redis.from_url(url)
        self.pubsub = self.client.pubsub(ignore_subscribe_messages=True)
        self.loop = loop
        self.lock = asyncio.Lock()
        self.task: asyncio.Task | None = None

    async def subscribe(self, channel: str) -> None:
        async with self.lock:
            await self.pubsub.subscribe(redis_channel(channel))
            if self.task is None or self.task.done():
                self.task = self.loop.create_task(self._listen())

    async def unsubscribe(self, channel: str) -> None:
        async with self.lock:
            with contextlib.suppress(Exception):
                await self.pubsub.unsubscribe(redis_channel(channel))

    async def shutdown(self) -> None:
        """Close the connection once the loop's last subscriber has left (a new one opens it again)."""
        async with self.lock:
            if self.task is not None:
                self.task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await self.task
            with contextlib.suppress(Exception):
                await self.pubsub.aclose()
            with contextlib.suppress(Exception):
                await self.client.aclose()

    async def _listen(self) -> None:
        """Read Redis messages and fan them out; after a lost connection, subscribe again."""
        while True:
            try:
                async for item in self.pubsub.listen():
                    if item.get("type") != "message":
                        continue
                    channel = item["channel"].decode()[len(redis_channel("")) :]
                    try:
                        message = json.loads(item["data"])
                    except ValueError:
                        logger.warning("Ignored a live message that is not JSON on %s", channel)
                        continue
                    _hub.deliver(channel, message, loop=self.loop)  # other loops have their own listener
                if not self.pubsub.subscribed:
                    return  # no channel left; the next subscribe starts a new listener task
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.warning("Live bus lost Redis; reconnecting", exc_info=True)
                await asyncio.sleep(1)
                with contextlib.suppress(Exception):
                    channels = [redis_channel(name) for name in _hub.channels(self.loop)]
                    if channels:
                        await self.pubsub.subscribe(*channels)


_listeners: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _listener(loop) -> _RedisListener:
    url = _redis_url()
    per_loop = _listeners.setdefault(loop, {})
    if url not in per_loop:
        per_loop[url] = _RedisListener(url, loop)
    return per_loop[url]


def _forget_listener(loop, listener: _RedisListener) -> None:
    per_loop = _listeners.get(loop, {})
    for url, known in list(per_loop.items()):
        if known is listener:
            del per_loop[url]
    if not per_loop:
        _listeners.pop(loop, None)


def subscriber_count(channel: str) -> int:
    """How many open subscriptions this process has on `channel` (for health pages and tests)."""
    with _hub._lock:
        return len(_hub._queues.get(channel, ()))


def listener_count() -> int:
    """How many Redis pub/sub connections this process holds (one per event loop and Redis URL)."""
    return sum(len(per_loop) for per_loop in _listeners.values())


class Subscription:
    """An async iterator over a channel's messages, registered from `open()` until `close()`.

    Use it as `async with subscribe(channel) as messages: async for message in messages: ...`;
    `get(timeout)` waits at most `timeout` seconds and returns None when nothing came (for keepalives).
    """

    def __init__(self, channel: str):
        self.channel = channel
        self.queue: asyncio.Queue | None = None
        self.loop = None
        self.redis = None

    async def open(self) -> Subscription:
        if self.queue is not None:
            return self
        self.loop = asyncio.get_running_loop()
        self.queue = asyncio.Queue()
        _hub.add(self.channel, self.loop, self.queue)
        metrics.live_opened()
        if _redis_url():
            self.redis = _listener(self.loop)
            await self.redis.subscribe(self.channel)  # idempotent: a second subscriber re-sends it
        elif (known := _poller.watch(self.channel, self.loop)) is not None:
            # Until the poller knows the channel's current version it could not tell new messages from
            # old ones; wait for its first poll (bounded: a database outage must not hold the page).
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5):
                    await known
        return self

    async def close(self) -> None:
        if self.queue is None:
            return
        last = _hub.discard(self.channel, self.loop, self.queue)
        self.queue = None
        metrics.live_closed()
        if last:
            _poller.unwatch(self.channel)
        if self.redis is None or not last:
            return
        if _hub.channels(self.loop):
            await self.redis.unsubscribe(self.channel)
        else:
            _forget_listener(self.loop, self.redis)
            await self.redis.shutdown()

    async def get(self, timeout: float | None = None) -> dict | None:
        await self.open()
        # asyncio.timeout, not wait_for: wait_for may swallow a cancellation (the client left) that
        # arrives together with a message, and the stream would then never end.
        try:
            async with asyncio.timeout(timeout):
                return await self.queue.get()
        except TimeoutError:
            return None

    async def __aenter__(self) -> Subscription:
        return await self.open()

    async def __aexit__(self, *exc) -> None:
        await self.close()

    def __aiter__(self):
        return self

    async def __anext__(self) -> dict:
        await self.open()
        return await self.queue.get()


def subscribe(channel: str) -> Subscription:
    """The messages published on `channel` from now on (nothing is registered until opened)."""
    return Subscription(channel)
