"""The demo's tutorials: booked seat by seat, one sold out with a waiting list, counters that add up, and
a standalone build on an event with a program but no registration.

The demo is built once per test session (the `demo_output` fixture, tests/conftest.py).
"""

from django.test import Client
from django.urls import reverse

from podium.attendance.models import SeatBooking, SeatState
from podium.attendance.seat_queries import seat_count_drift, seat_sessions
from podium.demo import tutorials
from podium.demo.shape import DOMAIN
from podium.schedule.queries import latest_release
from tests import factories
from tests.program import at, placed_talk, release


def test_the_tutorial_type_requires_a_seat(pycon):
    tutorial = pycon.session_types.get(name="Tutorial")

    assert (tutorial.requires_seat, tutorial.seats) == (True, tutorials.SEATS_PER_TUTORIAL)


def test_one_tutorial_is_sold_out_with_a_waiting_list(pycon):
    rows = seat_sessions(pycon, latest_release(pycon))

    full = [row for row in rows if row.seats.full]
    assert [(row.seats.capacity, row.seats.taken, row.seats.waiting) for row in full] == [
        (tutorials.SOLD_OUT_SEATS, tutorials.SOLD_OUT_SEATS, tutorials.WAITING)
    ]
    assert all(row.on_program for row in rows)
    assert sum(1 for row in rows if row.seats.taken and not row.seats.full) >= 2


def test_the_learners_hold_tickets_and_their_seats_add_up(pycon):
    bookings = SeatBooking.objects.filter(event=pycon).select_related("user")

    assert {booking.user.email.split("@")[1] for booking in bookings} == {DOMAIN}
    assert seat_count_drift(pycon) == {}
    for booking in bookings.filter(state=SeatState.BOOKED):
        assert booking.user.orders.filter(event=pycon, state="paid").exists(), booking.user.email


def test_the_sold_out_tutorial_says_so_on_the_schedule(pycon):
    [full] = [row for row in seat_sessions(pycon, latest_release(pycon)) if row.seats.full]
    page = Client().get(reverse("site:talk", kwargs={"event": pycon.slug, "code": full.proposal.code}))

    assert "Full – waiting list (4 waiting)" in page.content.decode()


def test_build_tutorials_works_on_an_event_without_registration_or_attendees(db):
    event = factories.EventFactory()
    admin = factories.team_member(event, is_admin=True, can_edit_event=True, can_schedule=True)
    for hour, room in ((9, "Hall A"), (9, "Room 101"), (14, "Hall A")):
        placed_talk(
            event,
            f"Tutorial at {hour} in {room}",
            room,
            at(event, hour),
            admin,
            session_type=event.session_types.get(name="Tutorial"),
        )
    release(event, admin)

    summary = tutorials.build_tutorials(event=event, admin=admin, seed=7)

    assert summary.waiting == tutorials.WAITING
    assert summary.booked == tutorials.SOLD_OUT_SEATS + 2 * tutorials.OTHER_BOOKINGS
    assert summary.sold_out == "Tutorial at 9 in Hall A"
    assert seat_count_drift(event) == {}
