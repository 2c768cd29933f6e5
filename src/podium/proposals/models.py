"""Speakers and their proposals."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from podium.events.models import AUDIENCE_LEVELS, Event, SessionType, Track, colour_validator
from podium.proposals.enums import ProposalState, new_code
from podium.proposals.links import MAX_URL, validate_links, validate_web_url

#: A session's details besides its content: recording consent, links and addresses. Organisers and
#: imports set them (speakers do not); releases copy them (schedule.snapshot).
SESSION_DETAILS = (
    "subtitle",
    "do_not_record",
    "recording_license",
    "links",
    "attachments",
    "video_url",
    "feedback_url",
    "origin_url",
)


class SpeakerProfile(models.Model):
    """A speaker's public face for one event (bio and photo can differ between events)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speaker_profiles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="speaker_profiles"
    )
    bio = models.TextField(blank=True)
    photo = models.ImageField(upload_to="speakers/", blank=True)
    website = models.URLField(blank=True)
    social = models.CharField(max_length=200, blank=True, help_text=_("e.g. @name@mastodon.social"))
    # The speaker's public code (speaker page URL, exports); never changes.
    code = models.CharField(max_length=16, default=new_code)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="speaker_profile_unique"),
            models.UniqueConstraint(fields=["event", "code"], name="speaker_profile_code_unique"),
        ]

    def __str__(self):
        return str(self.user)


class SpeakerAvailability(models.Model):
    """A window of the speaker's time. Windows that are not `preferred` limit when the speaker can come
    (none of them: any time); `preferred` windows only say when they would rather speak."""

    profile = models.ForeignKey(SpeakerProfile, on_delete=models.CASCADE, related_name="availabilities")
    start = models.DateTimeField()
    end = models.DateTimeField()
    preferred = models.BooleanField(default=False)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="speaker_availability_ordered")
        ]

    def __str__(self):
        span = f"{self.start:%Y-%m-%d %H:%M} to {self.end:%Y-%m-%d %H:%M}"
        return f"{span} (preferred)" if self.preferred else span


class Tag(models.Model):
    """A label the organisers put on proposals to sort them ("needs a mentor", "security"). The team
    sees every tag; the public talk page shows a tag only when it is `public`."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=50)
    colour = models.CharField(max_length=7, default="#6c757d", validators=[colour_validator])
    public = models.BooleanField(default=False, help_text=_("Shown on the public talk pages."))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="proposal_tag_name_unique")]

    def __str__(self):
        return self.name


class Proposal(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="proposals")
    code = models.CharField(max_length=16)
    title = models.CharField(max_length=200)
    abstract = models.TextField(max_length=1000)
    description = models.TextField(blank=True)
    track = models.ForeignKey(
        Track, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals"
    )
    session_type = models.ForeignKey(SessionType, on_delete=models.PROTECT, related_name="proposals")
    audience_level = models.CharField(max_length=20, choices=AUDIENCE_LEVELS, default="beginner")
    language = models.CharField(max_length=10, default="en")
    notes = models.TextField(blank=True, help_text=_("For the organisers only."))
    subtitle = models.CharField(max_length=300, blank=True)
    do_not_record = models.BooleanField(
        default=False,
        verbose_name=_("do not record"),
        help_text=_("The speakers do not consent to recording."),
    )
    recording_license = models.CharField(max_length=200, blank=True, verbose_name=_("recording licence"))
    # [{"title", "url"}], http(s) addresses only (see proposals.links)
    links = models.JSONField(default=list, blank=True, validators=[validate_links])
    attachments = models.JSONField(default=list, blank=True, validators=[validate_links])
    video_url = models.CharField(
        max_length=MAX_URL, blank=True, validators=[validate_web_url], verbose_name=_("video address")
    )
    feedback_url = models.CharField(
        max_length=MAX_URL, blank=True, validators=[validate_web_url], verbose_name=_("feedback address")
    )
    origin_url = models.CharField(
        max_length=MAX_URL,
        blank=True,
        validators=[validate_web_url],
        verbose_name=_("origin address"),
        help_text=_("The session's page in the system it was imported from."),
    )
    # The session's identifier in the system it was imported from (any text, unique in the event);
    # exports give it back where the format allows any text, see docs/formats.md.
    guid = models.CharField(max_length=200, blank=True, verbose_name=_("source guid"))
    state = models.CharField(max_length=20, choices=ProposalState.choices, default=ProposalState.SUBMITTED)
    # A decision taken but not yet sent to the speakers; speakers keep seeing `state` until then.
    pending_state = models.CharField(max_length=20, choices=ProposalState.choices, blank=True, default="")
    speakers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ProposalSpeaker", related_name="proposals"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="proposals")
    submission_key = models.CharField(max_length=64, null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="proposal_code_unique"),
            models.UniqueConstraint(
                fields=["event", "submission_key"],
                condition=Q(submission_key__isnull=False),
                name="proposal_submission_key_unique",
            ),
            models.CheckConstraint(condition=Q(state__in=ProposalState.values), name="proposal_state_valid"),
            models.UniqueConstraint(
                fields=["event", "guid"], condition=~Q(guid=""), name="proposal_guid_unique"
            ),
        ]

    def __str__(self):
        return f"{self.code}: {self.title}"

    @property
    def ordered_speakers(self) -> list:
        """Speakers in their order on the proposal (uses a prefetch of speaker_links__user when present)."""
        return [link.user for link in self.speaker_links.all()]

    @property
    def duration_minutes(self) -> int:
        return self.session_type.duration_minutes


class ProposalSpeaker(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="speaker_links")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="proposal_speaker_unique")]

    def __str__(self):
        return f"{self.user} on {self.proposal_id}"


class CoSpeakerInvite(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.email} → {self.proposal.code}"
