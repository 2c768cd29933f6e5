"""me.json: the visitor's own part of a program page, and nobody else's."""

import pytest

from podium.attendance import services as attendance
from tests import factories

pytestmark = pytest.mark.django_db


def test_anonymous_gets_the_empty_shape(client, program):
    answer = client.get(f"/{program['event'].slug}/me.json")
    assert answer.status_code == 200
    assert answer.json() == {"logged_in": False, "stars": [], "tickets": False, "csrf_token": "", "links": {}}
    assert "no-store" in answer["Cache-Control"]
    assert "private" in answer["Cache-Control"]


def test_a_visitor_gets_their_own_stars_and_never_another_persons(client, program):
    event = program["event"]
    me, other = factories.UserFactory(), factories.UserFactory()
    attendance.set_star(event=event, user=me, code=program["alpha"].code, starred=True)
    attendance.set_star(event=event, user=other, code=program["beta"].code, starred=True)
    client.force_login(me)
    answer = client.get(f"/{event.slug}/me.json").json()
    assert answer["logged_in"] is True
    assert answer["stars"] == [program["alpha"].code]
    assert answer["csrf_token"]
    assert answer["tickets"] is False
    assert "tickets" not in answer["links"]
    assert answer["links"]["starred_ics"]["href"] == f"/{event.slug}/schedule/export/starred.ics"


def test_the_token_lets_the_page_star(client, program):
    from django.test import Client

    event = program["event"]
    me = factories.UserFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(me)
    token = strict.get(f"/{event.slug}/me.json").json()["csrf_token"]
    url = f"/{event.slug}/talk/{program['beta'].code}/star/"
    refused = strict.post(url, {"starred": "1"}, headers={"x-requested-with": "fetch"})
    assert refused.status_code == 403
    answer = strict.post(url, {"starred": "1"}, headers={"x-requested-with": "fetch", "x-csrftoken": token})
    assert answer.json() == {"code": program["beta"].code, "starred": True}
    client.force_login(me)
    assert client.get(f"/{event.slug}/me.json").json()["stars"] == [program["beta"].code]


def test_a_hidden_event_is_unknown(client, program):
    event = program["event"]
    event.is_public = False
    event.save()
    assert client.get(f"/{event.slug}/me.json").status_code == 404
    assert client.post(f"/{event.slug}/me.json").status_code == 405
