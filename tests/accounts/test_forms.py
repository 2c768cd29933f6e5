"""The account forms' labels in the reader's language (the real catalogues)."""

import pytest
from django.utils import translation

from podium.accounts.forms import ProfileNameForm
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.catalogues, pytest.mark.usefixtures("real_catalogues")]


def test_the_name_form_is_labelled_in_the_readers_language():
    with translation.override("de"):
        german = str(ProfileNameForm()["name"].label)
    with translation.override("fr"):
        french = str(ProfileNameForm()["name"].label)

    assert (german, french) == ("Ihr Name", "Votre nom")
