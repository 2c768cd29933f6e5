"""The back office's "Branding and widget" page: colour, logo and header image, and the snippets that
embed the schedule on another site."""

import pytest
from django.urls import reverse

from tests import factories
from tests.sponsoring import png

pytestmark = pytest.mark.django_db


def _url(event):
    return reverse("orga:branding", kwargs={"event": event.slug})


@pytest.fixture
def admin_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


def test_page_shows_the_form_and_the_widget_snippets(admin_client, event, settings):
    response = admin_client.get(_url(event))
    assert response.status_code == 200
    page = response.content.decode()
    widget = f"{settings.BASE_URL}/{event.slug}/widget/"
    assert f"&lt;iframe src=&quot;{widget}&quot;" in page
    assert f"{widget}widget.js" in page
    assert "data-target=&quot;#" in page
    assert "once the first release is published" in page
    assert 'enctype="multipart/form-data"' in page


def test_saving_the_branding(admin_client, event):
    response = admin_client.post(
        _url(event), {"brand_colour": "#1B5E20", "logo": png(), "version": event.version}, follow=True
    )
    assert "The event&#x27;s branding was saved." in response.content.decode()
    event.refresh_from_db()
    assert event.brand_colour == "#1b5e20"
    assert event.logo


def test_an_unreadable_colour_is_refused_on_its_field(admin_client, event):
    response = admin_client.post(_url(event), {"brand_colour": "#ffeb3b", "version": event.version})
    assert response.status_code == 200
    assert "White text on #ffeb3b is hard to read" in response.content.decode()
    event.refresh_from_db()
    assert event.brand_colour == ""


def test_a_stale_edit_shows_the_stored_branding(admin_client, event):
    event.brand_colour = "#0b4a9e"
    event.version = 5
    event.save()
    response = admin_client.post(_url(event), {"brand_colour": "#1b5e20", "version": 4})
    assert "Someone else changed the event" in response.content.decode()
    event.refresh_from_db()
    assert event.brand_colour == "#0b4a9e"


def test_only_event_editors_reach_the_page(client, event):
    reviewer = factories.team_member(event, name="Reviewers", can_review=True)
    client.force_login(reviewer)
    assert client.get(_url(event)).status_code == 403
    assert client.post(_url(event), {"brand_colour": "#0b4a9e"}).status_code == 403
    event.refresh_from_db()
    assert event.brand_colour == ""
