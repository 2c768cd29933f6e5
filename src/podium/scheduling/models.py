"""The automatic scheduling runs started from the editor (runs.py)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from podium.events.models import Event


class SolverMode(models.TextChoices):
    FILL = "fill", _("Fill the rest")
    REPLAN = "replan", _("Re-plan")


class SolverRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready to apply")
    FAILED = "failed", _("Failed")
    APPLIED = "applied", _("Applied")
    DISCARDED = "discarded", _("Discarded")


class SolverRun(models.Model):
    """One automatic scheduling run of an event's draft (runs.py): its settings, its progress
    while the engine searches, and the plan it found, until an organiser applies or discards it.

    The plan is only valid for the draft it was made from: `fingerprint` is a digest of that draft, and
    applying is refused once the draft no longer matches it.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="solver_runs")
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    mode = models.CharField(max_length=10, choices=SolverMode.choices)
    time_limit = models.PositiveSmallIntegerField(help_text=_("Seconds the engine may search."))
    keep_pinned = models.BooleanField(default=True)
    # The weights of the soft goals the engine minimised: every term, the defaults filled in
    weights = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=SolverRunStatus.choices, default=SolverRunStatus.QUEUED)
    # The engine's last report: {"phase", "seconds", "iterations", "unscheduled", "total"}
    progress = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    # Solution.to_dict() of the engine (solver/)
    solution = models.JSONField(null=True, blank=True)
    # What applying would do: {"placed": [...], "moved": [...], "left_out": [...], "unchanged": n,
    # "goals": what each goal bought with the moves (solving.goal_moves)}
    changes = models.JSONField(default=dict, blank=True)
    # The soft terms of the draft as it was when the run started (solver.objective.evaluate)
    objective_before = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    # The language of the person who started the run: its messages (a refusal, a failure) are written
    # in it, wherever the run executes (a thread or a worker has no request to take a language from).
    language = models.CharField(max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "schedule_solverrun"  # the table it had while it lived in the schedule app
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event", "status"], name="solver_run_event_status")]

    def __str__(self):
        return f"{self.event.slug} {self.mode} run {self.uuid} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in (SolverRunStatus.QUEUED, SolverRunStatus.RUNNING)
