"""Many people at the same moment: the seats of a session are never oversold, a freed seat is given once,
and one person never holds two overlapping seats.

Each person runs in its own thread and database connection, released together, with committed
transactions. This runs on SQLite and, in the PostgreSQL pass of the suite, on PostgreSQL.
"""

import pytest

from podium.attendance import seats
from podium.attendance.models import SeatBooking, SeatState, SessionSeats
from podium.attendance.seat_queries import seat_count_drift
from podium.attendance.seats import SessionFull
from podium.base.errors import ServiceError
from tests import factories
from tests.races import outcomes, race
from tests.seating import people, tutorials


@pytest.mark.django_db(transaction=True)
def test_forty_people_for_the_last_four_seats_give_four_seats_and_thirty_six_refusals():
    conf = tutorials(seats=30)
    for person in people(26, prefix="Early"):
        seats.book_seat(proposal=conf["pandas"], by=person)
    rush = people(40, prefix="Rush")

    def book(person):
        return lambda: seats.book_seat(proposal=conf["pandas"], by=person)

    results = race(*(book(person) for person in rush))

    assert outcomes(results) == {"SeatBooking": 4, "SessionFull": 36}, [
        r for r in results if not isinstance(r, SeatBooking | SessionFull)
    ]
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 30
    assert SeatBooking.objects.filter(proposal=conf["pandas"], state=SeatState.BOOKED).count() == 30
    assert seat_count_drift(conf["event"]) == {}


@pytest.mark.django_db(transaction=True)
def test_a_seat_freed_while_many_book_goes_to_the_person_waiting_once():
    conf = tutorials(seats=3)
    holders = people(3, prefix="Holder")
    for person in holders:
        seats.book_seat(proposal=conf["pandas"], by=person)
    waiting = factories.UserFactory(name="Patient")
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=waiting)
    rush = people(30, prefix="Rush")

    results = race(
        lambda: seats.cancel_seat(proposal=conf["pandas"], by=holders[0]),
        *(lambda person=person: seats.book_seat(proposal=conf["pandas"], by=person) for person in rush),
    )

    # The freed seat goes to the person waiting, never to someone who came later.
    assert isinstance(results[0], SeatBooking), results[0]
    assert outcomes(results[1:]) == {"SessionFull": 30}, results[1:]
    assert SeatBooking.objects.get(user=waiting).state == SeatState.BOOKED
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 3
    assert seat_count_drift(conf["event"]) == {}


@pytest.mark.django_db(transaction=True)
def test_two_cancellations_of_one_seat_at_once_free_it_once():
    conf = tutorials(seats=3)
    ada = factories.UserFactory()
    organiser = factories.team_member(conf["event"], can_edit_event=True)
    booking = seats.book_seat(proposal=conf["pandas"], by=ada)
    seats.book_seat(proposal=conf["pandas"], by=factories.UserFactory())

    results = race(
        lambda: seats.cancel_seat(booking=booking, by=ada),
        lambda: seats.cancel_seat(booking=booking, by=organiser),
    )

    assert outcomes(results) == {"SeatBooking": 1, "ServiceError": 1}, results
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 1
    assert seat_count_drift(conf["event"]) == {}


@pytest.mark.django_db(transaction=True)
def test_one_person_booking_two_overlapping_sessions_at_once_gets_one():
    conf = tutorials(seats=3)
    ada = factories.UserFactory()

    results = race(
        lambda: seats.book_seat(proposal=conf["pandas"], by=ada),
        lambda: seats.book_seat(proposal=conf["async"], by=ada),
    )

    assert outcomes(results) == {"SeatBooking": 1, "ServiceError": 1}, results
    refusal = next(result for result in results if isinstance(result, ServiceError))
    assert refusal.message.startswith("This session overlaps “")
    assert SeatBooking.objects.filter(user=ada).count() == 1
    assert seat_count_drift(conf["event"]) == {}
