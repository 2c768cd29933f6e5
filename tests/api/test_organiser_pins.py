"""Pinning a session on the draft through the API (schedule.services.set_pinned)."""

import pytest

from podium.base.models import AuditEntry
from podium.schedule.models import Slot
from tests import program
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


def _url(event, code):
    return f"/api/v1/orga/events/{event.slug}/slots/{code}/pin"


@pytest.fixture
def placed(event, scheduler):
    return program.placed_talk(event, "Pinned by API", "Hall A", program.at(event, 10), scheduler)


def _put(client, event, code, body, headers, **extra):
    return client.put(_url(event, code), body, "application/json", **headers, **extra)


def test_pin_and_unpin_a_placed_session(client, event, scheduler, placed):
    headers = bearer(make_token(scheduler, event, scope="write"))

    pinned = _put(client, event, placed.code, {"pinned": True, "version": 1}, headers)
    listed = client.get(f"/api/v1/orga/events/{event.slug}/slots", **headers).json()
    unpinned = _put(client, event, placed.code, {"pinned": False, "version": 2}, headers)

    assert pinned.status_code == 200, pinned.content
    assert (pinned.json()["pinned"], pinned.json()["version"]) == (True, 2)
    assert [item["pinned"] for item in listed["items"] if item["code"] == placed.code] == [True]
    assert (unpinned.json()["pinned"], unpinned.json()["version"]) == (False, 3)
    assert AuditEntry.objects.filter(action="slot.pinned", actor=scheduler).count() == 1


def test_a_stale_version_is_409_and_an_unplaced_session_400(client, event, scheduler, placed):
    headers = bearer(make_token(scheduler, event, scope="write"))
    waiting = program.talk(event, "Not placed")
    Slot.objects.create(event=event, proposal=waiting)

    stale = _put(client, event, placed.code, {"pinned": True, "version": 7}, headers)
    unplaced = _put(client, event, waiting.code, {"pinned": True, "version": 1}, headers)
    unknown = _put(client, event, "NOPE", {"pinned": True, "version": 1}, headers)

    assert stale.status_code == 409
    assert "Hall A" in stale.json()["detail"]
    assert unplaced.status_code == 400
    assert "place it first" in unplaced.json()["detail"]
    assert unknown.status_code == 404
    assert Slot.objects.get(proposal=placed).pinned is False


def test_pinning_needs_the_schedule_flag_and_a_write_token(client, event, scheduler, placed, reviewer):
    body = {"pinned": True, "version": 1}

    read_only = _put(client, event, placed.code, body, bearer(make_token(scheduler, event)))
    not_a_scheduler = _put(
        client, event, placed.code, body, bearer(make_token(reviewer, event, scope="write"))
    )
    strings = _put(
        client,
        event,
        placed.code,
        {"pinned": "yes", "version": "1"},
        bearer(make_token(scheduler, event, scope="write")),
    )

    assert (read_only.status_code, not_a_scheduler.status_code, strings.status_code) == (403, 403, 422)
    assert Slot.objects.get(proposal=placed).pinned is False


def test_the_same_idempotency_key_pins_once(client, event, scheduler, placed):
    headers = bearer(make_token(scheduler, event, scope="write"))

    first = _put(
        client, event, placed.code, {"pinned": True, "version": 1}, headers, HTTP_IDEMPOTENCY_KEY="pin-1"
    )
    again = _put(
        client, event, placed.code, {"pinned": True, "version": 1}, headers, HTTP_IDEMPOTENCY_KEY="pin-1"
    )

    assert (first.status_code, again.status_code) == (200, 200)
    assert again["Idempotent-Replayed"] == "true"
    assert Slot.objects.get(proposal=placed).version == 2
