"""Idempotent write calls: the `Idempotency-Key` header, per token.

A client that retries a write (after a timeout, say) sends the same key; the first answer (status
and body) is stored and returned again without running the call a second time. The same key with
a different request is refused with 422, so a key cannot be reused by mistake for another change.

The claim of the key, the call's change and its stored answer are one transaction: the record (unique
per token and key) is inserted before the call runs, the call runs, and its answer is written into the
record before the commit. So whatever happens to the process, a committed change always has its
answer stored (a retry replays it, never runs it twice), and a call that did not finish left nothing
behind, not even its claim (a retry after a `kill -9` runs at once). A server error or an exception
rolls the whole call back, claim included.

A second call with the key while the first runs: on PostgreSQL its insert waits on the first one's
uncommitted record; after `CLAIM_WAIT` it answers 409 with `Retry-After` (and a first call that ends
sooner is replayed). On SQLite write transactions take turns, so the second call waits for the first
and gets its answer replayed. Either way two first calls never both run.

Answers are replayed for `PODIUM_IDEMPOTENCY_HOURS` (24); after that the key is free again, and
`sweep_expired` (run by `podium cleanup`) deletes such records, and any "in flight" record an older
version left behind. Calls without a key or without a valid token are not recorded.

`idempotent` wraps each write operation (`@decorate_view(idempotent)`), after the API has routed the
method: a method the route does not have answers 405 whatever the headers.
"""

import datetime as dt
import hashlib
import json
import re
from functools import wraps

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
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
#: How long (PostgreSQL) a call waits for another call that holds its key before answering 409.
CLAIM_WAIT_MS = 200


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


class _Taken(Exception):
    """The key is held: by a committed record, or (PostgreSQL) by a call still running."""

    def __init__(self, running: bool = False):
        self.running = running


class _Unstored(Exception):
    """The call answered with something not to keep (a server error): roll it back, answer as it did."""

    def __init__(self, response: HttpResponse):
        self.response = response


def _busy() -> HttpResponse:
    busy = _json(409, "A call with this Idempotency-Key is still running; retry in a moment.")
    busy["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return busy


def _claim(token_id: int, key: str, fingerprint: str) -> IdempotencyRecord:
    """Insert the call's record inside the caller's transaction; _Taken when the key is held."""
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{CLAIM_WAIT_MS}ms'")
            # A failed insert rolls its savepoint back, and the SET LOCAL with it.
            record = IdempotencyRecord.objects.create(
                token_id=token_id, key=key, request_hash=fingerprint, state=IdempotencyState.IN_FLIGHT
            )
    except IntegrityError as exc:
        raise _Taken() from exc
    except OperationalError as exc:  # lock_timeout: another call holds the key, uncommitted
        raise _Taken(running=True) from exc
    if connection.vendor == "postgresql":  # the call's own locks wait as long as they always did
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    return record


def _held(token_id: int, key: str, fingerprint: str) -> HttpResponse | None:
    """The answer for a key that is held (None: it was free after all, e.g. expired and now deleted)."""
    held = IdempotencyRecord.objects.filter(token_id=token_id, key=key)
    if held.filter(_stale(timezone.now())).delete()[0]:
        return None  # expired: the key is free again
    record = held.first()
    if record is None:
        return None  # the other call was rolled back meanwhile: claim it now
    if record.request_hash != fingerprint:
        return _json(422, "This Idempotency-Key was used for a different request; use a new key.")
    if record.state == IdempotencyState.IN_FLIGHT:
        return _busy()  # a call further up this very transaction holds it
    return _replay(record)


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def _store(record: IdempotencyRecord, response: HttpResponse) -> None:
    IdempotencyRecord.objects.filter(pk=record.pk).update(
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
        fingerprint = _fingerprint(request)
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    record = _claim(token_id, key, fingerprint)
                    response = view(request, *args, **kwargs)
                    if response.status_code >= 500 or response.streaming:
                        raise _Unstored(response)
                    _store(record, response)
                return response
            except _Unstored as unstored:
                return unstored.response
            except _Taken as taken:
                if taken.running:
                    return _busy()
                answer = _held(token_id, key, fingerprint)
                if answer is not None:
                    return answer
        return _busy()  # pragma: no cover (the key changed hands three times in a row)

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
