"""A person's seats in the export and the erasure: listed, then given up so the people waiting get them."""

import pytest

from podium.attendance import seats
from podium.attendance.models import SeatBooking, SeatState, SessionSeats
from podium.attendance.seat_queries import seat_count_drift
from podium.mail.models import OutboxMail
from podium.privacy.erase import erase_person
from podium.privacy.export import export_person
from tests import factories
from tests.seating import people, tutorials

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return tutorials(seats=2)


def test_the_export_lists_seats_and_waiting_list_places(conf):
    ada = factories.UserFactory(name="Ada")
    seats.book_seat(proposal=conf["pytest"], by=ada)
    for person in people(2):
        seats.book_seat(proposal=conf["pandas"], by=person)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)

    exported = export_person(user=ada)["seats"]

    assert [(row["proposal"], row["title"], row["state"]) for row in exported] == [
        (conf["pytest"].code, "Testing with pytest", "booked"),
        (conf["pandas"].code, "Pandas from scratch", "waiting"),
    ]
    assert exported[0]["booked_at"] is not None
    assert exported[1]["booked_at"] is None


def test_erasure_gives_the_seat_to_the_next_person_waiting(conf, django_capture_on_commit_callbacks):
    ada = factories.UserFactory(name="Ada")
    seats.book_seat(proposal=conf["pandas"], by=ada)
    seats.book_seat(proposal=conf["pandas"], by=factories.UserFactory())
    bob = factories.UserFactory(name="Bob", email="bob@example.org")
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=bob)

    with django_capture_on_commit_callbacks(execute=True):
        counts = erase_person(user=ada, by=None)

    assert counts["seats and waiting-list places"] == 1
    assert SeatBooking.objects.filter(user=ada).count() == 0
    assert SeatBooking.objects.get(user=bob).state == SeatState.BOOKED
    assert list(
        OutboxMail.objects.filter(template="seat_from_waiting_list").values_list("to", flat=True)
    ) == ["bob@example.org"]
    assert SessionSeats.objects.get(proposal=conf["pandas"]).taken == 2
    assert seat_count_drift(conf["event"]) == {}


def test_erasure_never_gives_the_erased_person_a_seat_they_waited_for(conf):
    ada = factories.UserFactory(name="Ada", email="ada@example.org")
    holders = people(2)
    for person in holders:
        seats.book_seat(proposal=conf["async"], by=person)
    seats.join_seat_waiting_list(proposal=conf["async"], by=ada)
    seats.book_seat(proposal=conf["pandas"], by=ada)  # overlaps Async: she stays waiting when a seat frees
    seats.cancel_seat(proposal=conf["async"], by=holders[0])

    erase_person(user=ada, by=None)

    assert SeatBooking.objects.filter(user=ada).count() == 0
    assert not OutboxMail.objects.filter(template="seat_from_waiting_list").exists()
    assert seat_count_drift(conf["event"]) == {}
