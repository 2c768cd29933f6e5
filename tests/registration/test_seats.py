"""The counters' conditional updates, and use cases tried again when the database is busy."""

import pytest
from django.db import OperationalError

from podium.registration import seats
from podium.registration.models import TicketType
from tests.registration import shop


@pytest.mark.django_db
def test_reserve_takes_all_or_nothing_and_free_gives_back(event):
    capped = shop.ticket_type(event, "Capped", quota=3)

    assert seats.reserve_seats(capped.pk, 2) is True
    assert seats.reserve_seats(capped.pk, 2) is False
    assert seats.reserve_seats(capped.pk, 1) is True
    assert seats.reserve_seats(capped.pk, 1) is False
    seats.free_seats(capped.pk, 3)
    assert TicketType.objects.get(pk=capped.pk).seats_taken == 0


def test_a_busy_database_is_tried_again(monkeypatch):
    monkeypatch.setattr(seats.time, "sleep", lambda seconds: None)
    calls = []

    @seats.retry_when_busy
    def busy_twice():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database is locked")
        return "done"

    assert busy_twice() == "done"
    assert len(calls) == 3


def test_a_database_that_stays_busy_is_refused_clearly(monkeypatch):
    monkeypatch.setattr(seats.time, "sleep", lambda seconds: None)
    calls = []

    @seats.retry_when_busy
    def always_busy():
        calls.append(1)
        raise OperationalError("deadlock detected")

    with pytest.raises(seats.Busy, match="Nothing was booked; please try again"):
        always_busy()
    assert len(calls) == seats.ATTEMPTS


def test_other_database_errors_are_not_retried(monkeypatch):
    calls = []

    @seats.retry_when_busy
    def broken():
        calls.append(1)
        raise OperationalError("no such table: registration_order")

    with pytest.raises(OperationalError, match="no such table"):
        broken()
    assert len(calls) == 1
