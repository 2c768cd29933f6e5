"""The schedule: the draft organisers edit (slots) and the releases the public reads (snapshots).

A slot is a session's place in the draft, or a break. A session keeps one slot for its whole life,
so the slot's UUID and integer id stay the same across releases (exports rely on it). Unscheduling
a session clears its room and time; the slot itself stays.

No two slots may share a room at the same time. The database enforces it: an exclusion constraint
on PostgreSQL and triggers on SQLite (see migrations 0002 and 0006), besides the services' own checks.
The one exception is a fact of an imported source: sessions the file puts in one room at one time
(parallel workshops in one space) are imported as they are, each marked `shares_room`. Two slots may
overlap in a room only when both are marked; the editor flags them (conflicts.room_shared) until an
organiser moves one, and any move through the services clears the mark.

A release copies everything the public sees (titles, speakers, rooms, times, tracks) into rows that
are never changed afterwards, so a page, an export and a feed of the same release always agree.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from podium.events.models import Event, Room
from podium.proposals.models import Proposal


class SlotKind(models.TextChoices):
    SESSION = "session", "Session"
    BREAK = "break", "Break"


class Slot(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="slots")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=SlotKind.choices, default=SlotKind.SESSION)
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="slot"
    )
    title = models.CharField(max_length=200, blank=True, help_text=_("For breaks."))
    # A break without a room applies to every room.
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.PROTECT, related_name="slots")
    start = models.DateTimeField(null=True, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    pinned = models.BooleanField(default=False, help_text=_("Automatic scheduling leaves it where it is."))
    shares_room = models.BooleanField(
        default=False,
        help_text=_("Placed by an import beside other sessions in its room, as the source has them."),
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["start", "room__position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(start__isnull=True) & Q(end__isnull=True))
                | (Q(start__isnull=False) & Q(end__gt=F("start"))),
                name="slot_times_ordered",
            ),
            models.CheckConstraint(
                condition=(Q(kind="session") & Q(proposal__isnull=False))
                | (Q(kind="break") & Q(proposal__isnull=True) & Q(start__isnull=False)),
                name="slot_kind_consistent",
            ),
            models.CheckConstraint(
                condition=Q(kind="break") | Q(start__isnull=True) | Q(room__isnull=False),
                name="slot_session_has_room",
            ),
        ]
        indexes = [models.Index(fields=["event", "start"], name="slot_event_start")]

    def __str__(self):
        what = self.title if self.kind == SlotKind.BREAK else self.proposal_id
        return f"{what} @ {self.start:%Y-%m-%d %H:%M}" if self.start else f"{what} (unscheduled)"

    @property
    def is_placed(self) -> bool:
        return self.start is not None

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60) if self.start else 0


class Release(models.Model):
    """An immutable, numbered snapshot of the public program with its changelog."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="releases")
    version = models.PositiveIntegerField()
    name = models.CharField(max_length=100)
    comment = models.TextField(blank=True, help_text=_("Shown publicly with the changelog."))
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"kind": "new"|"moved"|"changed"|"cancelled", "code", "title", "old", "new", "fields"}], see changelog.py
    changes = models.JSONField(default=list)
    # Rooms and tracks as they were, in display order: [{"id", "uuid", "name", "capacity"}], [{"id", "name", "colour"}]
    rooms = models.JSONField(default=list)
    tracks = models.JSONField(default=list)
    # A digest of everything public in the snapshot: equal digests mean nothing changed.
    fingerprint = models.CharField(max_length=64)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["event", "version"], name="release_version_unique"),
            models.UniqueConstraint(fields=["event", "name"], name="release_name_unique"),
        ]

    def __str__(self):
        return f"{self.event.slug} {self.name}"

    def counts(self) -> dict[str, int]:
        result = {"new": 0, "moved": 0, "changed": 0, "cancelled": 0}
        for change in self.changes:
            result[change["kind"]] += 1
        return result


class ReleasedSession(models.Model):
    """A session or break as published in one release (never updated)."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="sessions")
    slot_uuid = models.UUIDField()
    slot_id = models.PositiveBigIntegerField()
    kind = models.CharField(max_length=10, choices=SlotKind.choices)
    code = models.CharField(max_length=16, blank=True)
    title = models.CharField(max_length=200)
    abstract = models.TextField(blank=True)
    description = models.TextField(blank=True)
    track_id = models.PositiveBigIntegerField(null=True)
    track_name = models.CharField(max_length=120, blank=True)
    track_colour = models.CharField(max_length=7, blank=True)
    room_id = models.PositiveBigIntegerField(null=True)
    room_uuid = models.UUIDField(null=True)
    room_name = models.CharField(max_length=120, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    day = models.DateField(
        help_text=_("The conference day (after-midnight sessions count for the day before).")
    )
    session_type = models.CharField(max_length=120, blank=True)
    language = models.CharField(max_length=10, blank=True)
    audience_level = models.CharField(max_length=20, blank=True)
    # [{"code", "name"}] in the speakers' order on the proposal
    speakers = models.JSONField(default=list)
    # Copied from the proposal (see proposals.models.Proposal); links are [{"title", "url"}].
    guid = models.CharField(
        max_length=200, blank=True, help_text=_("The source's guid of an imported session.")
    )
    subtitle = models.CharField(max_length=300, blank=True)
    do_not_record = models.BooleanField(default=False)
    recording_license = models.CharField(max_length=200, blank=True)
    links = models.JSONField(default=list)
    attachments = models.JSONField(default=list)
    video_url = models.CharField(max_length=500, blank=True)
    feedback_url = models.CharField(max_length=500, blank=True)
    origin_url = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["start", "room_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["release", "slot_uuid"], name="released_session_slot_unique")
        ]
        indexes = [
            models.Index(fields=["release", "day", "start"], name="released_session_day"),
            models.Index(fields=["release", "code"], name="released_session_code"),
        ]

    def __str__(self):
        return f"{self.title} ({self.release})"

    @property
    def duration_minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def is_break(self) -> bool:
        return self.kind == SlotKind.BREAK


class ReleasedSpeaker(models.Model):
    """A speaker's public profile as published in one release."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="speakers")
    code = models.CharField(max_length=16)
    name = models.CharField(max_length=200)
    bio = models.TextField(blank=True)
    photo = models.CharField(max_length=300, blank=True, help_text=_("Path of the photo under MEDIA_URL."))
    website = models.URLField(blank=True)
    social = models.CharField(max_length=200, blank=True)
    session_codes = models.JSONField(default=list)

    class Meta:
        ordering = ["name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["release", "code"], name="released_speaker_code_unique")
        ]

    def __str__(self):
        return self.name
