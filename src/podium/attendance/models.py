"""What attendees do with the program: stars (favourites), agenda settings, notes, feedback, a calendar
feed, and seats booked at sessions that need one (tutorials)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from podium.events.models import Event
from podium.proposals.models import Proposal


class Star(models.Model):
    """An attendee wants to see a session. Before the schedule exists, stars are the demand signal
    organisers (and the solver) use to keep popular sessions apart and in large rooms."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="stars")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stars")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="stars")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "proposal"], name="star_unique")]
        indexes = [models.Index(fields=["event", "user"], name="star_event_user")]

    def __str__(self):
        return f"{self.user} ☆ {self.proposal_id}"


class AgendaPreference(models.Model):
    """One attendee's settings for one event's agenda: whether they want mail when a starred session
    changes, and the last release they looked at (the agenda page shows the changes since then)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agenda_preferences")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agenda_preferences"
    )
    notify_changes = models.BooleanField(default=False)
    last_seen_version = models.PositiveIntegerField(default=0)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="agenda_preference_unique")]

    def __str__(self):
        return f"{self.user} @ {self.event_id}"


#: The longest note and feedback comment the services accept (characters).
MAX_NOTE_LENGTH = 20_000
MAX_FEEDBACK_COMMENT_LENGTH = 5_000
RATINGS = (1, 2, 3, 4, 5)


class Note(models.Model):
    """An attendee's own notes on one talk, in Markdown. Private unless `shared`, which shows it under the
    talk on its public page with the author's name."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendee_notes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notes")
    # Not `notes`: a proposal's `notes` are the speakers' notes to the organisers.
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="attendee_notes")
    text = models.TextField(max_length=MAX_NOTE_LENGTH)
    shared = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "proposal"], name="note_unique")]
        indexes = [
            models.Index(fields=["event", "user"], name="note_event_user"),
            models.Index(fields=["proposal", "shared"], name="note_proposal_shared"),
        ]

    def __str__(self):
        return f"{self.user} ✎ {self.proposal_id}"


class Feedback(models.Model):
    """One attendee's rating (1 to 5) and comment on a talk that has started. When its author's account
    is erased the feedback stays, anonymous (`user` is then empty; see docs/privacy.md)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="feedback_given"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="feedback")
    rating = models.PositiveSmallIntegerField()
    comment = models.TextField(blank=True, max_length=MAX_FEEDBACK_COMMENT_LENGTH)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="feedback_unique"),
            models.CheckConstraint(
                condition=Q(rating__gte=min(RATINGS), rating__lte=max(RATINGS)), name="feedback_rating_range"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} → {self.proposal_id}: {self.rating}"


class CalendarFeed(models.Model):
    """The secret address of one attendee's calendar of their starred sessions in one event.

    The address carries the row's id and `token` (`key`); whoever holds it reads the calendar without
    logging in. Making a new link replaces the token, so the old address stops working.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="calendar_feeds")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="calendar_feed_unique")]

    def __str__(self):
        return f"{self.user} 📅 {self.event_id}"

    @property
    def key(self) -> str:
        """What the feed's address names: "<id>-<token>"."""
        return f"{self.pk}-{self.token}"


class SeatState(models.TextChoices):
    BOOKED = "booked", _("Seat booked")
    WAITING = "waiting", _("On the waiting list")


class SessionSeats(models.Model):
    """The seats of one session whose type requires a booked seat: the organisers' own capacity for it
    (empty: the smaller of the type's seats and the room's capacity, attendance.seat_queries) and the
    counter of booked seats that concurrent bookers race for.

    `taken` is changed only by one conditional UPDATE each (attendance.seats), so a session is never
    oversold; it always equals the session's bookings in the booked state (seat_queries.seat_count_drift).
    The row is made by the first booking or capacity set; a session without one has no seat taken.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="session_seats")
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="seat_counter")
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("This session's seats; empty: as its type and room say.")
    )
    taken = models.PositiveIntegerField(default=0, editable=False)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name_plural = _("session seats")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="session_seats_capacity_min"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(taken__lte=F("capacity")),
                name="session_seats_never_oversold",
            ),
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.taken} of {self.capacity or 'default'}"


class SeatBooking(models.Model):
    """One attendee's seat at a session, or their place on its waiting list (in order of `created`).

    One per person and session. Cancelling deletes the row; a seat that frees goes to the first person
    waiting whose other seats do not overlap (attendance.seats).
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="seat_bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seat_bookings")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="seat_bookings")
    state = models.CharField(max_length=10, choices=SeatState.choices, default=SeatState.BOOKED)
    created = models.DateTimeField(auto_now_add=True)
    booked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "proposal"], name="seat_booking_unique"),
            models.CheckConstraint(condition=Q(state__in=SeatState.values), name="seat_booking_state_valid"),
            models.CheckConstraint(
                condition=Q(state=SeatState.WAITING) | Q(booked_at__isnull=False),
                name="seat_booking_booked_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["proposal", "state", "created"], name="seat_booking_queue"),
            models.Index(fields=["event", "user"], name="seat_booking_event_user"),
        ]

    def __str__(self):
        return f"{self.user_id} 🪑 {self.proposal_id} ({self.state})"
