import datetime as dt
import threading

import pytest
from django.http import HttpResponse
from django.utils import timezone

from podium.accounts.models import ApiToken, IdempotencyRecord, IdempotencyState
from podium.api.idempotency import sweep_expired
from podium.base.models import AuditEntry
from podium.schedule.models import Release
from tests import program
from tests.api.conftest import bearer, make_token
from tests.races import race

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


# --- Method routing comes first ---------------------------------------------------------------------


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_method_the_route_does_not_have_is_a_405_whatever_the_key(client, event, draft, method):
    _publish(client, draft, {"comment": "Hi"}, "key-1")

    response = getattr(client, method)(
        draft["url"],
        {"comment": "Hi"},
        "application/json",
        HTTP_IDEMPOTENCY_KEY="key-1",
        **bearer(draft["secret"]),
    )
    fresh_key = getattr(client, method)(
        draft["url"], {}, "application/json", HTTP_IDEMPOTENCY_KEY="never-used", **bearer(draft["secret"])
    )

    assert (response.status_code, fresh_key.status_code) == (405, 405)
    assert IdempotencyRecord.objects.count() == 1


def test_every_write_operation_is_idempotent():
    from podium.api.idempotency import idempotent
    from podium.api.main import api

    writes = {
        (method, path)
        for _prefix, router in api._routers
        for path, path_view in router.path_operations.items()
        for operation in path_view.operations
        for method in operation.methods
        if method not in ("GET", "HEAD", "OPTIONS")
        and idempotent not in getattr(operation, "_run_decorators", [])
    }

    assert writes == set()


# --- Expiry -----------------------------------------------------------------------------------------


def _age(**delta):
    IdempotencyRecord.objects.update(created=timezone.now() - dt.timedelta(**delta))


def test_an_expired_answer_is_not_replayed(client, event, draft, settings):
    settings.PODIUM_IDEMPOTENCY_HOURS = 24
    _publish(client, draft, {"force": True}, "key-1")
    _age(hours=25)

    again = _publish(client, draft, {"force": True}, "key-1")

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Release.objects.filter(event=event).count() == 2
    assert IdempotencyRecord.objects.get().created > timezone.now() - dt.timedelta(hours=1)


def test_an_answer_within_its_lifetime_is_replayed(client, event, draft, settings):
    settings.PODIUM_IDEMPOTENCY_HOURS = 24
    _publish(client, draft, {"force": True}, "key-1")
    _age(hours=23)

    again = _publish(client, draft, {"force": True}, "key-1")

    assert again["Idempotent-Replayed"] == "true"
    assert Release.objects.filter(event=event).count() == 1


