"""Copying an event brings its texts' translations (podium.base.translated) along, read as stored
whatever the language of the request that copies; those of the name only when the name stays."""

import datetime as dt

import pytest
from django.utils import translation

from podium.base.translated import display
from podium.events import copying
from podium.events.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(event):
    event.name_de, event.name_fr = "Pythonkonferenz", "Conférence Python"
    event.description, event.description_de, event.description_fr = "Submit!", "Einreichen!", "Soumettez !"
    event.default_language = "de"
    event.save()
    Page.objects.create(
        event=event, title="Venue", slug="venue", body="Where", title_de="Ort", body_de="Wo", title_fr="Lieu"
    )
    return event


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_translations_come_along(source, organiser_user, language):
    with translation.override(language), display():  # a German organiser's request, even mid-render
        copy = copying.copy_event(
            actor=organiser_user, source=source, name="PyConf next", slug="pyconf-next",
            start=source.date_from + dt.timedelta(days=364),
        )  # fmt: skip

    copy.refresh_from_db()
    assert copy.__dict__["name"] == "PyConf next"
    assert (copy.description, copy.description_de, copy.description_fr) == (
        "Submit!",
        "Einreichen!",
        "Soumettez !",
    )
    assert copy.default_language == "de"
    assert (copy.name_de, copy.name_fr) == ("", "")  # another name: the old translations would be wrong
    page = copy.pages.get()
    assert (page.__dict__["title"], page.__dict__["body"]) == ("Venue", "Where")
    assert (page.title_de, page.body_de, page.title_fr, page.body_fr) == ("Ort", "Wo", "Lieu", "")


def test_the_names_translations_when_the_name_stays(source, organiser_user):
    copy = copying.copy_event(
        actor=organiser_user, source=source, name=source.name, slug="pyconf-again",
        start=source.date_from + dt.timedelta(days=364),
    )  # fmt: skip

    assert (copy.name_de, copy.name_fr) == ("Pythonkonferenz", "Conférence Python")
