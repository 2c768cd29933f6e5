"""The list of public events and the track colours."""

import pytest
from django.urls import reverse

from podium.events.models import Track
from tests import factories
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_index_lists_public_events_only(client):
    shown = factories.EventFactory(name="Shown Conf")
    factories.EventFactory(name="Hidden Conf", is_public=False)

    response = client.get(reverse("site:index"))

    assert [e.name for e in response.context["events"]] == [shown.name]
    assert "Hidden Conf" not in response.content.decode()


def test_event_home_of_non_public_event_is_404(client):
    hidden = factories.EventFactory(is_public=False)

    assert client.get(reverse("site:event", kwargs={"event": hidden.slug})).status_code == 404


def test_index_query_count_is_constant(client):
    def grow(n):
        for _ in range(n):
            factories.EventFactory(setup=False)

    assert_constant_queries(client, reverse("site:index"), grow)


def test_healthz_answers_ok(client):
    assert client.get(reverse("healthz")).json() == {"status": "ok"}


def test_tracks_css_sets_each_tracks_colour(client, event):
    web = event.tracks.get(name="Web")
    Track.objects.create(event=event, name="Broken", colour="#a;}*{x")

    response = client.get(reverse("site:tracks_css", kwargs={"event": event.slug}))

    css = response.content.decode()
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert f".track-{web.pk} {{ --track-colour: #1f6feb; }}" in css
    assert "}*{" not in css
