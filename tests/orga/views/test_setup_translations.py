"""The organisers give the event's name, its CfP text and its information pages in German and French
(a fieldset per language on the settings and page forms), and its mail language; a German or
French visitor reads them, everyone else the main text. Editing in German changes the main text
through the main fields only."""

import pytest
from django.urls import reverse

from podium.events.models import Event, Page
from tests.orga.views.test_setup import _settings_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


def test_the_settings_form_has_a_fieldset_per_language(admin_client, event):
    page = admin_client.get(reverse("orga:event_settings", kwargs={"event": event.slug})).content.decode()

    assert page.count("<legend><h2>Deutsch</h2></legend>") == 1
    assert page.count("<legend><h2>Français</h2></legend>") == 1
    for name in ("name_de", "name_fr", "description_de", "description_fr", "default_language"):
        assert f'name="{name}"' in page


def test_translations_saved_and_shown_in_the_visitors_language(admin_client, client, event):
    url = reverse("orga:event_settings", kwargs={"event": event.slug})
    data = _settings_data(
        name="PyConf", name_de="PyKonf", description="Send talks.", description_fr="Envoyez vos présentations.",
        default_language="de",
    )  # fmt: skip

    # Saved from a German back office: the main fields still hold the main text.
    response = admin_client.post(url, data, headers={"accept-language": "de"})

    assert response.status_code == 302
    event = Event.objects.get(pk=event.pk)
    assert (event.name, event.name_de, event.name_fr) == ("PyConf", "PyKonf", "")
    assert (event.description, event.description_fr) == ("Send talks.", "Envoyez vos présentations.")
    assert event.default_language == "de"
    form = admin_client.get(url, headers={"accept-language": "de"}).content.decode()
    assert 'name="name" value="PyConf"' in form  # the main text to edit, not the German one
    cfp = reverse("cfp:cfp", kwargs={"event": event.slug})
    assert "PyKonf" in client.get(cfp, headers={"accept-language": "de"}).content.decode()
    french = client.get(cfp, headers={"accept-language": "fr"}).content.decode()
    assert "Envoyez vos présentations." in french
    assert "<title>" in french
    assert "PyConf" in french
    assert "PyKonf" not in client.get(cfp).content.decode()


def test_an_older_form_without_the_mail_language_keeps_it(admin_client, event):
    event.default_language = "fr"
    event.save()

    admin_client.post(reverse("orga:event_settings", kwargs={"event": event.slug}), _settings_data())

    assert Event.objects.get(pk=event.pk).default_language == "fr"


def test_a_page_in_three_languages(admin_client, client, event):
    new = reverse("orga:page_new", kwargs={"event": event.slug})
    form = admin_client.get(new).content.decode()
    assert form.count("<fieldset>") >= 2
    assert "<legend><h2>Deutsch</h2></legend>" in form

    admin_client.post(
        new,
        {"title": "Venue", "slug": "venue", "body": "The hall.", "position": "0", "state": "published",
         "title_de": " Ort ", "body_de": "Die Halle.", "title_fr": "", "body_fr": ""},
    )  # fmt: skip

    page = Page.objects.get(event=event)
    assert (page.title, page.title_de, page.body_de, page.title_fr) == ("Venue", "Ort", "Die Halle.", "")
    url = reverse("site:page", kwargs={"event": event.slug, "page": "venue"})
    german = client.get(url, headers={"accept-language": "de"}).content.decode()
    assert "Ort" in german
    assert "Die Halle." in german
    french = client.get(url, headers={"accept-language": "fr"}).content.decode()
    assert "Venue" in french
    assert "The hall." in french
