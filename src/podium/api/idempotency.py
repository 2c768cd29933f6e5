"""Idempotent write calls: the `Idempotency-Key` header, per token.

A client that retries a write (after a timeout, say) sends the same key; the first answer (status
and body) is stored and returned again without running the call a second time. The same key with
a different request is refused with 422, so a key cannot be reused by mistake for another change.
Calls without a key, without a valid token, or that failed with a server error are not stored.
"""

import hashlib
import json
import re
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpResponse

from podium.accounts.models import ApiToken, IdempotencyRecord
from podium.accounts.tokens import hash_secret

HEADER = "Idempotency-Key"
KEY_PATTERN = re.compile(r"^[\x21-\x7e]{1,200}$")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


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


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(view):
    """Wrap an API view so that write calls with an Idempotency-Key run at most once per token and key."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if request.method in SAFE_METHODS or key is None:
            return view(request, *args, **kwargs)
        if not KEY_PATTERN.match(key):
            return _json(422, "An Idempotency-Key is 1 to 200 printable ASCII characters.")
        token_id = _token_id(request)
        if token_id is None:
            return view(request, *args, **kwargs)
        fingerprint = _fingerprint(request)
        record = IdempotencyRecord.objects.filter(token_id=token_id, key=key).first()
        if record is not None:
            return _answer_again(record, fingerprint)
        response = view(request, *args, **kwargs)
        if response.status_code >= 500 or response.streaming:
            return response
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(
                    token_id=token_id,
                    key=key,
                    request_hash=fingerprint,
                    status_code=response.status_code,
                    content_type=response.get("Content-Type", "application/json"),
                    body=response.content,
                )
        except IntegrityError:
            # A concurrent call with the same key stored its answer first: that one is the answer.
            return _answer_again(IdempotencyRecord.objects.get(token_id=token_id, key=key), fingerprint)
        return response

    return wrapper


def _answer_again(record: IdempotencyRecord, fingerprint: str) -> HttpResponse:
    if record.request_hash != fingerprint:
        return _json(422, "This Idempotency-Key was used for a different request; use a new key.")
    return _replay(record)
