"""The tenant and the set-up of an event: organisers, events, teams, rooms, tracks, session types."""

import datetime as dt
import functools
import uuid
import zoneinfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from podium.base.translated import TranslatedCharField, TranslatedTextField

slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{1,48}$",
    _("Use 2–49 lowercase letters, digits and hyphens."),  # noqa: RUF001
)
colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f6feb."))

# Event slugs share the root of the URL space with these paths (see podium/urls.py).
RESERVED_SLUGS = frozenset(
    {"orga", "accounts", "media", "static", "api", "healthz", "readyz", "metrics", "admin"}
)

DEFAULT_SCORE_LABELS = [[0, "No"], [1, "Rather not"], [2, "Rather yes"], [3, "Yes, must have"]]
AUDIENCE_LEVELS = [
    ("beginner", _("Beginner")),
    ("intermediate", _("Intermediate")),
    ("advanced", _("Advanced")),
]
DEFAULT_LANGUAGES = [["en", "English"]]
MAX_PAUSE_MINUTES = 240


@functools.cache
def timezone_names() -> tuple[str, ...]:
    """The IANA time zone names an event may use, sorted (read once per process)."""
    return tuple(sorted(zoneinfo.available_timezones()))


def default_score_labels():
    return [list(pair) for pair in DEFAULT_SCORE_LABELS]


def default_languages():
    return [list(pair) for pair in DEFAULT_LANGUAGES]


class Organiser(models.Model):
    """The organisation running one or more events; owns the teams."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=50, unique=True, validators=[slug_validator])

    def __str__(self):
        return self.name


class Event(models.Model):
    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="events")
    # The name and the description (the CfP text) are the main text; `_de` and `_fr` are their
    # translations, shown to readers of those languages when given (podium.base.translated).
    name = TranslatedCharField(max_length=200)
    name_de = models.CharField(max_length=200, blank=True)
    name_fr = models.CharField(max_length=200, blank=True)
    slug = models.SlugField(max_length=50, unique=True, validators=[slug_validator])
    timezone = models.CharField(max_length=64, default="UTC")
    date_from = models.DateField()
    date_to = models.DateField()
    day_start_hour = models.PositiveSmallIntegerField(
        default=4,
        validators=[MaxValueValidator(23)],
        help_text=_("Sessions before this hour belong to the previous conference day."),
    )
    cfp_opens = models.DateTimeField(null=True, blank=True)
    cfp_closes = models.DateTimeField(null=True, blank=True)
    anonymise_review = models.BooleanField(default=False)
    score_labels = models.JSONField(default=default_score_labels)
    languages = models.JSONField(default=default_languages)
    is_public = models.BooleanField(default=True)
    show_accepted_talks = models.BooleanField(
        default=False,
        help_text=_("Before the first release, list the accepted talks publicly so attendees can star them."),
    )
    contact_email = models.EmailField(blank=True)
    description = TranslatedTextField(blank=True)
    description_de = models.TextField(blank=True)
    description_fr = models.TextField(blank=True)
    # Mail goes out in this language to people who have not chosen theirs (accounts.User.language).
    default_language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("Mail goes out in this language to people who have not chosen theirs."),
    )
    campaign_self_approval = models.BooleanField(
        default=False,
        help_text=_(
            "A team member who may approve mail campaigns may approve their own; otherwise another must."
        ),
    )
    publish_unconfirmed = models.BooleanField(
        default=False,
        help_text=_(
            "Also publish accepted sessions whose speakers have not confirmed yet. "
            "Otherwise releases hold only confirmed sessions, as the acceptance mail says."
        ),
    )
    min_pause_minutes = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(MAX_PAUSE_MINUTES)],
        help_text=_("The least time a speaker gets between two of their sessions on one day."),
    )
    # The weights of the automatic scheduling's soft goals last chosen in the editor (term -> number);
    # the next run starts from them. Empty: the engine's defaults.
    solver_weights = models.JSONField(default=dict, blank=True)
    # Branding (events.branding): shown on the public pages, the embeddable widget and the PDFs. The
    # images are re-encoded on upload (base.uploads); the colour is checked against white text (WCAG AA).
    brand_colour = models.CharField(
        max_length=7,
        blank=True,
        validators=[colour_validator],
        help_text=_("The event's primary colour (like #1f6feb); white text must be readable on it."),
    )
    logo = models.ImageField(upload_to="events/logos/", blank=True)
    header_image = models.ImageField(upload_to="events/headers/", blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-date_from", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(date_to__gte=F("date_from")), name="event_dates_ordered"),
            models.CheckConstraint(
                condition=Q(min_pause_minutes__lte=MAX_PAUSE_MINUTES), name="event_min_pause_range"
            ),
            models.CheckConstraint(
                condition=Q(cfp_opens__isnull=True)
                | Q(cfp_closes__isnull=True)
                | Q(cfp_closes__gt=F("cfp_opens")),
                name="event_cfp_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def cfp_is_open(self) -> bool:
        now = timezone.now()
        if self.cfp_opens and now < self.cfp_opens:
            return False
        return not (self.cfp_closes and now >= self.cfp_closes)

    @property
    def score_values(self) -> list[int]:
        return [int(value) for value, _ in self.score_labels]

    @property
    def score_label_map(self) -> dict[int, str]:
        return {int(value): label for value, label in self.score_labels}

    @property
    def language_map(self) -> dict[str, str]:
        return {code: label for code, label in self.languages}  # noqa: C416 - pairs are lists, not tuples

    def conference_day(self, moment: dt.datetime) -> dt.date:
        """The conference day a moment belongs to (after-midnight sessions count for the day before)."""
        local = moment.astimezone(self.tz)
        return (local - dt.timedelta(hours=self.day_start_hour)).date()

    def day_range(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The moments [start, end) that make up one conference day (from day_start_hour to the next)."""
        start = dt.datetime.combine(day, dt.time(self.day_start_hour), tzinfo=self.tz)
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(self.day_start_hour), tzinfo=self.tz)
        return start, end

    @property
    def days(self) -> list[dt.date]:
        count = (self.date_to - self.date_from).days + 1
        return [self.date_from + dt.timedelta(days=i) for i in range(count)]


