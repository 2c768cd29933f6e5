"""The reads of the desks and the figures: search, attendee list, per type, per quarter hour."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from podium.checkin import queries
from podium.checkin.services import check_in
from podium.registration import services as registration
from podium.registration.tickets import token_for
from tests import factories
from tests.checkin.conftest import sell
from tests.registration import shop

pytestmark = pytest.mark.django_db


def test_the_search_finds_names_addresses_and_order_codes_paid_first(event, full, buyer, organiser):
    cancelled = sell(event, full, buyer, organiser, "Ana Cancelled")
    registration.cancel_order(order=cancelled, by=organiser)
    paid = sell(event, full, buyer, organiser, "Ana Paid", "Bea Other")
    other_event = factories.EventFactory()
    shop.open_registration(other_event)
    shop.buy(other_event, buyer, shop.ticket_type(other_event, "Other", price="0"))

    by_name = queries.find_attendees(event, "  ana ")
    by_address = queries.find_attendees(event, "attendee2@example")
    by_code = queries.find_attendees(event, paid.code.lower())

    assert [t.attendee_name for t in by_name] == ["Ana Paid", "Ana Cancelled"]
    assert [t.attendee_name for t in by_address] == ["Bea Other"]
    assert [t.attendee_name for t in by_code] == ["Ana Paid", "Bea Other"]
    assert queries.find_attendees(event, "a") == []
    assert queries.find_attendees(event, "Attendee 1") == []  # names of another event's tickets


def test_the_attendee_list_is_one_query(event, full, buyer, organiser, door):
    order = sell(event, full, buyer, organiser, *(f"Guest {n}" for n in range(6)))
    check_in(event=event, code=token_for(order.tickets.first()), desk="Desk", by=door)

    with CaptureQueriesContext(connection) as captured:
        rows = queries.attendee_list(event)

    assert len(captured) == 1
    assert [row["desk"] for row in rows] == ["Desk"] + [None] * 5


def test_figures_per_type_count_paid_tickets_and_their_check_ins(event, full, buyer, organiser, door):
    paid = sell(event, full, buyer, organiser, "A", "B", "C")
    sell(event, full, buyer, organiser, "Pending", paid=False)
    shop.ticket_type(event, "Workshop", price="0")
    for ticket in paid.tickets.all()[:2]:
        check_in(event=event, code=token_for(ticket), desk="", by=door)

    figures = queries.figures_by_type(event)

    assert [(f.name, f.sold, f.checked_in, f.percent) for f in figures] == [
        ("Full conference", 3, 2, 67),
        ("Workshop", 0, 0, 0),
    ]


def test_check_ins_are_counted_per_quarter_hour_in_the_events_time_zone(event, full, buyer, organiser, door):
    event.date_from = (timezone.now() - dt.timedelta(days=3)).date()
    event.date_to = event.date_from + dt.timedelta(days=1)
    event.save()
    order = sell(event, full, buyer, organiser, "A", "B", "C")
    day = event.date_from
    at = lambda h, m: dt.datetime.combine(day, dt.time(h, m), tzinfo=event.tz)  # noqa: E731
    a, b, c = order.tickets.order_by("pk")
    for ticket, moment in ((a, at(7, 50)), (b, at(7, 59)), (c, at(19, 5))):
        check_in(event=event, code=token_for(ticket), desk="", by=door, scanned_at=moment)

    first, second = queries.check_ins_per_quarter(event)

    assert first.day == day
    assert first.bars[0].start == at(7, 0)  # from the hour of the first check-in
    assert [bar.count for bar in first.bars if bar.count] == [2, 1]
    assert first.bars[-1].start == at(19, 0)
    assert first.total == 3
    assert (second.day, second.total, second.bars[0].start, len(second.bars)) == (
        event.date_to,
        0,
        dt.datetime.combine(event.date_to, dt.time(8), tzinfo=event.tz),
        40,
    )
