"""What interop remembers between imports: which object an imported record became."""

from django.db import models

from podium.events.models import Event


class ImportedKey(models.Model):
    """One record of an imported file (a session, room, track, session type or person) and the object
    it created, so importing the file again updates that object instead of making a second one.

    `source_key` is the source's own identity: guid, else id, else code (or the name for records
    that have nothing else, like rooms in most files).
    """

    class Kind(models.TextChoices):
        SESSION = "session", "Session"
        ROOM = "room", "Room"
        TRACK = "track", "Track"
        SESSION_TYPE = "session_type", "Session type"
        SPEAKER = "speaker", "Speaker"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="imported_keys")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    source_key = models.CharField(max_length=300)
    object_id = models.PositiveBigIntegerField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "kind", "source_key"], name="imported_key_unique")
        ]

    def __str__(self):
        return f"{self.event_id} {self.kind} {self.source_key} → {self.object_id}"
