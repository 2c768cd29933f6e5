"""Booking a seat from the talk page: the buttons, their answers, refusals on the page, and 404s."""

import pytest
from django.urls import reverse

from podium.attendance import seats
from podium.attendance.models import SeatBooking, SeatState
from tests import factories
from tests.program import cancel, release
from tests.seating import people, sell_tickets, tutorials

pytestmark = pytest.mark.django_db


@pytest.fixture
def conf(db):
    return tutorials(seats=2)


@pytest.fixture
def ada(client, db):
    user = factories.UserFactory(name="Ada Lovelace", email="ada@example.org")
    client.force_login(user)
    return user


def seat_url(proposal) -> str:
    return reverse("site:seat", kwargs={"event": proposal.event.slug, "code": proposal.code})


def talk_url(proposal) -> str:
    return reverse("site:talk", kwargs={"event": proposal.event.slug, "code": proposal.code})


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_book_a_seat_from_the_talk_page(client, conf, ada):
    page = client.get(talk_url(conf["pandas"])).content.decode()
    assert 'value="book"' in page
    assert "2 seats left" in page

    response = client.post(seat_url(conf["pandas"]), {"action": "book"}, follow=True)

    assert response.redirect_chain == [(talk_url(conf["pandas"]) + "#seat", 302)]
    assert _messages(response) == ["You have a seat at “Pandas from scratch”. It is in your agenda."]
    page = response.content.decode()
    assert "You have a seat at this session." in page
    assert 'value="cancel"' in page
    assert "1 seat left" in page
    assert SeatBooking.objects.get(user=ada).state == SeatState.BOOKED


def test_a_full_session_offers_the_waiting_list_and_the_place_in_it(client, conf, ada):
    for person in people(2):
        seats.book_seat(proposal=conf["pandas"], by=person)
    page = client.get(talk_url(conf["pandas"])).content.decode()
    assert "Full – waiting list" in page
    assert 'value="wait"' in page
    assert 'value="book"' not in page

    response = client.post(seat_url(conf["pandas"]), {"action": "wait"}, follow=True)

    assert _messages(response) == [
        "You are on the waiting list of “Pandas from scratch”. When a seat frees, it is yours and we tell "
        "you by mail."
    ]
    assert "You are number 1 on the waiting list." in response.content.decode()


def test_cancel_the_seat_from_the_talk_page(client, conf, ada):
    seats.book_seat(proposal=conf["pandas"], by=ada)

    response = client.post(seat_url(conf["pandas"]), {"action": "cancel"}, follow=True)

    assert _messages(response) == [
        "Your seat at “Pandas from scratch” is cancelled; the next person waiting gets it."
    ]
    assert SeatBooking.objects.count() == 0


def test_a_refused_booking_shows_why_on_the_talk_page(client, conf, ada):
    seats.book_seat(proposal=conf["pandas"], by=ada)

    response = client.post(seat_url(conf["async"]), {"action": "book"})

    assert response.status_code == 200
    assert response.templates[0].name == "site/talk.html"
    assert response.context["seat_error"].startswith("This session overlaps “Pandas from scratch”")
    assert 'class="seat-error" role="alert"' in response.content.decode()
    assert SeatBooking.objects.filter(proposal=conf["async"]).count() == 0


def test_the_talk_page_says_why_a_visitor_may_not_book_instead_of_a_button(client, conf, ada):
    sell_tickets(conf["event"])

    page = client.get(talk_url(conf["pandas"])).content.decode()

    assert "Seats are for people with a ticket to" in page
    assert 'value="book"' not in page


def test_an_unknown_action_is_refused_on_the_page(client, conf, ada):
    response = client.post(seat_url(conf["pandas"]), {"action": "steal"})

    assert response.context["seat_error"] == "Choose to book a seat, to join the waiting list, or to cancel."
    assert SeatBooking.objects.count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, conf):
    page = client.get(talk_url(conf["pandas"])).content.decode()
    assert "Log in to book a seat" in page

    response = client.post(seat_url(conf["pandas"]), {"action": "book"})

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert SeatBooking.objects.count() == 0


def test_a_get_goes_back_to_the_talk(client, conf, ada):
    response = client.get(seat_url(conf["pandas"]))

    assert response["Location"] == talk_url(conf["pandas"]) + "#seat"


def test_another_events_session_is_404(client, conf, ada):
    other = tutorials(seats=2)
    wrong = reverse("site:seat", kwargs={"event": conf["event"].slug, "code": other["pandas"].code})

    assert client.post(wrong, {"action": "book"}).status_code == 404
    assert SeatBooking.objects.count() == 0


def test_a_hidden_event_is_404(client, conf, ada):
    conf["event"].is_public = False
    conf["event"].save()

    assert client.post(seat_url(conf["pandas"]), {"action": "book"}).status_code == 404


def test_a_seat_at_a_cancelled_session_is_given_up_from_the_agenda(client, conf, ada):
    seats.book_seat(proposal=conf["pandas"], by=ada)
    cancel(conf["pandas"], conf["scheduler"])
    release(conf["event"], conf["scheduler"], name="v2")
    agenda = reverse("site:agenda", kwargs={"event": conf["event"].slug})

    response = client.post(seat_url(conf["pandas"]), {"action": "cancel", "next": agenda}, follow=True)

    assert response.redirect_chain == [(agenda, 302)]
    assert SeatBooking.objects.count() == 0


def test_a_talk_that_needs_no_seat_shows_no_seat_section(client, conf, ada):
    page = client.get(talk_url(conf["talk"])).content.decode()

    assert 'id="seat"' not in page
    assert "seats left" not in page
