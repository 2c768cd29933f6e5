"""SolverRun moves here from the schedule app with its table (schedule_solverrun): only the state changes."""

import django.db.models.deletion
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("events", "0005_event_solver_weights"),
        ("schedule", "0006_slot_shares_room"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="SolverRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("uuid", models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        (
                            "mode",
                            models.CharField(
                                choices=[("fill", "Fill the rest"), ("replan", "Re-plan")], max_length=10
                            ),
                        ),
                        (
                            "time_limit",
                            models.PositiveSmallIntegerField(help_text="Seconds the engine may search."),
                        ),
                        ("keep_pinned", models.BooleanField(default=True)),
                        ("weights", models.JSONField(blank=True, default=dict)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("running", "Running"),
                                    ("done", "Ready to apply"),
                                    ("failed", "Failed"),
                                    ("applied", "Applied"),
                                    ("discarded", "Discarded"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("progress", models.JSONField(blank=True, default=dict)),
                        ("fingerprint", models.CharField(blank=True, max_length=64)),
                        ("solution", models.JSONField(blank=True, null=True)),
                        ("changes", models.JSONField(blank=True, default=dict)),
                        ("objective_before", models.JSONField(blank=True, default=dict)),
                        ("error", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="solver_runs",
                                to="events.event",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "schedule_solverrun",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["event", "status"], name="solver_run_event_status")],
                    },
                ),
            ],
        ),
    ]
