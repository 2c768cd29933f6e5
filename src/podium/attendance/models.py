"""What attendees do with the program: stars (favourites) for now."""

from django.conf import settings
from django.db import models

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
