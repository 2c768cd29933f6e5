"""Webhook use cases: manage an event's endpoints, and emit deliveries to the outbox.

`emit` is called by the domain services inside the transaction of the change it reports, so a
change that is rolled back leaves no delivery, and a delivery never describes a change that did not
happen. Sending happens after commit and outside the request: a worker or a background thread
(tasks.py) posts them (delivery.py), so a slow receiver never holds up the change.
"""

import json
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.base import audit
from podium.base.errors import ServiceError, StaleEdit
from podium.events.models import Event
from podium.events.rules import check_can_edit_event
from podium.webhooks import netguard
from podium.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookKind, new_secret

PING = "ping"


def _clean(url: str, kinds) -> tuple[str, list[str]]:
    url = (url or "").strip()
    if not url:
        raise ServiceError(_("Enter the URL the events are sent to."), field="url")
    if len(url) > 500:
        raise ServiceError(_("A webhook URL has at most 500 characters."), field="url")
    netguard.check(url)
    kinds = [kind for kind in WebhookKind.values if kind in set(kinds or ())]
    unknown = set(kinds or ()) - set(WebhookKind.values)
    if unknown:
        raise ServiceError(
            _("Unknown event kind: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))}, field="kinds"
        )
    if not kinds:
        raise ServiceError(_("Choose at least one kind of event to send."), field="kinds")
    return url, kinds


@transaction.atomic
def register_endpoint(*, event: Event, by, url: str, kinds, is_active: bool = True) -> WebhookEndpoint:
    """Add an endpoint with a new secret. Refused for a URL that is not http(s) or whose host does not
    resolve to public addresses (unless private ones are allowed), and when `by` may not edit the event
    (None: an operator on the command line). Side effects: audit entry."""
    check_can_edit_event(by, event)
    url, kinds = _clean(url, kinds)
    endpoint = WebhookEndpoint.objects.create(event=event, url=url, kinds=kinds, is_active=is_active)
    audit.record(
        action="webhook.registered", actor=by, target=endpoint, event_id=event.pk, url=url, kinds=kinds
    )
    return endpoint


def _locked(event: Event, endpoint: WebhookEndpoint, version: int | None, by) -> WebhookEndpoint:
    """The endpoint of `event`, locked, once `by` is known to be allowed to manage the event's webhooks."""
    check_can_edit_event(by, event)
    locked = WebhookEndpoint.objects.select_for_update().filter(event=event, pk=endpoint.pk).first()
    if locked is None:
        raise ServiceError(_("This webhook was deleted meanwhile."))
    if version is not None and locked.version != version:
        raise StaleEdit(
            _("Someone else changed this webhook since you opened it; here is what is stored now.")
        )
    return locked


@transaction.atomic
def update_endpoint(
    *,
    event: Event,
    endpoint: WebhookEndpoint,
    by,
    url: str,
    kinds,
    is_active: bool,
    version: int | None = None,
) -> WebhookEndpoint:
    """Change an endpoint's URL, kinds or active flag (the secret stays); refused when `by` may not edit
    the event. Side effects: audit entry."""
    locked = _locked(event, endpoint, version, by)
    url, kinds = _clean(url, kinds)
    WebhookEndpoint.objects.filter(pk=locked.pk).update(
        url=url, kinds=kinds, is_active=is_active, version=F("version") + 1, updated=timezone.now()
    )
    locked.refresh_from_db()
    audit.record(
        action="webhook.updated",
        actor=by,
        target=locked,
        event_id=event.pk,
        url=url,
        kinds=kinds,
        active=is_active,
    )
    return locked


@transaction.atomic
def rotate_secret(*, event: Event, endpoint: WebhookEndpoint, by) -> WebhookEndpoint:
    """Replace the signing secret; deliveries signed from now on use the new one. Refused when `by` may
    not edit the event. Side effects: audit entry (without the secret)."""
    locked = _locked(event, endpoint, None, by)
    WebhookEndpoint.objects.filter(pk=locked.pk).update(
        secret=new_secret(), version=F("version") + 1, updated=timezone.now()
    )
    locked.refresh_from_db()
    audit.record(action="webhook.secret_rotated", actor=by, target=locked, event_id=event.pk)
    return locked


@transaction.atomic
def delete_endpoint(*, event: Event, endpoint: WebhookEndpoint, by) -> None:
    """Remove an endpoint and its delivery log; refused when `by` may not edit the event. Side effects:
    audit entry."""
    locked = _locked(event, endpoint, None, by)
    url = locked.url
    locked.delete()
    audit.record(action="webhook.deleted", actor=by, event_id=event.pk, url=url)


def _body(*, delivery_id: uuid.UUID, event: Event, kind: str, payload: dict, created) -> str:
    envelope = {
        "id": str(delivery_id),
        "kind": kind,
        "event": event.slug,
        "created": created.isoformat(),
        "data": payload,
    }
    return json.dumps(envelope, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def _write(*, event: Event, endpoint: WebhookEndpoint, kind: str, payload: dict, now) -> WebhookDelivery:
    delivery_id = uuid.uuid4()
    return WebhookDelivery.objects.create(
        id=delivery_id,
        endpoint=endpoint,
        event=event,
        kind=kind,
        body=_body(delivery_id=delivery_id, event=event, kind=kind, payload=payload, created=now),
        created=now,
        next_attempt_at=now,
    )


def _deliver_after_commit(ids: list) -> None:
    """After commit, hand the rows to the worker or a background thread (never sent in the request)."""
    if settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT and ids:
        from podium.webhooks.tasks import dispatch

        transaction.on_commit(lambda: dispatch(ids))


def emit(*, event: Event, kind: str, payload: dict) -> list[WebhookDelivery]:
    """Write one delivery per active endpoint of `event` subscribed to `kind`, in the caller's
    transaction; they are sent after it commits, in the background (or by `podium deliver_webhooks`).

    One query when nobody listens. Side effects: outbox rows.
    """
    if kind not in WebhookKind.values:
        raise ValueError(f"unknown webhook kind {kind!r}")
    endpoints = [e for e in WebhookEndpoint.objects.filter(event=event, is_active=True) if kind in e.kinds]
    now = timezone.now()
    rows = [_write(event=event, endpoint=e, kind=kind, payload=payload, now=now) for e in endpoints]
    _deliver_after_commit([row.pk for row in rows])
    return rows


@transaction.atomic
def send_ping(*, event: Event, endpoint: WebhookEndpoint, by) -> WebhookDelivery:
    """Queue a test delivery (kind "ping") to one endpoint, whatever it subscribes to; refused when `by`
    may not edit the event.

    Side effects: an outbox row, sent after commit in the background like any other delivery.
    """
    locked = _locked(event, endpoint, None, by)
    now = timezone.now()
    row = WebhookDelivery.objects.create(
        id=(delivery_id := uuid.uuid4()),
        endpoint=locked,
        event=event,
        kind=PING,
        body=_body(
            delivery_id=delivery_id,
            event=event,
            kind=PING,
            payload={"message": "Hello from Podium."},
            created=now,
        ),
        created=now,
        next_attempt_at=now,
    )
    _deliver_after_commit([row.pk])
    return row
