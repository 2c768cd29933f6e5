"""Django's SQLite backend, with the write transactions of one process taking turns in arrival order.

SQLite lets one writer in at a time. A connection that finds the database locked does not queue: its
busy handler sleeps and tries again, up to 100 ms between tries the longer it has waited, until the
busy timeout (20 s). Under steady load the writers that just arrived (retrying after 1, 2, 5 ms) keep
taking the lock from those that have waited longest, so most writes wait a few milliseconds and the
unlucky ones seconds, some beyond the timeout ("database is locked"). Here a transaction of this
process first waits for its turn in a first-come, first-served queue (shared by every connection of
the process to the same file) and only then asks SQLite for the lock, which it then gets at once
unless another process holds it. The turn is given up at commit, rollback or close. After the busy
timeout in the queue a transaction stops waiting for its turn and is left to SQLite's busy handler,
as before (so a transaction that waits on another thread's writes cannot hang for good).

Every `transaction.atomic()` block is a write transaction here (`transaction_mode` IMMEDIATE), and so
are Django's own (session saves among them). A single write outside a transaction (autocommit) does
not queue; write inside `transaction.atomic()` to take a turn.
"""

import collections
import threading

from django.db.backends.sqlite3 import base

DEFAULT_WAIT = 5.0


class Turns:
    """A first-come, first-served lock: `acquire` waits behind everyone who asked before."""

    def __init__(self):
        self._mutex = threading.Lock()
        self._queue: collections.deque[threading.Event] = collections.deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        """Wait for the turn up to `timeout` seconds; False (and not in the queue) when it did not come."""
        with self._mutex:
            if not self._held and not self._queue:
                self._held = True
                return True
            turn = threading.Event()
            self._queue.append(turn)
        if turn.wait(timeout):
            return True
        with self._mutex:
            if turn.is_set():  # handed over just as the wait ended
                return True
            self._queue.remove(turn)
            return False

    def release(self) -> None:
        """Hand the turn to the longest waiting, or free it."""
        with self._mutex:
            if self._queue:
                self._queue.popleft().set()
            else:
                self._held = False


_turns: dict[str, Turns] = {}
_turns_mutex = threading.Lock()


def turns_for(name) -> Turns:
    """The queue of the process's write transactions on the database file `name`."""
    key = str(name)
    with _turns_mutex:
        return _turns.setdefault(key, Turns())


class DatabaseWrapper(base.DatabaseWrapper):
    _has_turn = False

    def _turn_wait(self) -> float:
        return float(self.settings_dict.get("OPTIONS", {}).get("timeout", DEFAULT_WAIT))

    def _take_turn(self) -> None:
        if not self._has_turn and not self.is_in_memory_db():
            self._has_turn = turns_for(self.settings_dict["NAME"]).acquire(self._turn_wait())

    def _give_turn_back(self) -> None:
        if self._has_turn:
            self._has_turn = False
            turns_for(self.settings_dict["NAME"]).release()

    def _start_transaction_under_autocommit(self):
        self._take_turn()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._give_turn_back()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._give_turn_back()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._give_turn_back()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._give_turn_back()
