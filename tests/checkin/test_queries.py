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


def _check_in_at(event, tickets, door, moments) -> None:
    for ticket, moment in zip(tickets, moments, strict=True):
        check_in(event=event, code=token_for(ticket), desk="", by=door, scanned_at=moment)


def test_the_night_the_clocks_go_back_has_both_two_oclock_hours(event, full, buyer, organiser, door):
    """Brussels, 25 October 2026: at 03:00 summer time the clocks go back to 02:00. A check-in at the
    first 02:10 and one at the second are an hour apart: two bars, and five hours of them from 00:00
    to 04:00 (it was one bar of two, and four hours)."""
    event.timezone = "Europe/Brussels"
    event.date_from = event.date_to = dt.date(2026, 10, 25)
    event.save()
    order = sell(event, full, buyer, organiser, "Early", "Late", "Morning")
    first_two = dt.datetime(2026, 10, 25, 0, 10, tzinfo=dt.UTC)  # 02:10 summer time (UTC+2)
    second_two = dt.datetime(2026, 10, 25, 1, 10, tzinfo=dt.UTC)  # 02:10 winter time (UTC+1)
    _check_in_at(
        event, order.tickets.order_by("pk"), door, (first_two, second_two, first_two - dt.timedelta(hours=2))
    )

    [chart] = queries.check_ins_per_quarter(event)

    shown = [(f"{bar.start:%H:%M}", bar.start.utcoffset(), bar.count) for bar in chart.bars[:21]]
    summer, winter = dt.timedelta(hours=2), dt.timedelta(hours=1)
    assert shown[0] == ("00:00", summer, 1)  # 00:10 local, the hour of the first check-in
    assert [(start, offset, count) for start, offset, count in shown if count] == [
        ("00:00", summer, 1),
        ("02:00", summer, 1),
        ("02:00", winter, 1),
    ]
    assert [start for start, _offset, _count in shown[8:17]] == [
        "02:00",
        "02:15",
        "02:30",
        "02:45",
        "02:00",
        "02:15",
        "02:30",
        "02:45",
        "03:00",
    ]
    assert chart.bars[-1].start == dt.datetime(2026, 10, 25, 17, 45, tzinfo=event.tz)
    assert len(chart.bars) == 19 * 4  # 00:00 to 18:00 on a day of 25 hours
    assert chart.total == 3


def test_the_night_the_clocks_go_forward_has_no_two_oclock_hour(event, full, buyer, organiser, door):
    """Brussels, 29 March 2026: at 02:00 the clocks go forward to 03:00. Check-ins at 01:05 and 03:05,
    an hour apart: the bars go from 01:45 straight to 03:00 (there were four of an hour that never
    was)."""
    event.timezone = "Europe/Brussels"
    event.date_from = event.date_to = dt.date(2026, 3, 29)
    event.save()
    order = sell(event, full, buyer, organiser, "Night", "Owl")
    moments = (dt.datetime(2026, 3, 29, 0, 5, tzinfo=dt.UTC), dt.datetime(2026, 3, 29, 1, 5, tzinfo=dt.UTC))
    _check_in_at(event, order.tickets.order_by("pk"), door, moments)

    [chart] = queries.check_ins_per_quarter(event)

    starts = [f"{bar.start:%H:%M}" for bar in chart.bars]
    assert starts[:5] == ["01:00", "01:15", "01:30", "01:45", "03:00"]
    assert "02:00" not in starts
    assert [(f"{bar.start:%H:%M}", bar.count) for bar in chart.bars if bar.count] == [
        ("01:00", 1),
        ("03:00", 1),
    ]
    assert len(chart.bars) == 16 * 4  # 01:00 to 18:00 on a day of 23 hours
