"""Delivery end to end: a real receiver on 127.0.0.1 checks signatures, fails, redirects and recovers."""

import datetime as dt
import http.server
import json
import socket
import threading
import time
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from podium.webhooks import delivery, services, tasks
from podium.webhooks.models import DeliveryError, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tests import factories, program
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)
from tests.loopback import serving

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


def _ping(event, endpoint) -> WebhookDelivery:
    return services.send_ping(event=event, endpoint=endpoint, by=None)


@pytest.mark.django_db(transaction=True)  # sent by a background thread: it must see the committed rows
def test_publish_release_delivers_a_signed_body_the_receiver_verifies(
    event, endpoint, receiver, scheduler, verify, settings
):
    settings.PODIUM_BACKGROUND_THREADS = True
    program.placed_talk(event, "Signed talk", "Hall A", program.at(event, 10), scheduler)
    tasks.wait_for_background()
    WebhookDelivery.objects.all().delete()  # the slot.changed delivery is not what this test is about
    receiver.requests.clear()

    release = program.release(event, scheduler, comment="First cut")
    tasks.wait_for_background()

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
    assert row.error_code == DeliveryError.STATUS
    assert row.error_message == "The receiver answered with the status 500."
    assert row.response_body == "answered 500"

    assert delivery.deliver(now=now + dt.timedelta(seconds=59)) == 0  # not due yet
    assert len(receiver.requests) == 1

    assert delivery.deliver(now=now + dt.timedelta(minutes=1)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.response_code, row.last_error, row.error_code) == (
        DeliveryStatus.DELIVERED,
        2,
        200,
        "",
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
    assert row.error_code == DeliveryError.REFUSED
    assert row.error_detail == row.last_error


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_a_refusal_is_recorded_in_english_and_shown_in_the_readers_language(event, receiver, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    settings.PODIUM_WEBHOOKS_ALLOW_PRIVATE = False
    endpoint = WebhookEndpoint.objects.create(event=event, url=receiver.url, kinds=["release.published"])
    row = _ping(event, endpoint)

    with translation.override("de"):  # the language of whoever runs the delivery does not matter
        delivery.deliver()
        row.refresh_from_db()
        shown = row.error_message

    assert row.last_error.startswith("Refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address")
    assert shown.startswith("Die Adresse wurde abgelehnt")


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
    assert row.error_code == DeliveryError.REDIRECT


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
    assert (row.error_code, row.error_detail) == (DeliveryError.UNREACHABLE, row.last_error)


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
    assert (row.status, row.error_code) == (DeliveryStatus.FAILED, DeliveryError.SWITCHED_OFF)
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
    assert broken.error_code == DeliveryError.INTERNAL
    assert [r["headers"]["X-Podium-Delivery"] for r in receiver.requests] == [str(fine.pk)]


@pytest.fixture
def gated_receiver():
    """A receiver that answers only once the test opens its gate (bounded), and says when it was called."""
    called, gate = threading.Event(), threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            called.set()
            gate.wait(30)
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with serving(server):
        yield {"url": f"http://127.0.0.1:{server.server_address[1]}/slow", "called": called, "gate": gate}
        gate.set()


@pytest.mark.django_db(transaction=True)
def test_a_slow_receiver_does_not_hold_up_the_organisers_request(
    event, gated_receiver, client, allow_private, settings
):
    """The ping page answers while the receiver still holds the delivery; it is sent and recorded after."""
    settings.PODIUM_BACKGROUND_THREADS = True
    organiser = factories.team_member(event, is_admin=True, can_edit_event=True)
    endpoint = services.register_endpoint(
        event=event, by=None, url=gated_receiver["url"], kinds=["release.published"]
    )
    client.force_login(organiser)

    response = client.post(reverse("orga:webhook_ping", kwargs={"event": event.slug, "pk": endpoint.pk}))

    assert response.status_code == 302
    row = WebhookDelivery.objects.get(endpoint=endpoint)
    assert row.attempts == 0  # the request answered before any attempt was recorded
    assert gated_receiver["called"].wait(30)  # the delivery is on its way, in the background
    gated_receiver["gate"].set()
    tasks.wait_for_background()
    row.refresh_from_db()
    assert (row.status, row.response_code, row.attempts, row.response_body) == (
        DeliveryStatus.DELIVERED,
        200,
        1,
        "ok",
    )


def test_without_a_broker_deliveries_never_run_in_the_committing_thread(
    event, endpoint, monkeypatch, settings
):
    """After commit, the rows go to a background thread, not to delivery.deliver in the caller."""
    settings.PODIUM_BACKGROUND_THREADS = True
    ran_in = []
    monkeypatch.setattr(
        delivery, "deliver", lambda ids=None, now=None: ran_in.append(threading.current_thread())
    )

    tasks.dispatch(["a-delivery-id"])
    tasks.wait_for_background()

    assert len(ran_in) == 1
    assert ran_in[0] is not threading.current_thread()


def test_with_a_broker_deliveries_go_to_the_worker(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(tasks.deliver_webhooks, "delay", lambda ids=None: sent.append(ids))

    tasks.dispatch([uuid.UUID(int=7)])

    assert sent == [[str(uuid.UUID(int=7))]]
