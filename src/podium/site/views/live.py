"""The live program stream: Server-Sent Events, one message per release of a public event.

Served by the ASGI server as an async streaming response, so an open page holds no thread and no
database connection while it waits. On connect with `Last-Event-ID: N` (or `?last=N` for clients that
cannot set headers) it first replays every release after N from the database, then follows the live bus.
The subscription is opened before the replay reads, so a release published in between is not lost;
versions already sent are not sent twice.
"""

import json

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.http import HttpResponseBadRequest, StreamingHttpResponse

from podium.base import live as bus
from podium.base.permissions import public
from podium.schedule.live import channel, releases_after
from podium.site.views.common import public_event


def frame(message: dict) -> str:
    """One SSE message for one release: its version is the id a reconnecting client resumes from."""
    data = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
    return f"id: {message['version']}\nevent: release\ndata: {data}\n\n"


KEEPALIVE = ": keepalive\n\n"
CONNECTED = ": connected\n\n"


def _release_db_connection() -> None:
    """Give the connection back while the stream idles (outside tests' transactions)."""
    if not connection.in_atomic_block:
        connection.close()


def _find_event(slug: str):
    try:
        return public_event(slug)
    finally:
        _release_db_connection()


def missed_releases(event_id: int, after: int) -> list[dict]:
    """The messages of the event's releases with a version above `after`, oldest first."""
    try:
        return releases_after(event_id, after)
    finally:
        _release_db_connection()


async def release_stream(event_id: int, last: int | None, keepalive: float):
    """The SSE text of one client: the missed releases, then live ones, with keepalive comments."""
    subscription = bus.subscribe(channel(event_id))
    try:
        await subscription.open()
        sent = last
        if last is not None:
            for message in await sync_to_async(missed_releases)(event_id, last):
                sent = message["version"]
                yield frame(message)
        yield CONNECTED
        while True:
            message = await subscription.get(timeout=keepalive)
            if message is None:
                yield KEEPALIVE
                continue
            if sent is not None and message.get("version", 0) <= sent:
                continue
            sent = message.get("version", sent)
            yield frame(message)
    finally:
        await subscription.close()


def _last_seen(request) -> int | None:
    """The last release version the client has (header first); ValueError when it is not a number."""
    raw = request.headers.get("Last-Event-ID") or request.GET.get("last")
    if raw is None or raw.strip() == "":
        return None
    value = int(raw)
    if value < 0:
        raise ValueError(raw)
    return value


@public
async def live(request, event):
    """`text/event-stream` of the event's releases (public events only)."""
    found = await sync_to_async(_find_event)(event)
    try:
        last = _last_seen(request)
    except ValueError:
        return HttpResponseBadRequest(
            "Last-Event-ID (or ?last=) must be a release number, e.g. 3.", content_type="text/plain"
        )
    keepalive = float(getattr(settings, "PODIUM_LIVE_KEEPALIVE", 15))
    response = StreamingHttpResponse(
        release_stream(found.pk, last, keepalive), content_type="text/event-stream; charset=utf-8"
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # proxies (nginx) must pass each message on at once
    return response
