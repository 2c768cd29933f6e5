"""The event setting that decides which sessions a release publishes, on the settings page."""

import pytest
from django.urls import reverse

from tests.orga.views.test_setup import _settings_data

pytestmark = pytest.mark.django_db


def _url(event):
    return reverse("orga:event_settings", kwargs={"event": event.slug})


def test_the_settings_page_offers_the_publishing_rule_with_confirmed_only_chosen(admin_client, event):
    page = admin_client.get(_url(event)).content.decode()

    assert "Which sessions a release publishes" in page
    assert 'name="publish_unconfirmed" value="" id="id_publish_unconfirmed_0" checked' in page


@pytest.mark.parametrize(("value", "stored"), [("1", True), ("", False)])
def test_the_settings_save_the_publishing_rule(admin_client, event, value, stored):
    event.publish_unconfirmed = not stored
    event.save()

    admin_client.post(_url(event), _settings_data(publish_unconfirmed=value, version=str(event.version)))

    event.refresh_from_db()
    assert event.publish_unconfirmed is stored
    page = admin_client.get(_url(event)).content.decode()
    assert (
        f'name="publish_unconfirmed" value="{value}" id="id_publish_unconfirmed_{int(stored)}" checked'
        in page
    )


def test_leaving_the_rule_out_keeps_confirmed_only(admin_client, event):
    admin_client.post(_url(event), _settings_data())

    event.refresh_from_db()
    assert event.publish_unconfirmed is False
