import pytest

from podium.accounts.models import IdempotencyRecord
from podium.base.models import AuditEntry
from podium.schedule.models import Release
from tests import program
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(event, scheduler):
    program.placed_talk(event, "Ready", "Hall A", program.at(event, 10), scheduler)
    return {
        "url": f"/api/v1/orga/events/{event.slug}/releases",
        "secret": make_token(scheduler, event, scope="write"),
    }


def _publish(client, draft, body, key, secret=None):
    return client.post(
        draft["url"], body, "application/json", HTTP_IDEMPOTENCY_KEY=key, **bearer(secret or draft["secret"])
    )


def test_replay_with_the_same_key_returns_the_first_answer_without_running_again(client, event, draft):
    first = _publish(client, draft, {"comment": "Hi"}, "key-1")

    again = _publish(client, draft, {"comment": "Hi"}, "key-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Release.objects.filter(event=event).count() == 1
    assert AuditEntry.objects.filter(action="release.published").count() == 1


def test_refusals_are_replayed_too(client, event, draft):
    _publish(client, draft, {}, "key-1")
    refused = _publish(client, draft, {}, "key-2")

    again = _publish(client, draft, {}, "key-2")

    assert refused.status_code == again.status_code == 400
    assert again.json() == refused.json()


def test_same_key_with_another_body_is_a_422(client, event, draft):
    _publish(client, draft, {"comment": "Hi"}, "key-1")

    reused = _publish(client, draft, {"comment": "Other"}, "key-1")

    assert reused.status_code == 422
    assert "different request" in reused.json()["detail"]
    assert Release.objects.filter(event=event).count() == 1


def test_keys_belong_to_one_token(client, event, scheduler, draft):
    other_secret = make_token(scheduler, event, scope="write")
    _publish(client, draft, {}, "key-1")

    second = _publish(client, draft, {"force": True}, "key-1", secret=other_secret)

    assert second.status_code == 201
    assert Release.objects.filter(event=event).count() == 2


def test_calls_without_a_key_run_every_time(client, event, draft):
    client.post(draft["url"], {}, "application/json", **bearer(draft["secret"]))

    again = client.post(draft["url"], {"force": True}, "application/json", **bearer(draft["secret"]))

    assert again.status_code == 201
    assert not IdempotencyRecord.objects.exists()


def test_malformed_key_is_a_422(client, event, draft):
    response = _publish(client, draft, {}, "x" * 201)

    assert response.status_code == 422
    assert not Release.objects.exists()
