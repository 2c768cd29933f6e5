"""Organiser spreadsheets: schedulers and event editors only, attachments, never cached."""

import pytest
from django.urls import reverse

from tests import factories
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(event):
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    speaker = factories.UserFactory(name="Ada Lovelace", email="ada@example.org")
    placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler, speakers=[speaker])
    release(event, scheduler, name="v1")
    return {"event": event, "scheduler": scheduler}


def csv_url(name: str, event) -> str:
    return reverse(f"orga:{name}", kwargs={"event": event.slug})


@pytest.mark.parametrize("flag", ["can_schedule", "can_edit_event"])
def test_sessions_csv_is_an_attachment_for_the_team(client, released, flag):
    event = released["event"]
    client.force_login(factories.team_member(event, **{flag: True}))

    response = client.get(csv_url("export_sessions_csv", event))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-sessions.csv"'
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert "Alpha talk" in response.content.decode()


def test_speakers_csv_holds_email_addresses(client, released):
    event = released["event"]
    client.force_login(released["scheduler"])

    response = client.get(csv_url("export_speakers_csv", event))

    assert "ada@example.org" in response.content.decode()


@pytest.mark.parametrize("name", ["export_sessions_csv", "export_speakers_csv"])
def test_csv_is_refused_to_reviewers_and_strangers(client, released, name):
    event = released["event"]
    client.force_login(factories.team_member(event, name="Reviewers", can_review=True))
    assert client.get(csv_url(name, event)).status_code == 403
    client.force_login(factories.UserFactory())
    assert client.get(csv_url(name, event)).status_code == 403


def test_csv_is_not_found_before_the_first_release(client, event):
    client.force_login(factories.team_member(event, can_schedule=True))

    assert client.get(csv_url("export_sessions_csv", event)).status_code == 404
