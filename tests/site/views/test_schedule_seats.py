"""The schedule of a program with sessions that need a booked seat: the seats left (or that the session is
full, with its waiting list) on their cards, in the grid and in the list, current after every booking."""

import pytest
from django.test import Client
from django.urls import reverse

from podium.attendance import seats
from tests.program import at, release
from tests.querycount import assert_constant_queries
from tests.seating import people, tutorial, tutorials

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return tutorials(seats=2)


def schedule_url(event, view: str = "") -> str:
    url = reverse("site:schedule", kwargs={"event": event.slug}) + f"?day={event.date_from.isoformat()}"
    return url + (f"&view={view}" if view else "")


@pytest.mark.parametrize("view", ["", "list"])
def test_the_grid_and_the_list_show_the_seats_left(conf, view):
    seats.book_seat(proposal=conf["pandas"], by=people(1)[0])
    for person in people(2, prefix="Async"):
        seats.book_seat(proposal=conf["async"], by=person)

    response = Client().get(schedule_url(conf["event"], view))

    page = response.content.decode()
    by_code = {session.code: session.seats for session in response.context["sessions"] if session.code}
    assert (by_code[conf["pandas"].code].left, by_code[conf["async"].code].full) == (1, True)
    assert by_code[conf["talk"].code] is None
    shown = 1 if view else 2  # the grid's page holds the list too (phones show it first)
    assert page.count("1 seat left") == shown
    assert page.count("Full – waiting list") == shown
    assert page.count("2 seats left") == shown  # pytest


def test_the_cached_schedule_follows_every_booking(conf, settings):
    settings.PODIUM_PAGE_CACHE = True
    anonymous = Client()
    url = schedule_url(conf["event"])
    assert "1 seat left" not in anonymous.get(url).content.decode()
    assert anonymous.get(url).templates == []

    seats.book_seat(proposal=conf["pandas"], by=people(1)[0])

    assert "1 seat left" in anonymous.get(url).content.decode()


def test_the_schedules_queries_do_not_grow_with_seat_sessions(client, event):
    scheduler = tutorials(event, seats=5)["scheduler"]
    free_places = [("Hall A", 15), ("Room 101", 17), ("Hall A", 18), ("Room 101", 20), ("Hall A", 21)]

    def grow(count):
        for _ in range(count):
            room, hour = free_places.pop(0)
            tutorial(event, f"Extra at {hour}", room, at(event, hour), scheduler)
        release(event, scheduler)

    assert_constant_queries(client, schedule_url(event), grow, small=1, large=5)
