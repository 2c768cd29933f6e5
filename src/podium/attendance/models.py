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
