"""Twenty desks scan one ticket at the same moment: exactly one check-in, nineteen "already".

Each scan runs in its own thread and database connection, released together, with committed
transactions. This runs on SQLite and, in the PostgreSQL pass of the suite, on PostgreSQL.
"""

import datetime as dt

import pytest
from django.utils import timezone

from podium.checkin.models import CheckIn, Scan
from podium.checkin.services import check_in, sync_scans
from podium.registration.tickets import token_for
from tests import factories
from tests.races import race
from tests.registration import shop


@pytest.fixture
def ticket_and_door(transactional_db):
    event = factories.EventFactory()
    shop.open_registration(event)
    free = shop.ticket_type(event, "Free", price="0")
    ticket = shop.buy(event, factories.UserFactory(), free).tickets.get()
    return event, ticket, factories.team_member(event, can_check_in=True)


def test_twenty_desks_scanning_one_ticket_check_it_in_once(ticket_and_door):
    event, ticket, door = ticket_and_door
    code = token_for(ticket)

    results = race(
        *(lambda n=n: check_in(event=event, code=code, desk=f"Desk {n}", by=door) for n in range(20))
    )

    kinds = sorted(getattr(result, "kind", repr(result)) for result in results)
    assert kinds == ["already"] * 19 + ["ok"]
    assert CheckIn.objects.filter(ticket=ticket).count() == 1
    assert Scan.objects.filter(ticket=ticket).count() == 20
    winner = next(result for result in results if result.kind == "ok")
    assert CheckIn.objects.get().desk == winner.check_in.desk


def test_offline_queues_and_live_scans_at_once_keep_the_earliest_scan(ticket_and_door):
    event, ticket, door = ticket_and_door
    code = token_for(ticket)
    now = timezone.now()
    moments = [now - dt.timedelta(minutes=minutes) for minutes in range(1, 11)]

    def queued(n):
        scan = {"code": code, "desk": f"Offline {n}", "scanned_at": moments[n].isoformat()}
        return lambda: sync_scans(event=event, scans=[scan], by=door)[0]

    live = [lambda n=n: check_in(event=event, code=code, desk=f"Live {n}", by=door) for n in range(5)]
    results = race(*(queued(n) for n in range(10)), *live)

    assert all(hasattr(result, "kind") for result in results), results
    stored = CheckIn.objects.get(ticket=ticket)
    assert (stored.scanned_at, stored.desk) == (moments[-1], "Offline 9")
    assert sum(result.kind == "ok" and not result.conflict for result in results) == 1
