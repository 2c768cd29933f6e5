"""Delivery end to end: a real receiver on 127.0.0.1 checks signatures, fails, redirects and recovers."""

import datetime as dt
import json
import socket
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from podium.webhooks import delivery, services
from podium.webhooks.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests import factories, program

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


def _ping(event, endpoint) -> WebhookDelivery:
    return services.send_ping(event=event, endpoint=endpoint, by=None)


def test_publish_release_delivers_a_signed_body_the_receiver_verifies(
    event, endpoint, receiver, scheduler, verify, django_capture_on_commit_callbacks
):
    program.placed_talk(event, "Signed talk", "Hall A", program.at(event, 10), scheduler)
    WebhookDelivery.objects.all().delete()  # the slot.changed delivery is not what this test is about

    with django_capture_on_commit_callbacks(execute=True):
        release = program.release(event, scheduler, comment="First cut")

    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert verify(endpoint.secret, headers, body)
    assert not verify("another secret", headers, body)
    assert not verify(endpoint.secret, headers, body + b" ")
    document = json.loads(body)
    row = WebhookDelivery.objects.get()
    assert document["id"] == headers["X-Podium-Delivery"] == str(row.pk)
    assert (document["kind"], headers["X-Podium-Event"], document["event"]) == (
        "release.published",
        "release.published",
        event.slug,
    )
    data = document["data"]
    assert (data["version"], data["name"], data["comment"]) == (release.version, "v1", "First cut")
    assert data["counts"] == {"new": 1, "moved": 0, "changed": 0, "cancelled": 0}
    assert [change["title"] for change in data["changes"]] == ["Signed talk"]
    assert data["urls"]["schedule"].endswith(f"/{event.slug}/schedule/")
    assert request["path"] == "/hook?x=1"
    assert (row.status, row.response_code, row.attempts, row.response_body) == (
        DeliveryStatus.DELIVERED,
        200,
        1,
        "answered 200",
    )


def test_verify_snippet_refuses_an_old_timestamp(verify):
    """The documented check stops a recorded request from being replayed later."""
    body = b'{"id":"x"}'
    old = int(time.time()) - 3600
    headers = {"X-Podium-Timestamp": str(old), "X-Podium-Signature": delivery.sign("s3cret", old, body)}
    fresh = int(time.time())
    current = {"X-Podium-Timestamp": str(fresh), "X-Podium-Signature": delivery.sign("s3cret", fresh, body)}

    assert not verify("s3cret", headers, body)
    assert verify("s3cret", current, body)


def test_deliver_retries_with_backoff_after_a_server_error(event, endpoint, receiver, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    receiver.answer(500)
    row = _ping(event, endpoint)
    now = timezone.now()

    assert delivery.deliver(now=now) == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, row.response_code) == (DeliveryStatus.QUEUED, 1, 500)
    assert row.next_attempt_at == now + dt.timedelta(minutes=1)
    assert "answered 500" in row.last_error
    assert row.response_body == "answered 500"

    assert delivery.deliver(now=now + dt.timedelta(seconds=59)) == 0  # not due yet
    assert len(receiver.requests) == 1

    assert delivery.deliver(now=now + dt.timedelta(minutes=1)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.response_code, row.last_error) == (
        DeliveryStatus.DELIVERED,
        2,
        200,
        "",
    )
    first, second = receiver.requests
    assert first["body"] == second["body"]
    assert first["headers"]["X-Podium-Delivery"] == second["headers"]["X-Podium-Delivery"]


