"""An event's own texts in the reader's language: translated only while a page or a mail is rendered,
the main text everywhere else (forms, services, exports), and the main text when no translation is
given. And the language LocaleMiddleware speaks, decided from the headers alone."""

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.utils import translation

from podium.base.translated import column, display, language_for, other_languages
from podium.events.models import Event, Page

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(event):
    event.name_de, event.name_fr = "Pythonkonferenz", "Conférence Python"
    event.description_de = "Reichen Sie ein!"
    event.save()
    return Event.objects.get(pk=event.pk)


def test_the_other_languages_are_the_translation_columns():
    assert other_languages() == [("de", "Deutsch"), ("fr", "Français")]
    assert column("name", "de") == "name_de"
    assert column("name", "pt-BR") == "name_pt_br"


def test_outside_rendering_the_main_text_whatever_the_language(translated):
    with translation.override("de"):
        assert translated.name == Event.objects.get(pk=translated.pk).name
        assert translated.name not in ("Pythonkonferenz", "Conférence Python")
        assert str(translated) == translated.name


def test_while_displaying_the_active_languages_text_or_the_main_text(translated):
    main = translated.name
    with display():
        assert translated.name == main  # English: the main text
        with translation.override("de"):
            assert translated.name == "Pythonkonferenz"
            assert translated.description == "Reichen Sie ein!"
        with translation.override("fr"):
            assert translated.name == "Conférence Python"
            assert translated.description == translated.__dict__["description"]  # none given: main


def test_templates_render_the_translation_and_leave_the_object_as_it_was(translated):
    template = engines["django"].from_string("{{ event.name }}|{{ event }}")
    with translation.override("de"):
        assert template.render({"event": translated}) == "Pythonkonferenz|Pythonkonferenz"
        assert render_to_string("base/404.html", {"event": translated}).count("Pythonkonferenz") >= 1
        assert translated.name != "Pythonkonferenz"


def test_saving_while_another_language_is_active_keeps_the_main_text(translated):
    main = translated.name
    with translation.override("de"), display():
        translated.save()  # pre_save reads the column, never the translation
    stored = Event.objects.get(pk=translated.pk)
    assert stored.name == main
    assert stored.name_de == "Pythonkonferenz"


def test_deferred_texts_load_as_usual(translated):
    event = Event.objects.only("pk", "name_de").get(pk=translated.pk)
    with translation.override("de"), display():
        assert event.name == "Pythonkonferenz"
    assert event.description == translated.description


def test_pages_too(event):
    page = Page.objects.create(event=event, title="Venue", slug="venue", body="Here.", title_fr="Lieu")
    with translation.override("fr"), display():
        assert (page.title, page.body) == ("Lieu", "Here.")


@pytest.mark.parametrize(
    ("cookie", "accept", "language"),
    [
        (None, None, "en"),
        (None, "de-AT,de;q=0.9", "de"),
        (None, "es, fr;q=0.8", "fr"),
        (None, "*", "en"),
        ("fr", "de", "fr"),
        ("xx", "de", "de"),
        ("de", None, "de"),
    ],
)
def test_the_language_as_locale_middleware_decides_it(cookie, accept, language):
    assert language_for(cookie=cookie, accept_language=accept) == language
