"""SolverRun moves to the scheduling app with its table (schedule_solverrun): only the state changes."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("schedule", "0006_slot_shares_room"),
        ("scheduling", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="SolverRun")],
        ),
    ]