def test_deliver_gives_up_after_the_last_backoff(event, endpoint, receiver, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    receiver.answer(*[503] * delivery.MAX_ATTEMPTS)
    row = _ping(event, endpoint)
    now = timezone.now()
    waits = []

    for _ in range(delivery.MAX_ATTEMPTS):
        assert delivery.deliver(now=now) == 0
        row.refresh_from_db()
        if row.next_attempt_at:
            waits.append(row.next_attempt_at - now)
            now = row.next_attempt_at

    assert waits == list(delivery.BACKOFF)
    assert (row.status, row.attempts, row.next_attempt_at) == (DeliveryStatus.FAILED, 6, None)
    assert delivery.deliver(now=now + dt.timedelta(days=7)) == 0
    assert len(receiver.requests) == delivery.MAX_ATTEMPTS


def test_private_address_is_refused_without_the_setting(event, receiver, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = False
    # Saved before the setting changed (the form would refuse it now).
    endpoint = WebhookEndpoint.objects.create(event=event, url=receiver.url, kinds=["release.published"])
    row = _ping(event, endpoint)

    assert delivery.deliver() == 0

    row.refresh_from_db()
    assert receiver.requests == []
    assert row.status == DeliveryStatus.QUEUED
    assert row.response_code is None
    assert row.last_error.startswith("Refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address")


def test_redirect_is_not_followed(event, endpoint, receiver, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    receiver.location = f"http://127.0.0.1:{receiver.port}/elsewhere"
    receiver.answer(302)
    row = _ping(event, endpoint)

    assert delivery.deliver() == 0

    row.refresh_from_db()
    assert [r["path"] for r in receiver.requests] == ["/hook?x=1"]
    assert (row.status, row.response_code) == (DeliveryStatus.QUEUED, 302)
    assert "Redirects are not followed" in row.last_error


def test_request_goes_to_the_checked_address_not_a_second_lookup(event, receiver, allow_private, monkeypatch):
    """A host that resolves elsewhere on a second lookup (DNS rebinding) still gets the checked address."""
    real = socket.getaddrinfo
    answers = iter(["127.0.0.1", "10.9.9.9", "10.9.9.9"])

    def rebinding(host, *args, **kwargs):
        if host == "hooks.test":
            return real(next(answers), *args, **kwargs)
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    url = f"http://hooks.test:{receiver.port}/hook"
    endpoint = WebhookEndpoint.objects.create(event=event, url=url, kinds=["slot.changed"])
    _ping(event, endpoint)

    assert delivery.deliver() == 1
    assert receiver.requests[0]["headers"]["Host"] == f"hooks.test:{receiver.port}"


def test_timeout_is_recorded_and_retried(event, endpoint, settings, monkeypatch):
    """A receiver that accepts the connection but never answers times out."""
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    monkeypatch.setattr(delivery, "TIMEOUT", 0.2)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(url=f"http://127.0.0.1:{silent.getsockname()[1]}/")
    endpoint.refresh_from_db()
    row = _ping(event, endpoint)

    try:
        assert delivery.deliver() == 0
    finally:
        silent.close()

    row.refresh_from_db()
    assert (row.status, row.attempts, row.response_code) == (DeliveryStatus.QUEUED, 1, None)
    assert "timed out" in row.last_error


def test_stale_claim_is_retried_but_fresh_claim_is_not(event, endpoint, receiver, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    fresh, stale = _ping(event, endpoint), _ping(event, endpoint)
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=fresh.pk).update(status=DeliveryStatus.SENDING, claimed_at=now)
    WebhookDelivery.objects.filter(pk=stale.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=now - dt.timedelta(hours=1)
    )

    assert delivery.deliver(now=now) == 1
    assert [r["headers"]["X-Podium-Delivery"] for r in receiver.requests] == [str(stale.pk)]


def test_switched_off_endpoint_gets_nothing_more(event, endpoint, receiver, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    program.talk(event, "Quiet talk", state="accepted")
    row = services.emit(event=event, kind="speaker.confirmed", payload={"code": "X"})[0]
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)

    assert delivery.deliver() == 0

    row.refresh_from_db()
    assert receiver.requests == []
    assert row.status == DeliveryStatus.FAILED
    assert services.emit(event=event, kind="speaker.confirmed", payload={"code": "X"}) == []


def test_deliver_webhooks_command_sends_what_is_due(event, endpoint, receiver, settings, capsys):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    _ping(event, endpoint)

    call_command("deliver_webhooks")

    assert "delivered 1 webhook(s)" in capsys.readouterr().out
    assert len(receiver.requests) == 1


def test_an_unexpected_error_is_recorded_and_the_other_deliveries_still_go(
    event, endpoint, receiver, settings, monkeypatch
):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    broken, fine = _ping(event, endpoint), _ping(event, endpoint)
    real_post = delivery.post

    def post(url, body, headers):
        if headers["X-Podium-Delivery"] == str(broken.pk):
            raise RuntimeError("something unforeseen")
        return real_post(url, body, headers)

    monkeypatch.setattr(delivery, "post", post)

    assert delivery.deliver() == 1

    broken.refresh_from_db()
    assert (broken.status, broken.attempts) == (DeliveryStatus.QUEUED, 1)
    assert broken.last_error == "Internal error: RuntimeError: something unforeseen"
    assert [r["headers"]["X-Podium-Delivery"] for r in receiver.requests] == [str(fine.pk)]
