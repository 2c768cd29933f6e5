"""The organisers' seats pages: the sessions that need a seat with their counts, who booked and who
waits (and its CSV), a session's own number of seats, and who may see and change them."""

import csv
import html
import io

import pytest
from django.urls import reverse

from podium.attendance import seats
from podium.attendance.models import SessionSeats
from podium.base.bidi import isolated
from tests import factories
from tests.program import at, cancel, release
from tests.querycount import assert_constant_queries
from tests.seating import people, tutorial, tutorials

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return tutorials(seats=2)


@pytest.fixture
def organiser(client, conf):
    user = factories.team_member(conf["event"], name="Organisers", can_edit_event=True)
    client.force_login(user)
    return user


def url(name, event, **kwargs) -> str:
    return reverse(f"orga:{name}", kwargs={"event": event.slug, **kwargs})


def _booked(conf):
    ada = factories.UserFactory(name="Ada Lovelace", email="ada@example.org")
    bob = factories.UserFactory(name="=HYPERLINK(1)", email="bob@example.org")
    cleo = factories.UserFactory(name="Cleo", email="cleo@example.org")
    seats.book_seat(proposal=conf["pandas"], by=ada)
    seats.book_seat(proposal=conf["pandas"], by=bob)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=cleo)
    return ada, bob, cleo


@pytest.mark.parametrize(
    ("flags", "status"),
    [
        ({"can_check_in": True}, 200),
        ({"can_edit_event": True}, 200),
        ({"can_review": True, "can_schedule": True}, 403),
    ],
)
def test_seat_lists_are_seen_by_check_in_and_editors_only(client, conf, flags, status):
    client.force_login(factories.team_member(conf["event"], **flags))
    code = conf["pandas"].code

    assert client.get(url("seats", conf["event"])).status_code == status
    assert client.get(url("seat_session", conf["event"], code=code)).status_code == status
    assert client.get(url("seat_session_csv", conf["event"], code=code)).status_code == status


def test_the_list_shows_each_seat_session_with_its_counts(client, conf, organiser):
    _booked(conf)

    response = client.get(url("seats", conf["event"]))

    rows = [
        (row.proposal.title, row.seats.capacity, row.seats.taken, row.seats.waiting)
        for row in response.context["rows"]
    ]
    assert rows == [
        ("Pandas from scratch", 2, 2, 1),
        ("Async in depth", 2, 0, 0),
        ("Testing with pytest", 2, 0, 0),
    ]
    assert "<strong>Full</strong>" in response.content.decode()
    assert "A plain talk" not in response.content.decode()


def test_the_list_keeps_a_cancelled_session_with_bookings(client, conf, organiser):
    _booked(conf)
    cancel(conf["pandas"], conf["scheduler"])
    release(conf["event"], conf["scheduler"], name="v2")

    response = client.get(url("seats", conf["event"]))

    last = response.context["rows"][-1]
    assert (last.proposal.title, last.on_program, last.seats.taken) == ("Pandas from scratch", False, 2)
    assert "Cancelled" in response.content.decode()


def test_the_list_queries_do_not_grow_with_sessions(client, conf, organiser):
    places = [("Hall A", 15), ("Room 101", 17), ("Hall A", 18), ("Room 101", 20), ("Hall A", 21)]

    def grow(count):
        for _ in range(count):
            room, hour = places.pop(0)
            made = tutorial(
                conf["event"], f"Extra at {hour}", room, at(conf["event"], hour), conf["scheduler"]
            )
            seats.set_seat_capacity(proposal=made, capacity=5, by=None)

    assert_constant_queries(client, url("seats", conf["event"]), grow, small=1, large=5)


def test_the_session_page_lists_who_booked_and_who_waits(client, conf, organiser):
    _booked(conf)

    response = client.get(url("seat_session", conf["event"], code=conf["pandas"].code))

    assert [b.user.name for b in response.context["booked"]] == ["Ada Lovelace", "=HYPERLINK(1)"]
    assert [(b.position, b.user.name) for b in response.context["waiting"]] == [(1, "Cleo")]
    page = response.content.decode()
    assert "ada@example.org" in page
    assert "2 seats</strong>: 2 booked, <strong>full</strong>, 1 waiting." in page


