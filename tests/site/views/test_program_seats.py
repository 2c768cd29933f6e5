"""The talk page of a session that needs a booked seat: the seats left, right after every booking, for
anonymous visitors too (their cached page is keyed on the counter)."""

import pytest
from django.test import Client
from django.urls import reverse

from podium.attendance import seats
from tests.seating import people, tutorials

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return tutorials(seats=2)


def talk_url(proposal) -> str:
    return reverse("site:talk", kwargs={"event": proposal.event.slug, "code": proposal.code})


def test_the_cached_talk_page_follows_every_booking(conf, settings):
    settings.PODIUM_PAGE_CACHE = True
    anonymous = Client()
    url = talk_url(conf["pandas"])
    first = anonymous.get(url)
    assert "2 seats left" in first.content.decode()
    assert anonymous.get(url).templates == [], "the second visit is served from the cache"

    ada, bob = people(2)
    seats.book_seat(proposal=conf["pandas"], by=ada)
    after_one = anonymous.get(url).content.decode()
    seats.book_seat(proposal=conf["pandas"], by=bob)
    full = anonymous.get(url).content.decode()

    assert "1 seat left" in after_one
    assert "Full – waiting list" in full
    assert "seats left" not in full


def test_the_waiting_count_shows_on_a_full_session(conf):
    for person in people(2):
        seats.book_seat(proposal=conf["pandas"], by=person)
    for person in people(3, prefix="Waiting"):
        seats.join_seat_waiting_list(proposal=conf["pandas"], by=person)

    page = Client().get(talk_url(conf["pandas"])).content.decode()

    assert "Full – waiting list (3 waiting)" in page


def test_a_session_given_its_own_seats_shows_them(conf):
    seats.set_seat_capacity(proposal=conf["pytest"], capacity=25, by=None)

    assert "25 seats left" in Client().get(talk_url(conf["pytest"])).content.decode()
