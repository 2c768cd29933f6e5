"""An attendee's calendar at its secret address holds their booked seats besides their stars (not the
sessions they only wait for), and is named for what it holds."""

import pytest
from django.test import Client
from django.urls import reverse

from podium.attendance import seats
from podium.attendance.services import renew_calendar_feed, set_star
from tests import factories
from tests.interop.formats import vevents
from tests.seating import people, tutorials

pytestmark = pytest.mark.django_db


def test_the_calendar_holds_booked_seats_and_stars_but_not_waiting_places():
    conf = tutorials(seats=1)
    ada = factories.UserFactory()
    set_star(event=conf["event"], user=ada, code=conf["talk"].code, starred=True)
    seats.book_seat(proposal=conf["pytest"], by=ada)
    seats.book_seat(proposal=conf["pandas"], by=people(1)[0])
    seats.join_seat_waiting_list(proposal=conf["pandas"], by=ada)
    feed = renew_calendar_feed(event=conf["event"], user=ada)

    response = Client().get(
        reverse("site:agenda_ics", kwargs={"event": conf["event"].slug, "token": feed.key})
    )

    assert response.status_code == 200
    assert sorted(str(vevent.get("summary")) for vevent in vevents(response.content)) == [
        "A plain talk",
        "Testing with pytest",
    ]


def _names(content: bytes) -> list[str]:
    return [line for line in content.decode().split("\r\n") if line.startswith("X-WR-CALNAME")]


def test_the_calendar_is_named_the_agenda_and_the_starred_feed_stays_the_starred_sessions():
    conf = tutorials(seats=1)
    ada = factories.UserFactory()
    seats.book_seat(proposal=conf["pytest"], by=ada)
    feed = renew_calendar_feed(event=conf["event"], user=ada)
    client = Client()
    client.force_login(ada)
    name = conf["event"].name

    agenda = client.get(reverse("site:agenda_ics", kwargs={"event": conf["event"].slug, "token": feed.key}))
    starred = client.get(reverse("site:export_starred_ics", kwargs={"event": conf["event"].slug}))
    page = client.get(reverse("site:agenda", kwargs={"event": conf["event"].slug})).content.decode()

    assert _names(agenda.content) == [f"X-WR-CALNAME:{name}: my agenda"]
    assert _names(starred.content) == [f"X-WR-CALNAME:{name}: starred sessions"]
    assert "see your starred sessions and booked seats there" in page
    assert agenda["ETag"] != starred["ETag"]
