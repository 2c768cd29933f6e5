"""The agenda with seats: booked seats and places on waiting lists in their day with the room, and a
seat at a session that left the program shown as cancelled, never silently gone."""

import pytest
from django.urls import reverse

from podium.attendance import seats
from podium.attendance.services import set_star
from tests import factories
from tests.program import cancel, release
from tests.seating import people, tutorials

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return tutorials(seats=2)


@pytest.fixture
def ada(client, db):
    user = factories.UserFactory(name="Ada Lovelace")
    client.force_login(user)
    return user


def agenda_url(event) -> str:
    return reverse("site:agenda", kwargs={"event": event.slug})


def test_booked_seats_and_waiting_places_are_in_the_agenda_by_day(client, conf, ada):
    seats.book_seat(proposal=conf["pytest"], by=ada)
    for person in people(2):
        seats.book_seat(proposal=conf["pandas"], by=person)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=factories.UserFactory())
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)

    response = client.get(agenda_url(conf["event"]))

    [day] = response.context["days"]
    assert day["day"] == conf["event"].date_from
    assert [(s.title, s.booking.state) for s in day["sessions"]] == [
        ("Pandas from scratch", "waiting"),
        ("Testing with pytest", "booked"),
    ]
    page = response.content.decode()
    assert "Seat booked</strong> · <bdi>Room 101</bdi>" in page
    assert "Waiting list: number 2" in page


def test_a_seat_at_a_cancelled_session_stays_in_the_agenda_marked_cancelled(client, conf, ada):
    seats.book_seat(proposal=conf["pandas"], by=ada)

    cancel(conf["pandas"], conf["scheduler"])
    release(conf["event"], conf["scheduler"], name="v2")
    response = client.get(agenda_url(conf["event"]))

    [session] = response.context["sessions"]
    assert (session.title, session.cancelled, session.room_name) == ("Pandas from scratch", True, "Room 101")
    page = response.content.decode()
    assert (
        "<strong>Cancelled</strong>: this session is no longer on the program. You still hold a seat at it"
        in page
    )
    assert "Give up this seat" in page


def test_a_session_both_starred_and_booked_is_listed_once(client, conf, ada):
    set_star(event=conf["event"], user=ada, code=conf["pytest"].code, starred=True)
    seats.book_seat(proposal=conf["pytest"], by=ada)

    response = client.get(agenda_url(conf["event"]))

    assert [(s.title, s.is_starred, s.booking.state) for s in response.context["sessions"]] == [
        ("Testing with pytest", True, "booked")
    ]


def test_someone_elses_seats_are_not_in_the_agenda(client, conf, ada):
    seats.book_seat(proposal=conf["pandas"], by=factories.UserFactory())

    response = client.get(agenda_url(conf["event"]))

    assert response.context["sessions"] == []
