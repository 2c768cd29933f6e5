"""What attendees do with the program: stars (favourites), agenda settings, notes, feedback and a calendar feed."""

from django.conf import settings
from django.db import models
from django.db.models import Q

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
