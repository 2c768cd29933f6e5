"""The public API's sessions carry the seats of a session booked seat by seat (null for the others),
as counted at the moment of the call."""

import pytest

from podium.attendance import seats
from tests.seating import people, tutorials

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_a_sessions_seats_in_the_session_the_list_and_the_schedule(client):
    conf = tutorials(seats=2)
    event = conf["event"]
    seats.book_seat(proposal=conf["pandas"], by=people(1)[0])
    expected = {"capacity": 2, "taken": 1, "left": 1, "waiting": 0}

    detail = client.get(f"{API}/events/{event.slug}/sessions/{conf['pandas'].code}").json()
    listed = {
        item["code"]: item["seats"]
        for item in client.get(f"{API}/events/{event.slug}/sessions").json()["items"]
    }
    [day] = client.get(f"{API}/events/{event.slug}/schedule").json()["days"]
    scheduled = {item["code"]: item["seats"] for item in day["sessions"]}

    assert detail["seats"] == expected
    assert listed[conf["pandas"].code] == scheduled[conf["pandas"].code] == expected
    assert listed[conf["talk"].code] is None
    assert listed[conf["pytest"].code] == {"capacity": 2, "taken": 0, "left": 2, "waiting": 0}


def test_the_seats_follow_every_booking(client):
    conf = tutorials(seats=1)
    url = f"{API}/events/{conf['event'].slug}/sessions/{conf['pandas'].code}"
    before = client.get(url)
    ada, bob = people(2)
    seats.book_seat(proposal=conf["pandas"], by=ada)
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=bob)

    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after.json()["seats"] == {"capacity": 1, "taken": 1, "left": 0, "waiting": 1}
