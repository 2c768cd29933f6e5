import datetime as dt

import pytest
from django.urls import reverse

from podium.events.models import Event

pytestmark = pytest.mark.django_db


def test_an_administrator_copies_the_event(client, event, organiser_user):
    client.force_login(organiser_user)
    url = reverse("orga:copy_event", kwargs={"event": event.slug})
    assert client.get(url).status_code == 200
    start = event.date_from + dt.timedelta(days=365)

    response = client.post(url, {"name": "PyConf 2031", "slug": "pyconf-2031", "start": start.isoformat(),
                                 "team_members": "on"})  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == reverse("orga:event", kwargs={"event": "pyconf-2031"})
    copy = Event.objects.get(slug="pyconf-2031")
    assert copy.date_from == start
    assert copy.rooms.count() == event.rooms.count()


def test_a_taken_slug_shows_on_the_form(client, event, organiser_user):
    client.force_login(organiser_user)

    response = client.post(
        reverse("orga:copy_event", kwargs={"event": event.slug}),
        {"name": "Again", "slug": event.slug, "start": event.date_from.isoformat()},
    )

    assert response.status_code == 200
    assert "taken" in response.content.decode()
    assert Event.objects.count() == 1


def test_editors_who_are_not_administrators_may_not_copy(client, event):
    from tests import factories

    client.force_login(factories.team_member(event, can_edit_event=True))

    assert client.get(reverse("orga:copy_event", kwargs={"event": event.slug})).status_code == 403


@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01"])
def test_a_first_day_that_moves_dates_off_the_calendar_shows_on_the_form(
    client, event, organiser_user, start
):
    client.force_login(organiser_user)

    response = client.post(
        reverse("orga:copy_event", kwargs={"event": event.slug}),
        {"name": "Far away", "slug": "far-away", "start": start},
    )

    assert response.status_code == 200
    assert "First day" in response.content.decode()
    assert not Event.objects.filter(slug="far-away").exists()