def test_sweep_deletes_expired_answers_and_abandoned_claims_only(client, event, draft, settings):
    settings.PODIUM_IDEMPOTENCY_HOURS = 2
    now = timezone.now()
    for key in ("old", "fresh"):
        _publish(client, draft, {"force": True}, key)
    IdempotencyRecord.objects.filter(key="old").update(created=now - dt.timedelta(hours=3))
    token = IdempotencyRecord.objects.get(key="fresh").token
    for key, minutes in (("abandoned", 11), ("running", 1)):
        IdempotencyRecord.objects.create(
            token=token, key=key, request_hash="x", state=IdempotencyState.IN_FLIGHT
        )
        IdempotencyRecord.objects.filter(key=key).update(created=now - dt.timedelta(minutes=minutes))

    deleted = sweep_expired(now=now)

    assert deleted == 2
    assert sorted(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh", "running"]


def test_podium_cleanup_sweeps_expired_records_and_dry_run_keeps_them(client, event, draft, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.PODIUM_IDEMPOTENCY_HOURS = 2
    for key in ("old", "fresh"):
        _publish(client, draft, {"force": True}, key)
    IdempotencyRecord.objects.filter(key="old").update(created=timezone.now() - dt.timedelta(hours=3))

    dry = StringIO()
    call_command("cleanup", "--dry-run", stdout=dry)
    assert "Would remove 1 API idempotency record(s)" in dry.getvalue()
    assert IdempotencyRecord.objects.count() == 2

    out = StringIO()
    call_command("cleanup", stdout=out)
    assert "Removed 1 API idempotency record(s) (expired or abandoned)" in out.getvalue()
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh"]


# --- Claims: a key is taken before the call runs ------------------------------------------------------


def test_a_call_while_the_first_is_in_flight_gets_409_with_retry_after(client, event, draft, monkeypatch):
    from podium.schedule import services as schedule_services

    publish = schedule_services.publish_release
    answers = []

    def publish_and_retry_meanwhile(**kwargs):
        answers.append(_publish(client, draft, {"comment": "Hi"}, "key-1"))
        return publish(**kwargs)

    monkeypatch.setattr(schedule_services, "publish_release", publish_and_retry_meanwhile)

    first = _publish(client, draft, {"comment": "Hi"}, "key-1")

    assert (first.status_code, answers[0].status_code) == (201, 409)
    assert answers[0]["Retry-After"] == "2"
    assert "still running" in answers[0].json()["detail"]
    assert Release.objects.filter(event=event).count() == 1


def test_an_abandoned_claim_does_not_block_the_key(client, event, draft):
    token = ApiToken.objects.get()
    IdempotencyRecord.objects.create(
        token=token, key="key-1", request_hash="x", state=IdempotencyState.IN_FLIGHT
    )
    _age(minutes=11)

    response = _publish(client, draft, {"comment": "Hi"}, "key-1")

    assert response.status_code == 201
    assert IdempotencyRecord.objects.get().state == IdempotencyState.DONE


def test_an_exception_releases_the_claim_so_a_retry_runs(client, event, draft, monkeypatch):
    from podium.schedule import services as schedule_services

    publish = schedule_services.publish_release

    def broken(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(schedule_services, "publish_release", broken)
    client.raise_request_exception = False
    failed = _publish(client, draft, {"comment": "Hi"}, "key-1")
    monkeypatch.setattr(schedule_services, "publish_release", publish)

    retried = _publish(client, draft, {"comment": "Hi"}, "key-1")

    assert (failed.status_code, retried.status_code) == (500, 201)
    assert Release.objects.filter(event=event).count() == 1
    assert IdempotencyRecord.objects.get().status_code == 201


def test_a_server_error_answer_releases_the_claim(rf, event, scheduler):
    from podium.api.idempotency import idempotent

    secret = make_token(scheduler, event, scope="write")
    answers = iter([HttpResponse(status=503), HttpResponse(b"ok", status=200)])
    view = idempotent(lambda request: next(answers))

    def call():
        return view(rf.post("/x", b"{}", "application/json", HTTP_IDEMPOTENCY_KEY="k", **bearer(secret)))

    assert [call().status_code, call().status_code, call().status_code] == [503, 200, 200]
    assert IdempotencyRecord.objects.get().status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_first_calls_at_the_same_instant_run_once(event, scheduler, monkeypatch):
    """Both threads claim the key at once; exactly one call runs.

    On PostgreSQL the winner's call waits until the other has answered, so the other always arrives
    while the key is held: it answers 409 after a short wait and never runs. On SQLite, where write
    transactions take turns, the winner waits until the other call has started; the other then waits
    for the winner's commit (or comes after it) and replays its answer.
    """
    from django.db import connection
    from django.test import Client

    from podium.schedule import services as schedule_services

    postgres = connection.vendor == "postgresql"
    program.placed_talk(event, "Ready", "Hall A", program.at(event, 10), scheduler)
    secret = make_token(scheduler, event, scope="write")
    url = f"/api/v1/orga/events/{event.slug}/releases"
    publish = schedule_services.publish_release
    runs = []
    started, answered = threading.Event(), threading.Event()

    def slow_publish(**kwargs):
        runs.append(1)
        (answered if postgres else started).wait(timeout=10)
        return publish(**kwargs)

    monkeypatch.setattr(schedule_services, "publish_release", slow_publish)

    entered = []

    def call():
        entered.append(1)
        if len(entered) == 2:
            started.set()  # both calls are on their way
        response = Client().post(
            url, {"comment": "Hi"}, "application/json", HTTP_IDEMPOTENCY_KEY="same", **bearer(secret)
        )
        answered.set()
        return response

    first, second = race(call, call)

    statuses = sorted([first.status_code, second.status_code])
    if postgres:
        assert statuses == [201, 409]
        busy = first if first.status_code == 409 else second
        assert busy["Retry-After"] == "2"
    else:
        assert statuses == [201, 201]
        assert sorted(r.get("Idempotent-Replayed", "") for r in (first, second)) == ["", "true"]
    assert len(runs) == 1
    assert Release.objects.filter(event=event).count() == 1
    assert list(IdempotencyRecord.objects.values_list("state", "status_code")) == [("done", 201)]


@pytest.mark.django_db(transaction=True)
def test_a_call_that_dies_mid_way_leaves_the_key_free_and_no_change(event, scheduler, monkeypatch):
    """The process dies after the change was written but before the answer: nothing of it stays.

    A change without its stored answer would run again on retry; a claim without its call would
    block the key. Both are one transaction, so the retry runs once, at once.
    """
    from django.test import Client

    from podium.schedule import services as schedule_services

    program.placed_talk(event, "Ready", "Hall A", program.at(event, 10), scheduler)
    secret = make_token(scheduler, event, scope="write")
    url = f"/api/v1/orga/events/{event.slug}/releases"
    publish = schedule_services.publish_release

    class Died(BaseException):
        """Stands for the process being killed: nothing after it runs, no handler answers."""

    def publish_then_die(**kwargs):
        publish(**kwargs)
        raise Died

    monkeypatch.setattr(schedule_services, "publish_release", publish_then_die)
    with pytest.raises(Died):
        Client().post(url, {"comment": "Hi"}, "application/json", HTTP_IDEMPOTENCY_KEY="k", **bearer(secret))
    assert Release.objects.filter(event=event).count() == 0
    assert not IdempotencyRecord.objects.exists()

    monkeypatch.setattr(schedule_services, "publish_release", publish)
    retried = Client().post(
        url, {"comment": "Hi"}, "application/json", HTTP_IDEMPOTENCY_KEY="k", **bearer(secret)
    )
    again = Client().post(
        url, {"comment": "Hi"}, "application/json", HTTP_IDEMPOTENCY_KEY="k", **bearer(secret)
    )
    assert (retried.status_code, again.status_code, again["Idempotent-Replayed"]) == (201, 201, "true")
    assert Release.objects.filter(event=event).count() == 1
