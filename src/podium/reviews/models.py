from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from podium.events.models import Event
from podium.proposals.models import Proposal


class ReviewPhase(models.TextChoices):
    OPEN = "open", _("Reviews open")
    CLOSED = "closed", _("Reviews closed")
    DECISIONS = "decisions", _("Decisions")


class ReviewSettings(models.Model):
    """How an event reviews: its phase, whether reviewers see only what was assigned to them, and how
    many reviews the automatic assignment gives each proposal. An event without a row has the defaults."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="review_settings")
    phase = models.CharField(max_length=20, choices=ReviewPhase.choices, default=ReviewPhase.OPEN)
    assignment_only = models.BooleanField(
        default=False,
        verbose_name=_("assignment-only"),
        help_text=_(
            "Reviewers see (queue, proposal pages, API, search) only the proposals assigned to them."
        ),
    )
    reviews_per_proposal = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    version = models.PositiveIntegerField(default=1)

    def __str__(self):
        return f"Review settings of {self.event}"


class Criterion(models.Model):
    """One scored aspect of a proposal (relevance, clarity, …); a review scores each of the event's
    criteria on the criterion's own scale, and its overall score is their weighted mean."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="review_criteria")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True, max_length=1000)
    weight = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    min_score = models.SmallIntegerField(default=0, validators=[MinValueValidator(0), MaxValueValidator(1)])
    max_score = models.SmallIntegerField(default=4, validators=[MinValueValidator(1), MaxValueValidator(10)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="criterion_name_unique")]

    def __str__(self):
        return self.name

    @property
    def values(self) -> list[int]:
        return list(range(self.min_score, self.max_score + 1))


class Review(models.Model):
    """One reviewer's score and comment on one proposal.

    In an event with criteria, `criterion_scores` hold the scores given, `weighted_score` their
    weighted mean mapped onto the event's score scale (two decimals), and `score` that value rounded
    to the nearest score of the scale (halves up), so that everything reading `score` keeps working.
    """

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    score = models.SmallIntegerField()
    weighted_score = models.FloatField(null=True, blank=True)
    comment = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_review_per_reviewer")
        ]

    def __str__(self):
        return f"{self.reviewer} on {self.proposal.code}: {self.score}"

    @property
    def exact_score(self) -> float:
        """The weighted score where criteria were scored, else the single score."""
        return float(self.score) if self.weighted_score is None else self.weighted_score


class CriterionScore(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="criterion_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.SmallIntegerField()

    class Meta:
        ordering = ["criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="one_score_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.score}"


class Assignment(models.Model):
    """A proposal given to a reviewer to review (by the automatic assignment or by hand)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_assignments"
    )
    automatic = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal_id", "reviewer_id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_assignment_per_reviewer")
        ]

    def __str__(self):
        return f"{self.proposal_id} to {self.reviewer_id}"


class Conflict(models.Model):
    """A conflict of interest: the reviewer never gets the proposal and cannot review it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="review_conflicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_conflicts"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal_id", "reviewer_id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_conflict_per_reviewer")
        ]

    def __str__(self):
        return f"{self.reviewer_id} conflicts with {self.proposal_id}"


class SpeakerConflict(models.Model):
    """A conflict of interest with a person: the reviewer is never given, and cannot review, any
    proposal of the event this person speaks on, those submitted and the co-speakers added later too.

    The person is an account (`speaker`), an e-mail address (`email`, lower case), or both: a reviewer
    who may not see who the speakers are types an address, and whether an account or a proposal has
    it is never shown to them. The rules match a proposal's speakers by account or by address, so the
    conflict holds for an account made later with that address.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speaker_conflicts")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="speaker_conflicts"
    )
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conflicts_declared_with",
    )
    email = models.EmailField(blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "reviewer", "speaker"],
                condition=models.Q(speaker__isnull=False),
                name="one_speaker_conflict_per_account",
            ),
            models.UniqueConstraint(
                fields=["event", "reviewer", "email"],
                condition=~models.Q(email=""),
                name="one_speaker_conflict_per_address",
            ),
            models.CheckConstraint(
                condition=models.Q(speaker__isnull=False) | ~models.Q(email=""),
                name="speaker_conflict_names_someone",
            ),
        ]

    def __str__(self):
        return f"{self.reviewer_id} conflicts with {self.email or self.speaker_id}"
