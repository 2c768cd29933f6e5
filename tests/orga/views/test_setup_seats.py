"""The session type form's seats: a type whose sessions attendees book, with its number of seats."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


def _edit_url(event, session_type) -> str:
    return reverse("orga:session_type_edit", kwargs={"event": event.slug, "pk": session_type.pk})


def test_a_session_type_is_made_to_require_a_seat_and_listed_so(admin_client, event):
    tutorial = event.session_types.get(name="Tutorial")
    data = {"name": "Tutorial", "duration_minutes": "180", "version": tutorial.version}

    response = admin_client.post(
        _edit_url(event, tutorial), {**data, "requires_seat": "on", "seats": "40"}, follow=True
    )

    tutorial.refresh_from_db()
    assert (tutorial.requires_seat, tutorial.seats) == (True, 40)
    assert "<td>40, booked in advance</td>" in response.content.decode()


def test_a_type_that_requires_a_seat_needs_its_number_and_keeps_the_input(admin_client, event):
    tutorial = event.session_types.get(name="Tutorial")
    data = {"name": "Hands-on tutorial", "duration_minutes": "150", "version": tutorial.version}

    response = admin_client.post(_edit_url(event, tutorial), {**data, "requires_seat": "on", "seats": ""})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Give the number of seats a session of this type has." in page
    assert 'value="Hands-on tutorial"' in page
    assert 'value="150"' in page
    tutorial.refresh_from_db()
    assert (tutorial.name, tutorial.requires_seat, tutorial.seats) == ("Tutorial", False, None)


def test_zero_seats_are_refused(admin_client, event):
    tutorial = event.session_types.get(name="Tutorial")
    data = {"name": "Tutorial", "duration_minutes": "180", "version": tutorial.version}

    response = admin_client.post(_edit_url(event, tutorial), {**data, "requires_seat": "on", "seats": "0"})

    assert "greater than or equal to 1" in response.content.decode()
    tutorial.refresh_from_db()
    assert tutorial.requires_seat is False
