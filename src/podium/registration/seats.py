"""The counters concurrent buyers race for: seats of a ticket type, usages of a voucher.

Each change is one conditional UPDATE: it adds only while the limit allows, in the same statement
that checks it, so two buyers can never both take the last seat (PostgreSQL re-checks the condition
on the locked row; SQLite runs one writer at a time). A rowcount of 0 means sold out (used up), and
the caller's transaction is rolled back with everything it reserved before. Freeing subtracts.

The invariant (registration.queries.seat_count_drift): a ticket type's `seats_taken` is the number of
its tickets in pending or paid orders plus its open waiting-list offers; a voucher's `times_used` is
the number of pending or paid orders placed with it.

`retry_when_busy` wraps a use case's transaction: on SQLite a writer that waited longer than the busy
timeout gets "database is locked", and PostgreSQL may break a deadlock by failing one transaction.
Both are tried again a few times, then refused with a message saying so, never swallowed.
"""

import functools
import logging
import random
import time

from django.db import OperationalError, connection
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.base.errors import ServiceError
from podium.registration.models import TicketType, Voucher

log = logging.getLogger(__name__)
ATTEMPTS = 5
BUSY_MARKERS = ("database is locked", "database table is locked", "deadlock detected", "could not serialize")


class SoldOut(ServiceError):
    """No seat of a ticket type is left for the order."""


class Busy(ServiceError):
    """The database stayed busy through every attempt."""


def reserve_seats(ticket_type_id: int, count: int) -> bool:
    """Take `count` seats of the ticket type if that many are free; False (nothing taken) if not."""
    if count <= 0:
        return True
    return bool(
        TicketType.objects.filter(pk=ticket_type_id)
        .filter(Q(quota__isnull=True) | Q(seats_taken__lte=F("quota") - count))
        .update(seats_taken=F("seats_taken") + count)
    )


def free_seats(ticket_type_id: int, count: int) -> None:
    """Give back `count` seats of the ticket type."""
    if count > 0:
        TicketType.objects.filter(pk=ticket_type_id).update(seats_taken=F("seats_taken") - count)


def use_voucher(voucher_id: int) -> bool:
    """Count one more use of the voucher if it has one left and is still valid; False if not."""
    return bool(
        Voucher.objects.filter(pk=voucher_id, times_used__lt=F("max_usages"))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=timezone.now()))
        .update(times_used=F("times_used") + 1)
    )


def give_back_voucher(voucher_id: int | None) -> None:
    """Count one use fewer (the order that used it no longer holds its seats)."""
    if voucher_id is not None:
        Voucher.objects.filter(pk=voucher_id).update(times_used=F("times_used") - 1)


def _busy(exc: OperationalError) -> bool:
    message = str(exc).lower()
    return any(marker in message for marker in BUSY_MARKERS)


def retry_when_busy(function):
    """Run `function` (a use case that opens its own transaction) again when the database was too busy
    to take it, up to ATTEMPTS times with a short random pause; then raise `Busy`. Inside a caller's
    transaction it runs once: only the outermost transaction can be tried again."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        if connection.in_atomic_block:
            return function(*args, **kwargs)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return function(*args, **kwargs)
            except OperationalError as exc:
                if not _busy(exc):
                    raise
                log.warning(
                    "%s: database busy (attempt %d of %d): %s", function.__name__, attempt, ATTEMPTS, exc
                )
                if attempt == ATTEMPTS:
                    raise Busy(
                        _(
                            "Many people are registering at this moment and your request could not be "
                            "saved. Nothing was booked; please try again in a minute."
                        )
                    ) from exc
                time.sleep(random.uniform(0.05, 0.2) * attempt)  # jitter, not a secret
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper
