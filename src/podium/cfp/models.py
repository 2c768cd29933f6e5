"""An event's own CfP questions and the speakers' answers to them.

A question asks about a proposal (each proposal answers it once) or about the speaker (their speaker
profile of the event answers it once). It may be limited to some tracks or session types (none chosen:
all); a question about the speaker is asked when any of the speaker's proposals is one it applies to.
Answers to questions about the speaker are personal data (podium.privacy); answers about a proposal are
part of the proposal.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from podium.events.models import Event, SessionType, Track
from podium.proposals.models import Proposal, SpeakerProfile


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("One of a list")
    MULTIPLE = "multiple", _("Several of a list")
    FILE = "file", _("File")
    BOOLEAN = "boolean", _("Yes or no")


CHOICE_KINDS = (QuestionKind.CHOICE, QuestionKind.MULTIPLE)


class QuestionTarget(models.TextChoices):
    PROPOSAL = "proposal", _("The proposal")
    SPEAKER = "speaker", _("The speaker (their profile)")


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    IMAGE = "image", _("Image (JPEG, PNG, WebP)")
    TEXT = "text", _("Plain text")


MAX_FILE_MB = 20


def _answer_file_name(instance, filename: str) -> str:
    """A random name: the address of an answer's file cannot be guessed."""
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"cfp-answers/{uuid.uuid4().hex}.{ext}"


class Question(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="cfp_questions")
    target = models.CharField(max_length=10, choices=QuestionTarget.choices, default=QuestionTarget.PROPOSAL)
    label = models.CharField(max_length=300, verbose_name=_("question"))
    help_text = models.CharField(max_length=500, blank=True)
    kind = models.CharField(max_length=10, choices=QuestionKind.choices, default=QuestionKind.TEXT)
    choices = models.JSONField(default=list, blank=True, help_text=_("The answers to choose from."))
    min_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    file_types = models.JSONField(default=list, blank=True, help_text=_("The kinds of file accepted."))
    max_file_mb = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1), MaxValueValidator(MAX_FILE_MB)]
    )
    required = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    visible_to_reviewers = models.BooleanField(default=True)
    tracks = models.ManyToManyField(Track, blank=True, related_name="cfp_questions")
    session_types = models.ManyToManyField(SessionType, blank=True, related_name="cfp_questions")
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "target", "label"], name="cfp_question_label_unique"),
            models.CheckConstraint(condition=Q(kind__in=QuestionKind.values), name="cfp_question_kind_valid"),
            models.CheckConstraint(
                condition=Q(target__in=QuestionTarget.values), name="cfp_question_target_valid"
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=F("max_value")),
                name="cfp_question_range_ordered",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def about_speaker(self) -> bool:
        return self.target == QuestionTarget.SPEAKER


class Answer(models.Model):
    """One answer: of a proposal (to a question about proposals) or of a speaker profile."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.CASCADE, related_name="cfp_answers"
    )
    profile = models.ForeignKey(
        SpeakerProfile, null=True, blank=True, on_delete=models.CASCADE, related_name="cfp_answers"
    )
    # Text, a number, the choice, "yes"/"no"; for several choices, `options` holds them.
    value = models.TextField(blank=True)
    options = models.JSONField(default=list, blank=True)
    file = models.FileField(upload_to=_answer_file_name, blank=True, max_length=200)
    file_name = models.CharField(max_length=200, blank=True, help_text=_("The uploaded file's own name."))
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(proposal__isnull=True) & Q(profile__isnull=False))
                | (Q(proposal__isnull=False) & Q(profile__isnull=True)),
                name="cfp_answer_one_owner",
            ),
            models.UniqueConstraint(
                fields=["question", "proposal"],
                condition=Q(proposal__isnull=False),
                name="cfp_answer_proposal_once",
            ),
            models.UniqueConstraint(
                fields=["question", "profile"],
                condition=Q(profile__isnull=False),
                name="cfp_answer_profile_once",
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.display}"

    @property
    def display(self) -> str:
        """The answer as a person reads it."""
        kind = self.question.kind
        if kind == QuestionKind.MULTIPLE:
            return ", ".join(self.options)
        if kind == QuestionKind.FILE:
            return self.file_name or (self.file.name.rsplit("/", 1)[-1] if self.file else "")
        if kind == QuestionKind.BOOLEAN:
            return {"yes": "Yes", "no": "No"}.get(self.value, "")
        return self.value
