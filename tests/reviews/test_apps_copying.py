"""Copying an event brings its review criteria and settings (reviews.apps registers them with events.copying)."""

import datetime as dt

import pytest

from podium.events import copying
from podium.reviews import services
from podium.reviews.models import ReviewSettings

pytestmark = pytest.mark.django_db


def test_review_settings_are_a_registered_part_of_copying_an_event():
    assert services.copy_review_settings in copying.registered()


def test_copying_an_event_brings_its_criteria(event, organiser_user):
    services.save_criterion(event=event, by=organiser_user, name="Relevance", weight=2, max_score=3)

    copy = copying.copy_event(
        actor=organiser_user,
        source=event,
        name="Next year",
        slug="next-year",
        start=event.date_from + dt.timedelta(days=364),
    )

    assert list(copy.review_criteria.values_list("name", "weight", "max_score")) == [("Relevance", 2, 3)]
    assert ReviewSettings.objects.get(event=copy).phase == "open"
