"""The editor and the release page under the event's publishing rule (confirmed sessions only, or
accepted ones too): unconfirmed cards are marked, and the release check names what is left out."""

import pytest
from django.urls import reverse

from tests import factories
from tests.program import at, placed_talk, release, talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event, client):
    user = factories.team_member(event, name="Schedulers", can_schedule=True)
    client.force_login(user)
    return user


@pytest.fixture
def program(event, scheduler):
    confirmed = placed_talk(event, "Confirmed talk", "Hall A", at(event, 10), scheduler)
    unconfirmed = placed_talk(event, "Unconfirmed talk", "Hall A", at(event, 11), scheduler, state="accepted")
    waiting = talk(event, "Waiting talk", state="accepted")
    return confirmed, unconfirmed, waiting


def _editor(client, event) -> str:
    url = reverse("orga:schedule", kwargs={"event": event.slug})
    return client.get(f"{url}?day={event.date_from.isoformat()}").content.decode()


def _release_page(client, event):
    return client.get(reverse("orga:schedule_release", kwargs={"event": event.slug}))


def test_the_editor_marks_unconfirmed_cards_placed_or_not(client, event, program):
    page = _editor(client, event)

    assert page.count("data-unconfirmed") == 2  # the placed one and the waiting one
    assert "Not confirmed: left out of releases until the speaker confirms" in page


def test_the_editor_marks_them_tentative_when_the_event_publishes_them(client, event, program):
    event.publish_unconfirmed = True
    event.save()

    page = _editor(client, event)

    assert page.count("Not confirmed: published as tentative") == 2


def test_the_release_page_names_the_sessions_left_out(client, event, program):
    page = _release_page(client, event).content.decode()

    assert "Left out: not confirmed (1)" in page
    assert "Unconfirmed talk" in page
    assert "blocks publishing" not in page


def test_the_release_page_says_what_blocks_publishing_and_publishing_is_refused(
    client, event, scheduler, program
):
    event.publish_unconfirmed = True
    event.save()
    release(event, scheduler)
    event.publish_unconfirmed = False
    event.save()

    page = _release_page(client, event).content.decode()
    response = client.post(
        reverse("orga:schedule_release", kwargs={"event": event.slug}), {"name": "", "comment": ""}
    )

    assert "blocks publishing" in page
    assert "Publishing is blocked" in page
    assert "“Unconfirmed talk” is in the published schedule but not confirmed" in response.content.decode()
    assert event.releases.count() == 1