class Team(models.Model):
    """A group of people with permission flags, optionally limited to some events and tracks."""

    organiser = models.ForeignKey(Organiser, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=120)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    is_admin = models.BooleanField(default=False, help_text=_("Manages the organiser's teams and events."))
    can_edit_event = models.BooleanField(
        default=False, help_text=_("Set up the event, manage proposals, decide.")
    )
    can_review = models.BooleanField(default=False)
    can_schedule = models.BooleanField(default=False)
    can_draft_mail = models.BooleanField(
        default=False, help_text=_("Write mail templates, audiences and campaigns (not send them).")
    )
    can_approve_mail = models.BooleanField(default=False, help_text=_("Approve campaigns others drafted."))
    can_send_mail = models.BooleanField(default=False)
    can_check_in = models.BooleanField(default=False)
    can_manage_sponsors = models.BooleanField(default=False)
    can_issue_letters = models.BooleanField(
        default=False, help_text=_("See visa letter requests (passport data) and decide them.")
    )
    all_events = models.BooleanField(default=True)
    limit_events = models.ManyToManyField(Event, blank=True, related_name="teams")
    limit_tracks = models.ManyToManyField("Track", blank=True, related_name="teams")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organiser", "name"], name="team_name_unique")]

    def __str__(self):
        return self.name


class TeamInvite(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.email} → {self.team}"


class Room(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rooms")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=300, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="room_name_unique")]

    def __str__(self):
        return self.name


class RoomAvailability(models.Model):
    """A window in which the room can be used. A room without windows is available all event long."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="availabilities")
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="room_availability_ordered")
        ]

    def __str__(self):
        return f"{self.room}: {self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M} UTC"


class Track(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tracks")
    name = models.CharField(max_length=120)
    colour = models.CharField(max_length=7, default="#1f6feb", validators=[colour_validator])
    description = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="track_name_unique")]

    def __str__(self):
        return self.name


class SessionType(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="session_types")
    name = models.CharField(max_length=120)
    duration_minutes = models.PositiveIntegerField(
        validators=[MinValueValidator(5), MaxValueValidator(24 * 60)]
    )
    is_plenary = models.BooleanField(default=False, help_text=_("Runs alone: nothing else at the same time."))
    # The rooms suited to this type (a tutorial room with tables and power); none chosen means any room.
    rooms = models.ManyToManyField(Room, blank=True, related_name="session_types")
    # Sessions of the type are booked seat by seat (tutorials and workshops sold apart from the main
    # ticket; attendance.seats). A session has the smaller of `seats` and its room's capacity, unless
    # the organisers give it its own (attendance.SessionSeats.capacity).
    requires_seat = models.BooleanField(
        default=False, help_text=_("Attendees book a seat in advance; the seats are limited.")
    )
    seats = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Seats per session, when a seat is required (a smaller room has fewer)."),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["duration_minutes", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="session_type_name_unique"),
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="session_type_duration_min"),
            models.CheckConstraint(
                condition=Q(requires_seat=False) | Q(seats__isnull=False, seats__gte=1),
                name="session_type_seats_when_required",
                violation_error_message=_("Give the number of seats a session of this type has."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.duration_minutes} min)"


# The first path segments of the site's own pages under /<event>/ (site/urls.py and cfp/urls.py): an
# information page may not take one as its short name, so its address never reads like one of them.
# tests/site/test_urls.py keeps this list in step with the URL configuration.
RESERVED_PAGE_SLUGS = frozenset(
    {
        "agenda",
        "branding",
        "cfp",
        "confirm",
        "invite",
        "letter",
        "letters",
        "live",
        "me",
        "notes",
        "orders",
        "pages",
        "releases",
        "rooms",
        "schedule",
        "speaker",
        "speakers",
        "sponsors",
        "stars",
        "talk",
        "talks",
        "tickets",
        "tracks",
        "widget",
    }
)
page_slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Use lowercase letters, digits and single hyphens between them.")
)


class PageState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("page state", "Draft")
    PUBLISHED = "published", pgettext_lazy("page state", "Published")


class Page(models.Model):
    """An information page of the event (venue, travel, code of conduct, FAQ), written in Markdown.

    Only a published page is public: the site lists it in its navigation by `position`, then title.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pages")
    # The main text; `_de` and `_fr` translate it (podium.base.translated).
    title = TranslatedCharField(max_length=120)
    title_de = models.CharField(max_length=120, blank=True)
    title_fr = models.CharField(max_length=120, blank=True)
    slug = models.SlugField(max_length=80, validators=[page_slug_validator])
    body = TranslatedTextField(blank=True)
    body_de = models.TextField(blank=True)
    body_fr = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)
    state = models.CharField(max_length=16, choices=PageState.choices, default=PageState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="page_slug_unique"),
            models.CheckConstraint(condition=Q(state__in=PageState.values), name="page_state_valid"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.state == PageState.PUBLISHED
