"""With the real catalogues (src/podium/locale, compiled here as `make` does), a browser asking for
German gets German pages: public ones and the back office. Fails while the catalogues are missing."""

import shutil

import pytest
from django.urls import reverse
from django.utils.translation import trans_real

from podium.base import catalogues

pytestmark = [pytest.mark.django_db, pytest.mark.catalogues]

GERMAN = {"accept-language": "de-DE,de;q=0.9,en;q=0.5"}


@pytest.fixture
def real_catalogues(settings, tmp_path):
    """The catalogues of src/podium/locale compiled into a folder of this test's own, read from there."""
    found = catalogues.catalogues()
    assert found, "no catalogue in src/podium/locale: the German pages cannot be German"
    for path in found:
        copy = tmp_path / path.relative_to(catalogues.LOCALE)
        copy.parent.mkdir(parents=True)
        shutil.copy(path, copy)
        catalogues.compile_catalogue(copy)
    settings.LOCALE_PATHS = [tmp_path]
    trans_real._translations = {}
    yield
    trans_real._translations = {}


def _text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_public_pages_in_german(real_catalogues, client, event):
    login = _text(client.get(reverse("accounts:login"), headers=GERMAN))
    index = _text(client.get(reverse("site:index"), headers=GERMAN))
    cfp = _text(client.get(reverse("cfp:cfp", kwargs={"event": event.slug}), headers=GERMAN))

    for page in (login, index, cfp):
        assert '<html lang="de">' in page
        assert "Anmelden" in page
        assert "Registrieren" in page
        assert ">Log in<" not in page
    assert "Passwort vergessen?" in login
    assert "Forgot your password?" not in login


def test_the_back_office_in_german(real_catalogues, client, organiser_user, event):
    client.force_login(organiser_user)

    page = _text(client.get(reverse("orga:event", kwargs={"event": event.slug}), headers=GERMAN))
    account = _text(client.get(reverse("accounts:home"), headers=GERMAN))

    assert '<html lang="de">' in page
    assert "Abmelden" in page
    assert ">Log out<" not in page
    assert "Mein Podium" in account
    assert "Sprache speichern" in account
    assert "Your proposals" not in account
