"""Account use cases."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from podium.accounts.models import User
from podium.base import audit
from podium.base.errors import ServiceError
from podium.mail.services import queue_mail


class SignUpError(Exception):
    pass


def _check_language(language: str) -> str:
    if language and language not in dict(settings.LANGUAGES):
        raise ServiceError(_("Choose one of the languages offered."))
    return language


@transaction.atomic
def sign_up(*, email: str, name: str, password: str, language: str = "") -> User:
    """Create an account (`language`: the one chosen before signing up, "" for the browser's).
    Side effects: audit entry."""
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exists():
        raise SignUpError(
            _("An account with this e-mail address exists already. Log in or reset your password.")
        )
    user = User.objects.create_user(
        email=email, name=name.strip(), password=password, language=_check_language(language)
    )
    audit.record(action="account.signed_up", actor=user, target=user)
    return user


@transaction.atomic
def set_language(*, user: User, language: str) -> User:
    """Keep `language` (a code of settings.LANGUAGES; "" for the browser's) as the user's: the site
    and mail to them speak it. No audit entry: a preference of the interface, like a page's sorting."""
    user.language = _check_language(language)
    User.objects.filter(pk=user.pk).update(language=user.language)
    return user


def password_reset_link(user: User) -> str:
    """The reset link, always on PODIUM_BASE_URL (never the Host header of the request)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.BASE_URL + reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )


RESET_MAILS_PER_HOUR = 3
RESET_REQUESTS_PER_ADDRESS_PER_HOUR = 20


def _within_hourly_limit(key: str, limit: int) -> bool:
    """Count one more use of `key` this hour; False once the count passes `limit`."""
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=3600)
        return True


@transaction.atomic
def request_password_reset(*, email: str, client: str | None = None) -> None:
    """Mail a reset link if an active account has this address; say nothing either way.

    `client` is the requester's address (podium.base.clientip): one address may ask for at most
    RESET_REQUESTS_PER_ADDRESS_PER_HOUR resets, so the form cannot be used to mail a list of people.
    Side effects: outbox mail (sent right after commit), at most three an hour per account.
    """
    if client is not None and not _within_hourly_limit(
        f"podium:password-reset:client:{client}", RESET_REQUESTS_PER_ADDRESS_PER_HOUR
    ):
        return
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    if not _within_hourly_limit(f"podium:password-reset:{user.pk}", RESET_MAILS_PER_HOUR):
        return
    queue_mail(
        to=user.email,
        template="password_reset",
        context={"user": user, "link": password_reset_link(user)},
        user=user,
    )
