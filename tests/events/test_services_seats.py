"""Session types whose sessions need a booked seat: the number of seats is required with it."""

import pytest
from django.db import IntegrityError, transaction

from podium.base.errors import ServiceError
from podium.events import services
from podium.events.models import SessionType

pytestmark = pytest.mark.django_db


def test_save_session_type_with_seats(event):
    tutorial = event.session_types.get(name="Tutorial")
    version = tutorial.version

    services.save_session_type(
        event=event, by=None, data={"requires_seat": True, "seats": 25}, session_type=tutorial
    )

    saved = SessionType.objects.get(pk=tutorial.pk)
    assert (saved.requires_seat, saved.seats, saved.version) == (True, 25, version + 1)


def test_requiring_a_seat_without_a_number_is_refused(event):
    tutorial = event.session_types.get(name="Tutorial")

    with pytest.raises(ServiceError) as refused:
        services.save_session_type(event=event, by=None, data={"requires_seat": True}, session_type=tutorial)

    assert (refused.value.message, refused.value.field) == (
        "Give the number of seats a session of this type has.",
        "seats",
    )


def test_a_type_keeps_its_seats_when_an_edit_leaves_them_out(event):
    tutorial = services.save_session_type(
        event=event,
        by=None,
        data={"requires_seat": True, "seats": 25},
        session_type=event.session_types.get(name="Tutorial"),
    )

    saved = services.save_session_type(event=event, by=None, data={"name": "Workshop"}, session_type=tutorial)

    assert (saved.name, saved.requires_seat, saved.seats) == ("Workshop", True, 25)


def test_the_database_refuses_a_type_that_requires_a_seat_without_seats(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionType.objects.create(event=event, name="Workshop", duration_minutes=90, requires_seat=True)
