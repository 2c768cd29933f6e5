"""The user: one account per e-mail address, used by every role."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # The language of the interface and of mail to this person (one of settings.LANGUAGES); blank: the
    # browser's on the site, the event's default language in mail.
    language = models.CharField(_("language"), max_length=10, blank=True, choices=settings.LANGUAGES)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name or self.email

    def get_short_name(self):
        return self.name or self.email


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    WRITE = "write", _("Read and write")
    # Check-in devices: read the attendee list of their events and check tickets in, nothing else.
    CHECKIN = "checkin", _("Check-in device (attendee list and check-ins only)")


class ApiToken(models.Model):
    """A secret that lets a program act as its user in the REST API, within some events of one organiser.

    Only the SHA-256 of the secret is stored; the secret itself is shown once, when the token is made.
    The token never grants more than its user's team flags allow, "read" tokens never change data, and
    "checkin" tokens only read the attendee list and check tickets in.
    """

    organiser = models.ForeignKey("events.Organiser", on_delete=models.CASCADE, related_name="api_tokens")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    events = models.ManyToManyField("events.Event", related_name="api_tokens")
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    secret_hash = models.CharField(max_length=64, unique=True)
    # The first characters of the secret, so people can tell their tokens apart.
    prefix = models.CharField(max_length=12)
    created = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE


class IdempotencyState(models.TextChoices):
    IN_FLIGHT = "in_flight", _("In flight")  # claimed by a call that is running
    DONE = "done", _("Done")  # the call's answer, replayed until the record expires


class IdempotencyRecord(models.Model):
    """A write call made with an Idempotency-Key: claimed before it runs, then its answer, replayed for the
    same key and token until it expires (podium.api.idempotency)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="idempotency_records")
    key = models.CharField(max_length=200)
    # SHA-256 of method, path and body: the same key with another request is refused.
    request_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=IdempotencyState.choices, default=IdempotencyState.DONE)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)  # none while in flight
    content_type = models.CharField(max_length=100, blank=True, default="")
    body = models.BinaryField(default=b"")
    # When the call claimed the key: claims and answers expire counting from here.
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_unique"),
            models.CheckConstraint(
                condition=models.Q(state__in=["in_flight", "done"]), name="idempotency_state_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(state="in_flight") | models.Q(status_code__isnull=False),
                name="idempotency_done_has_status",
            ),
        ]

    def __str__(self):
        return f"{self.key} → {self.status_code or self.state}"
