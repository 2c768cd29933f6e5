"""API tokens: making, revoking and recognising them.

A token acts as its user: every API call is limited by the user's team flags in the event, by the
events the token names and by its scope. The secret is shown once; only its SHA-256 is stored.
"""

import hashlib
import logging
import secrets

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.accounts.models import ApiToken, TokenScope
from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError
from podium.events.rules import events_with_permissions, is_organiser_admin

SECRET_PREFIX = "pod_"  # noqa: S105 - a marker that makes leaked tokens easy to spot
PREFIX_LENGTH = 10
# Writing last_used_at at most this often keeps busy scripts from writing on every call.
LAST_USED_RESOLUTION = 60

log = logging.getLogger(__name__)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_events(user, organiser):
    """The organiser's events a token of `user` may name: those where the user has a team permission."""
    return events_with_permissions(user, organiser)


@transaction.atomic
def create_api_token(*, user, organiser, name: str, events, scope: str) -> tuple[ApiToken, str]:
    """Make a token for `user` in some events of `organiser`; returns (token, secret).

    The secret is returned once and never stored. Refused for events of another organiser or
    where the user has no team permission. Side effects: audit entry.
    """
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("Give the token a name, e.g. the script that will use it."), field="name")
    if len(name) > 100:
        raise ServiceError(_("A token name has at most 100 characters."), field="name")
    if scope not in TokenScope.values:
        raise ServiceError(_("A token reads, reads and writes, or checks people in."), field="scope")
    events = list(events)
    if not events:
        raise ServiceError(_("Choose at least one event."), field="events")
    allowed = {event.pk for event in token_events(user, organiser)}
    if any(event.pk not in allowed for event in events):
        raise NotAllowed(_("You may only make tokens for events of this organiser you work on."))
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organiser=organiser,
        user=user,
        name=name,
        scope=scope,
        secret_hash=hash_secret(secret),
        prefix=secret[:PREFIX_LENGTH],
    )
    token.events.set(events)
    audit.record(
        action="api_token.created",
        actor=user,
        target=token,
        name=name,
        scope=scope,
        events=sorted(event.slug for event in events),
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, token: ApiToken, by) -> ApiToken:
    """Stop a token from working, for good. Its owner or an organiser admin may. Side effects: audit entry."""
    if token.user_id != by.pk and not is_organiser_admin(by, token.organiser):
        raise NotAllowed(_("You may not revoke this token."))
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is None:
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(action="api_token.revoked", actor=by, target=locked, name=locked.name)
    return locked


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token with this secret, its user active, or None. Notes when it was last used."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user", "organiser")
        .filter(secret_hash=hash_secret(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() >= LAST_USED_RESOLUTION:
        _note_use(token, now)
    return token


def _note_use(token: ApiToken, now) -> None:
    """Stamp `last_used_at`. The stamp is advisory: a database too busy to take it (SQLite's "database
    is locked") skips it, and the call goes on; the next call a minute later tries again. Its own
    transaction takes its turn among the other writes (podium.base.sqlitedb), or is a savepoint when
    the caller has one open, so a failed stamp never breaks the caller's transaction."""
    try:
        with transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    except OperationalError as exc:
        log.warning("API token %s: last use not noted, the database was busy: %s", token.prefix, exc)
        return
    token.last_used_at = now
