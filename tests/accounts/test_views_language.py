"""Choosing the interface's language: the switch on every page (a plain form, no script), kept in the
language cookie and, for a logged-in person, as their language (accounts.User.language), which also
follows them to a new browser when they log in; and on their account page."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from podium.accounts.models import User
from tests import factories

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME
PASSWORD = "analytical engine 1843"


def test_every_page_has_the_switch_and_says_its_language(client):
    english = client.get(reverse("accounts:login")).content.decode()
    german = client.get(reverse("accounts:login"), headers={"accept-language": "de"}).content.decode()

    assert '<html lang="en">' in english
    assert '<html lang="de">' in german
    assert f'action="{reverse("accounts:language")}"' in english
    for code in ("en", "de", "fr"):
        assert f'name="language" value="{code}"' in english
    assert 'value="en" lang="en" class="secondary outline small" aria-current="true" disabled' in english


def test_the_switch_keeps_the_choice_without_a_csrf_token_and_goes_back():
    client = Client(enforce_csrf_checks=True)  # a page served from the release files carries no token

    response = client.post(reverse("accounts:language"), {"language": "fr", "next": "/accounts/login/?x=1"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?x=1"
    assert response.cookies[COOKIE].value == "fr"
    assert '<html lang="fr">' in client.get(reverse("accounts:login")).content.decode()


def test_the_switch_refuses_to_send_a_visitor_elsewhere(client):
    response = client.post(reverse("accounts:language"), {"language": "de", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_an_unknown_language_changes_nothing(client):
    user = factories.UserFactory()
    client.force_login(user)

    response = client.post(reverse("accounts:language"), {"language": "xx", "next": "/"})

    assert COOKIE not in response.cookies
    user.refresh_from_db()
    assert user.language == ""


def test_a_logged_in_person_keeps_the_language_as_theirs(client):
    user = factories.UserFactory()
    client.force_login(user)

    client.post(reverse("accounts:language"), {"language": "de", "next": "/"})

    user.refresh_from_db()
    assert user.language == "de"


def test_logging_in_brings_the_persons_language_to_this_browser(client):
    factories.UserFactory(email="ada@example.org", password=PASSWORD, language="fr")
    factories.UserFactory(email="bob@example.org", password=PASSWORD)

    ada = client.post(reverse("accounts:login"), {"username": "ada@example.org", "password": PASSWORD})
    bob = Client().post(reverse("accounts:login"), {"username": "bob@example.org", "password": PASSWORD})

    assert ada.status_code == bob.status_code == 302
    assert ada.cookies[COOKIE].value == "fr"
    assert COOKIE not in bob.cookies  # none chosen: the browser's stays


def test_signing_up_keeps_the_language_chosen_before(client):
    client.cookies[COOKIE] = "de"
    client.post(reverse("accounts:signup"), {"name": "Ada", "email": "ada@example.org", "password": PASSWORD})
    other = Client(headers={"accept-language": "fr"})
    other.post(reverse("accounts:signup"), {"name": "Bob", "email": "bob@example.org", "password": PASSWORD})

    assert User.objects.get(email="ada@example.org").language == "de"
    assert User.objects.get(email="bob@example.org").language == ""  # the browser's, as it changes


def test_the_account_page_sets_and_clears_the_language(client):
    user = factories.UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:home")).content.decode()
    assert 'name="language"' in page
    assert '<option value="" selected>' in page

    chosen = client.post(reverse("accounts:home"), {"language": "fr"})
    user.refresh_from_db()
    assert (user.language, chosen.cookies[COOKIE].value) == ("fr", "fr")
    assert '<option value="fr" selected>' in client.get(reverse("accounts:home")).content.decode()

    cleared = client.post(reverse("accounts:home"), {"language": ""})
    user.refresh_from_db()
    assert user.language == ""
    assert cleared.cookies[COOKIE].value == ""  # deleted: the browser's language speaks again


def test_the_account_page_refuses_an_unknown_language(client):
    user = factories.UserFactory(language="de")
    client.force_login(user)

    response = client.post(reverse("accounts:home"), {"language": "xx"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode() or "Wählen Sie" in response.content.decode()
    user.refresh_from_db()
    assert user.language == "de"
