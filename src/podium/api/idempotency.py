"""Idempotent write calls: the `Idempotency-Key` header, per token.

A client that retries a write (after a timeout, say) sends the same key; the first answer (status
and body) is stored and returned again without running the call a second time. The same key with
a different request is refused with 422, so a key cannot be reused by mistake for another change.

The key is claimed before the call runs, by inserting its record (unique per token and key) in the
state "in flight"; a second call with the key while the first runs gets 409 with `Retry-After`, so two
first calls at the same instant never both run. When the call answers, the answer is stored in the
record. A server error or an exception releases the claim (deletes the record), so a retry runs again.
Answers are replayed for `PODIUM_IDEMPOTENCY_HOURS` (24) after the claim; after that, and for a claim
abandoned for `ABANDONED_AFTER` (a process that died mid-call), the key is free again, and
`sweep_expired` deletes such records. Calls without a key or without a valid token are not recorded.

`idempotent` wraps each write operation (`@decorate_view(idempotent)`), after the API has routed the
method: a method the route does not have answers 405 whatever the headers.
"""

import datetime as dt
import hashlib
import json
import re
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone

from podium.accounts.models import ApiToken, IdempotencyRecord, IdempotencyState
from podium.accounts.tokens import hash_secret
from podium.base.cleanup import Removal

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,200}$")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
ABANDONED_AFTER = dt.timedelta(minutes=10)
RETRY_AFTER_SECONDS = 2


def _json(status: int, detail: str) -> HttpResponse:
    return HttpResponse(json.dumps({"detail": detail}), status=status, content_type="application/json")


def _token_id(request) -> int | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return (
        ApiToken.objects.filter(secret_hash=hash_secret(secret.strip()), revoked_at__isnull=True)
        .values_list("pk", flat=True)
        .first()
    )


def _fingerprint(request) -> str:
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), request.body):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()


def lifetime() -> dt.timedelta:
    """How long an answer is replayed (PODIUM_IDEMPOTENCY_HOURS)."""
    return dt.timedelta(hours=settings.PODIUM_IDEMPOTENCY_HOURS)


def _stale(now: dt.datetime) -> Q:
    """Records that no longer hold their key: expired answers and abandoned claims."""
    return Q(state=IdempotencyState.DONE, created__lt=now - lifetime()) | Q(
        state=IdempotencyState.IN_FLIGHT, created__lt=now - ABANDONED_AFTER
    )


def _claim(token_id: int, key: str, fingerprint: str) -> IdempotencyRecord | HttpResponse:
    """The new in-flight record for this call, or the answer for a key that is taken."""
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return IdempotencyRecord.objects.create(
                    token_id=token_id, key=key, request_hash=fingerprint, state=IdempotencyState.IN_FLIGHT
                )
        except IntegrityError:
            pass
        held = IdempotencyRecord.objects.filter(token_id=token_id, key=key)
        if held.filter(_stale(timezone.now())).delete()[0]:
            continue  # expired or abandoned: the key is free again
        record = held.first()
        if record is None:
            continue  # released meanwhile (the other call failed): claim it now
        if record.request_hash != fingerprint:
            return _json(422, "This Idempotency-Key was used for a different request; use a new key.")
        if record.state == IdempotencyState.IN_FLIGHT:
            busy = _json(409, "A call with this Idempotency-Key is still running; retry in a moment.")
            busy["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return busy
        return _replay(record)
    return _json(409, "This Idempotency-Key is changing hands; retry in a moment.")  # pragma: no cover


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _release(record: IdempotencyRecord) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk, state=IdempotencyState.IN_FLIGHT).delete()


def _store(record: IdempotencyRecord, response: HttpResponse) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk, state=IdempotencyState.IN_FLIGHT).update(
        state=IdempotencyState.DONE,
        status_code=response.status_code,
        content_type=response.get("Content-Type", "application/json"),
        body=response.content,
    )


def idempotent(view):
    """Wrap an API operation so that write calls with an Idempotency-Key run at most once per token and key."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if request.method in SAFE_METHODS or key is None:
            return view(request, *args, **kwargs)
        if not KEY_PATTERN.match(key):
            return _json(422, "An Idempotency-Key is 1 to 200 printable ASCII characters.")
        token_id = _token_id(request)
        if token_id is None:
            return view(request, *args, **kwargs)  # refused by the operation's authentication
        claimed = _claim(token_id, key, _fingerprint(request))
        if isinstance(claimed, HttpResponse):
            return claimed
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            _release(claimed)
            raise
        if response.status_code >= 500 or response.streaming:
            _release(claimed)
        else:
            _store(claimed, response)
        return response

    return wrapper


@transaction.atomic
def sweep_expired(*, now: dt.datetime | None = None) -> int:
    """Delete expired answers (older than PODIUM_IDEMPOTENCY_HOURS) and abandoned claims; return how many.

    Side effects: none besides the deletion (the keys become free for new calls).
    """
    deleted, _by_model = IdempotencyRecord.objects.filter(_stale(now or timezone.now())).delete()
    return deleted


def expired_records(*, now: dt.datetime, dry_run: bool) -> list[Removal]:
    """`podium cleanup`'s sweep of idempotency records (expired answers, abandoned claims)."""
    stale = IdempotencyRecord.objects.filter(_stale(now))
    count = stale.count() if dry_run else sweep_expired(now=now)
    if not count:
        return []
    return [Removal(f"{count} API idempotency record(s)", "expired or abandoned")]
