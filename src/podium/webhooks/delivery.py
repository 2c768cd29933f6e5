"""Send webhook deliveries: sign, POST, record the answer, retry with backoff.

Delivery is at-least-once: a row is claimed (`sending`) before the request and marked after it; a
worker that dies mid-way leaves the claim, which is retried once it has gone stale. Receivers
de-duplicate by the `X-Podium-Delivery` header.
"""

import datetime as dt
import hashlib
import hmac
import http.client
import logging
import socket
import ssl
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from podium.webhooks import netguard
from podium.webhooks.models import DeliveryError, DeliveryStatus, WebhookDelivery

log = logging.getLogger(__name__)
TIMEOUT = 5  # seconds, for connecting and for each read
STALE_CLAIM = dt.timedelta(minutes=10)
# The wait after the 1st, 2nd, ... failed attempt; after the last one the delivery has failed.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
RESPONSE_CHARS = 500
USER_AGENT = "Podium-Webhooks/1"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header value: HMAC-SHA256 of `<timestamp>.<body>` with the endpoint's secret."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def headers_for(delivery: WebhookDelivery, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Podium-Event": delivery.kind,
        "X-Podium-Delivery": str(delivery.pk),
        "X-Podium-Timestamp": str(timestamp),
        "X-Podium-Signature": sign(delivery.endpoint.secret, timestamp, body),
    }


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: a status code and the start of the body, or an error: its DeliveryError
    code (the organiser reads it translated) and the technical detail in English (logged and stored)."""

    code: int | None = None
    body: str = ""
    error: str = ""
    error_code: str = ""
    final: bool = False  # no point in retrying

    @property
    def delivered(self) -> bool:
        return self.code is not None and 200 <= self.code < 300 and not self.error


def _connection(target: netguard.Target) -> http.client.HTTPConnection:
    """A connection to the checked address; the Host header and TLS name stay the URL's host."""
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            target.host, target.port, timeout=TIMEOUT, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=TIMEOUT)

    def connect_pinned(address, timeout, source_address=None):
        return socket.create_connection((target.address, address[1]), timeout, source_address)

    conn._create_connection = connect_pinned  # no second DNS lookup (rebinding)
    return conn


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST once, without following redirects. Refused addresses and network errors are outcomes."""
    try:
        with translation.override(None):  # the detail in English, whoever's request queued it
            target = netguard.check(url)
    except netguard.RefusedAddress as exc:
        return Outcome(error=f"Refused: {exc.message}", error_code=DeliveryError.REFUSED)
    conn = _connection(target)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read(RESPONSE_CHARS * 4).decode("utf-8", "replace")[:RESPONSE_CHARS]
    except (OSError, http.client.HTTPException, ValueError) as exc:  # ValueError: e.g. a bad header
        return Outcome(error=f"{type(exc).__name__}: {exc}"[:2000], error_code=DeliveryError.UNREACHABLE)
    finally:
        conn.close()
    if 300 <= response.status < 400:
        where = response.getheader("Location", "")
        error = f"Redirects are not followed ({where})."
        return Outcome(code=response.status, body=text, error=error, error_code=DeliveryError.REDIRECT)
    if not 200 <= response.status < 300:
        error = f"The receiver answered {response.status}."
        return Outcome(code=response.status, body=text, error=error, error_code=DeliveryError.STATUS)
    return Outcome(code=response.status, body=text)


def _claim(ids, now: dt.datetime) -> list[WebhookDelivery]:
    with transaction.atomic():
        ready = WebhookDelivery.objects.filter(
            Q(status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
            | Q(status=DeliveryStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
        ).filter(attempts__lt=MAX_ATTEMPTS)
        if ids is not None:
            ready = ready.filter(pk__in=ids)
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            ready = ready.select_for_update(skip_locked=True, of=("self",))
        rows = list(ready.select_related("endpoint").order_by("next_attempt_at", "created")[:100])
        WebhookDelivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=DeliveryStatus.SENDING, claimed_at=now
        )
    return rows


def _record(delivery: WebhookDelivery, outcome: Outcome, now: dt.datetime) -> None:
    attempts = delivery.attempts + 1
    fields = {
        "attempts": attempts,
        "last_attempt_at": now,
        "response_code": outcome.code,
        "response_body": outcome.body,
        "last_error": outcome.error,
        "error_code": outcome.error_code,
        "claimed_at": None,
    }
    if outcome.delivered:
        fields |= {"status": DeliveryStatus.DELIVERED, "delivered_at": now, "next_attempt_at": None}
    elif attempts < MAX_ATTEMPTS and not outcome.final:
        fields |= {"status": DeliveryStatus.QUEUED, "next_attempt_at": now + BACKOFF[attempts - 1]}
    else:
        fields |= {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**fields)


def attempt(delivery: WebhookDelivery, *, now: dt.datetime | None = None) -> Outcome:
    """Send one claimed delivery now and record the outcome (delivered, retry later, or failed)."""
    now = now or timezone.now()
    body = delivery.body.encode()
    timestamp = int(timezone.now().timestamp())
    if not delivery.endpoint.is_active and delivery.kind != "ping":
        outcome = Outcome(
            error="The endpoint was switched off before this was sent.",
            error_code=DeliveryError.SWITCHED_OFF,
            final=True,
        )
    else:
        outcome = post(delivery.endpoint.url, body, headers_for(delivery, body, timestamp))
    if outcome.error:
        log.warning("webhook %s to %s: %s", delivery.pk, delivery.endpoint.url, outcome.error)
    _record(delivery, outcome, now)
    return outcome


def deliver(*, ids=None, now: dt.datetime | None = None) -> int:
    """Send the deliveries that are due (all, or the given ids). Returns how many were delivered.

    `now` is the moment to act at (tests pass a later one to reach a retry without waiting).
    """
    now = now or timezone.now()
    delivered = 0
    for row in _claim(ids, now):
        try:
            delivered += attempt(row, now=now).delivered
        except Exception as exc:  # one broken row must not hold up the others; it is retried later
            log.exception("webhook %s could not be attempted", row.pk)
            error = f"Internal error: {type(exc).__name__}: {exc}"[:2000]
            _record(row, Outcome(error=error, error_code=DeliveryError.INTERNAL), now)
    return delivered
