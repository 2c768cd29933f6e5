"""An open public schedule follows a new release without a reload: banner, new title, highlight.

The live stream needs the ASGI server (the test live server speaks WSGI), so these tests run uvicorn
in a thread of the test process, on the test database.
"""

import re
import socket
import threading
import time

import pytest
import uvicorn
from django.core.asgi import get_asgi_application
from django.db import DEFAULT_DB_ALIAS, connections
from playwright.sync_api import expect

from podium.base import live
from podium.schedule.live import channel
from tests import factories
from tests.program import at, placed_talk, release, rename

pytestmark = [
    pytest.mark.browser,
    # Under ASGI, WhiteNoise's static files are sync iterators; Django says so once per file.
    pytest.mark.filterwarnings("ignore:StreamingHttpResponse must consume synchronous iterators"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def asgi_url(transactional_db, settings):
    """uvicorn serving Podium's ASGI application from a thread, stopped after the test."""
    settings.REDIS_URL = ""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    # The server's request threads must close their connections after each request (as SQLite does by
    # default), or PostgreSQL keeps them open past the test and the test database cannot be dropped.
    database = connections.settings[DEFAULT_DB_ALIAS]
    kept = database["CONN_MAX_AGE"]
    database["CONN_MAX_AGE"] = 0
    port = _free_port()
    config = uvicorn.Config(
        get_asgi_application(), host="127.0.0.1", port=port, lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=20)
    database["CONN_MAX_AGE"] = kept


@pytest.fixture
def live_page(browser, asgi_url):
    context = browser.new_context(base_url=asgi_url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _wait_for_subscribers(event, count: int = 1) -> None:
    """The page's EventSource is connected once the event's channel has a subscriber."""
    deadline = time.monotonic() + 10
    while live.subscriber_count(channel(event.pk)) < count:
        if time.monotonic() > deadline:
            pytest.fail("the page did not connect to the live stream")
        time.sleep(0.05)


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Programme", can_schedule=True)


def test_open_schedule_updates_without_reload_when_a_release_is_published(live_page, event, scheduler):
    page = live_page
    talk = placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler)
    placed_talk(event, "Beta talk", "Room 101", at(event, 10), scheduler, track_name="Data")
    release(event, scheduler)
    page.goto(f"/{event.slug}/schedule/?view=list")
    expect(page.get_by_text("Alpha talk")).to_be_visible()
    page.evaluate("window.podiumNotReloaded = true")
    _wait_for_subscribers(event)

    rename(talk, "Alpha talk, revised", scheduler)
    release(event, scheduler, comment="New title")

    banner = page.locator("[data-live-banner]")
    expect(banner).to_have_text("Program updated to v2: 1 changed", timeout=5_000)
    expect(banner).to_have_attribute("role", "status")
    expect(page.get_by_text("Alpha talk, revised")).to_be_visible()
    expect(page.locator(f'[data-session="{talk.code}"]')).to_have_class(re.compile(r"\blive-changed\b"))
    assert page.evaluate("window.podiumNotReloaded") is True


def test_room_screen_follows_a_release_without_reload(live_page, event, scheduler):
    page = live_page
    talk = placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler)
    release(event, scheduler)
    room = event.rooms.get(name="Hall A")
    page.goto(f"/{event.slug}/rooms/{room.uuid}/now")
    expect(page.locator('[data-slot="next"] [data-title]')).to_have_text("Alpha talk")
    page.evaluate("window.podiumNotReloaded = true")
    _wait_for_subscribers(event)

    rename(talk, "Alpha talk, revised", scheduler)
    release(event, scheduler)

    expect(page.locator('[data-slot="next"] [data-title]')).to_have_text("Alpha talk, revised")
    expect(page.locator("[data-live-banner]")).to_have_text("Program updated to v2: 1 changed")
    assert page.evaluate("window.podiumNotReloaded") is True
