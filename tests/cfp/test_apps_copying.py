"""Copying an event brings its call for papers' questions (cfp.apps registers them with events.copying)."""

import datetime as dt

import pytest

from podium.cfp import services
from podium.cfp.services import copy_questions
from podium.events import copying

pytestmark = pytest.mark.django_db


def test_questions_are_a_registered_part_of_copying_an_event():
    assert copy_questions in copying.registered()


def test_copying_an_event_brings_its_questions(event, organiser_user):
    services.save_question(
        event=event, by=None, data={"label": "Slides ready?", "kind": "boolean", "target": "proposal"}
    )

    copy = copying.copy_event(
        actor=organiser_user,
        source=event,
        name="Next year",
        slug="next-year",
        start=event.date_from + dt.timedelta(days=364),
    )

    assert list(copy.cfp_questions.values_list("label", "kind")) == [("Slides ready?", "boolean")]
    assert event.cfp_questions.count() == 1
