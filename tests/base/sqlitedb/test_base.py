"""SQLite write transactions of one process take turns in arrival order.

Without the queue, SQLite's busy handler polls (up to 100 ms between tries the longer a writer has
waited), so under steady load newcomers keep taking the lock from those that waited longest; a
session save, which Django does not retry, then met "database is locked" and the request got 400.
"""

import threading
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection, transaction
from django.utils import timezone

from podium.base.sqlitedb.base import Turns
from podium.checkin.models import Scan
from tests import factories


def _queued(turns: Turns, count: int) -> None:
    deadline = time.monotonic() + 5
    while len(turns._queue) < count and time.monotonic() < deadline:
        time.sleep(0.001)


def test_turns_are_given_in_the_order_they_were_asked_for():
    turns, order = Turns(), []
    assert turns.acquire(1)

    def wait(n):
        assert turns.acquire(5)
        order.append(n)
        turns.release()

    threads = []
    for n in range(5):
        threads.append(threading.Thread(target=wait, args=(n,)))
        threads[-1].start()
        _queued(turns, n + 1)
    turns.release()
    for thread in threads:
        thread.join(5)

    assert order == [0, 1, 2, 3, 4]
    assert turns.acquire(0)  # free again


def test_a_turn_that_does_not_come_in_time_leaves_the_queue():
    turns = Turns()
    assert turns.acquire(1)

    assert turns.acquire(0.05) is False
    assert not turns._queue
    turns.release()
    assert turns.acquire(0)


def test_session_saves_wait_their_turn_among_busy_writers(transactional_db):
    """Writers keep the database busy from several threads; every session save among them is
    stored. SQLite's own busy wait is cut to 0.3 s here, far longer than any one transaction."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write lock (PostgreSQL writers do not share one)")
    event = factories.EventFactory()
    stores = []
    for _ in range(6):
        store = SessionStore()
        store["n"] = 0
        store.create()
        stores.append(store)
    stop = time.monotonic() + 3
    errors = []

    def short_busy_wait():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 300")

    def writer():
        try:
            short_busy_wait()
            while time.monotonic() < stop:
                with transaction.atomic():
                    Scan.objects.create(
                        event=event,
                        result="unknown",
                        desk="busy",
                        scanned_at=(now := timezone.now()),
                        received_at=now,
                    )
                    time.sleep(0.01)  # the lock is held while Python works
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    def saver(store):
        try:
            short_busy_wait()
            while time.monotonic() < stop:
                store["n"] += 1
                store.save()
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(4)]
    threads += [threading.Thread(target=saver, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert errors == []
    assert all(SessionStore(store.session_key).load()["n"] == store["n"] > 0 for store in stores)
