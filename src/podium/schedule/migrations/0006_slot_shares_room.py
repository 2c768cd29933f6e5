"""Slots marked `shares_room` (placed by an import beside others in one room, as the source has them)
may overlap each other in a room; every other pair of slots in one room still may not overlap.

PostgreSQL: the exclusion constraint gains a third term, a range that is [0, ∞) for an unmarked slot
and [id, id] for a marked one. Two marked slots never overlap on it (different ids), so they may share
the room; an unmarked slot overlaps everything on it, so it never shares. SQLite: the triggers skip a
pair only when both are marked.
"""

from django.db import migrations, models

POSTGRES = [
    "ALTER TABLE schedule_slot DROP CONSTRAINT slot_room_no_overlap",
    """
    ALTER TABLE schedule_slot ADD CONSTRAINT slot_room_no_overlap EXCLUDE USING gist (
        int8range(room_id, room_id, '[]') WITH &&,
        tstzrange(start, "end", '[)') WITH &&,
        int8range(
            CASE WHEN shares_room THEN id ELSE 0 END, CASE WHEN shares_room THEN id END, '[]'
        ) WITH &&
    ) WHERE (room_id IS NOT NULL AND start IS NOT NULL)
    """,
]
POSTGRES_REVERSE = [
    "ALTER TABLE schedule_slot DROP CONSTRAINT slot_room_no_overlap",
    """
    ALTER TABLE schedule_slot ADD CONSTRAINT slot_room_no_overlap EXCLUDE USING gist (
        int8range(room_id, room_id, '[]') WITH &&,
        tstzrange(start, "end", '[)') WITH &&
    ) WHERE (room_id IS NOT NULL AND start IS NOT NULL)
    """,
]

_SQLITE_CHECK = """
    WHEN NEW.room_id IS NOT NULL AND NEW.start IS NOT NULL
    BEGIN
        SELECT RAISE(ABORT, 'slot_room_no_overlap: the room is taken at that time')
        WHERE EXISTS (
            SELECT 1 FROM schedule_slot AS other
            WHERE other.room_id = NEW.room_id AND other.id != NEW.id AND other.start IS NOT NULL
              AND other.start < NEW."end" AND NEW.start < other."end"
              AND NOT (NEW.shares_room AND other.shares_room)
        );
    END
"""
_SQLITE_OLD_CHECK = _SQLITE_CHECK.replace(
    "\n              AND NOT (NEW.shares_room AND other.shares_room)", ""
)
# SQLite rebuilds the table to add or remove a column, which drops its triggers: the old ones go before
# the column is added, the new ones come after it (and the reverse, in reverse).
_DROP = [
    "DROP TRIGGER IF EXISTS slot_room_no_overlap_insert",
    "DROP TRIGGER IF EXISTS slot_room_no_overlap_update",
]
SQLITE = [
    "CREATE TRIGGER slot_room_no_overlap_insert BEFORE INSERT ON schedule_slot" + _SQLITE_CHECK,
    'CREATE TRIGGER slot_room_no_overlap_update BEFORE UPDATE OF room_id, start, "end", shares_room '
    "ON schedule_slot" + _SQLITE_CHECK,
]
SQLITE_REVERSE = [
    "CREATE TRIGGER slot_room_no_overlap_insert BEFORE INSERT ON schedule_slot" + _SQLITE_OLD_CHECK,
    'CREATE TRIGGER slot_room_no_overlap_update BEFORE UPDATE OF room_id, start, "end" ON schedule_slot'
    + _SQLITE_OLD_CHECK,
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("schedule", "0005_released_session_links_recording_guid")]

    operations = [
        migrations.RunPython(_run({"sqlite": _DROP}), _run({"sqlite": SQLITE_REVERSE})),
        migrations.AddField(
            model_name="slot",
            name="shares_room",
            field=models.BooleanField(
                default=False,
                help_text="Placed by an import beside other sessions in its room, as the source has them.",
            ),
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": _DROP}),
        ),
    ]