def test_the_csv_has_the_booked_then_the_waiting_with_formulas_defused(client, conf, organiser):
    _booked(conf)

    response = client.get(url("seat_session_csv", conf["event"], code=conf["pandas"].code))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f"{conf['pandas'].code.lower()}-seats.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert [row[:4] for row in rows] == [
        ["state", "position", "name", "email"],
        ["booked", "", "Ada Lovelace", "ada@example.org"],
        ["booked", "", "'=HYPERLINK(1)", "bob@example.org"],
        ["waiting", "1", "Cleo", "cleo@example.org"],
    ]


def test_another_events_session_is_404(client, conf, organiser):
    other = tutorials(seats=2)

    for name in ("seat_session", "seat_session_csv"):
        assert client.get(url(name, conf["event"], code=other["pandas"].code)).status_code == 404
    response = client.post(url("seat_capacity", conf["event"], code=other["pandas"].code), {"capacity": "9"})
    assert response.status_code == 404
    assert not SessionSeats.objects.filter(proposal=other["pandas"]).exists()


def test_a_session_that_needs_no_seat_has_no_seats_page(client, conf, organiser):
    assert client.get(url("seat_session", conf["event"], code=conf["talk"].code)).status_code == 404


def test_an_organiser_sets_a_sessions_own_seats(client, conf, organiser):
    response = client.post(
        url("seat_capacity", conf["event"], code=conf["pandas"].code),
        {"capacity": "12", "version": "1"},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        f"The seats of “{isolated('Pandas from scratch')}” were saved."
    ]
    assert SessionSeats.objects.get(proposal=conf["pandas"]).capacity == 12
    assert "12 seats</strong>: 0 booked, 12 left" in response.content.decode()


def test_a_refused_capacity_keeps_the_input_and_says_why(client, conf, organiser):
    _booked(conf)

    response = client.post(
        url("seat_capacity", conf["event"], code=conf["pandas"].code), {"capacity": "1", "version": "1"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 seats are booked already, so the session needs at least 2" in page
    assert 'name="capacity" value="1"' in page
    assert SessionSeats.objects.get(proposal=conf["pandas"]).capacity is None


def test_a_capacity_that_is_no_number_keeps_the_input(client, conf, organiser):
    response = client.post(
        url("seat_capacity", conf["event"], code=conf["pandas"].code), {"capacity": "lots", "version": "1"}
    )

    assert "Enter a whole number." in response.content.decode()
    assert 'value="lots"' in response.content.decode()


def test_a_stale_capacity_edit_shows_the_stored_number(client, conf, organiser):
    seats.set_seat_capacity(proposal=conf["pandas"], capacity=7, by=None, version=1)

    response = client.post(
        url("seat_capacity", conf["event"], code=conf["pandas"].code), {"capacity": "30", "version": "1"}
    )

    page = html.unescape(response.content.decode())
    assert "Someone changed this session's seats while you were editing them." in page
    assert 'name="capacity" value="7"' in page
    assert SessionSeats.objects.get(proposal=conf["pandas"]).capacity == 7


def test_check_in_staff_see_the_people_but_cannot_change_the_seats(client, conf):
    client.force_login(factories.team_member(conf["event"], can_check_in=True))

    page = client.get(url("seat_session", conf["event"], code=conf["pandas"].code)).content.decode()
    response = client.post(url("seat_capacity", conf["event"], code=conf["pandas"].code), {"capacity": "9"})

    assert 'name="capacity"' not in page
    assert response.status_code == 403


def test_the_sessions_page_shows_its_seats_and_the_form(client, conf, organiser):
    _booked(conf)

    page = client.get(
        reverse("orga:proposal", kwargs={"event": conf["event"].slug, "code": conf["pandas"].code})
    )

    content = page.content.decode()
    assert 'id="seats-heading"' in content
    assert "2 booked, <strong>full</strong>, 1 waiting." in content
    assert url("seat_capacity", conf["event"], code=conf["pandas"].code) in content
    talk = client.get(
        reverse("orga:proposal", kwargs={"event": conf["event"].slug, "code": conf["talk"].code})
    )
    assert 'id="seats-heading"' not in talk.content.decode()


def test_people_who_only_book_never_reach_the_pages(client, conf):
    client.force_login(people(1)[0])

    assert client.get(url("seats", conf["event"])).status_code == 403
