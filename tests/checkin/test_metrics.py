"""The doors' figure for /metrics: check-ins of the last minute."""

import datetime as dt

import pytest
from django.utils import timezone

from podium.checkin.metrics import checkin_figures
from podium.checkin.models import CheckIn
from tests.checkin.conftest import sell


@pytest.mark.django_db
def test_counts_the_check_ins_scanned_in_the_last_minute(event, full, buyer, organiser, door):
    tickets = list(sell(event, full, buyer, organiser, "Ann", "Bo", "Cy").tickets.all())
    now = timezone.now()
    for ticket, seconds_ago in zip(tickets, [5, 50, 300], strict=True):
        scanned = now - dt.timedelta(seconds=seconds_ago)
        CheckIn.objects.create(
            ticket=ticket, event=event, desk="A", scanned_at=scanned, received_at=now, by=door
        )

    (figure,) = checkin_figures()

    assert (figure.name, figure.value, figure.labels) == ("podium_checkins_last_minute", 2, {})
