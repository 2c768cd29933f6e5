"""No two slots in one room at the same time, enforced by the database itself.

PostgreSQL: an exclusion constraint over (room, time range); it also holds under concurrent
transactions. int8range over the room id avoids needing the btree_gist extension.
SQLite: triggers that refuse an overlapping insert or update; SQLite runs one writer at a time,
so a trigger's check cannot race another transaction.
Slots without a room (breaks for every room) or without a time (unscheduled) are not covered.
"""

from django.db import migrations

POSTGRES = [
    """
    ALTER TABLE schedule_slot ADD CONSTRAINT slot_room_no_overlap EXCLUDE USING gist (
        int8range(room_id, room_id, '[]') WITH &&,
        tstzrange(start, "end", '[)') WITH &&
    ) WHERE (room_id IS NOT NULL AND start IS NOT NULL)
    """
]
POSTGRES_REVERSE = ["ALTER TABLE schedule_slot DROP CONSTRAINT slot_room_no_overlap"]

_SQLITE_CHECK = """
    WHEN NEW.room_id IS NOT NULL AND NEW.start IS NOT NULL
    BEGIN
        SELECT RAISE(ABORT, 'slot_room_no_overlap: the room is taken at that time')
        WHERE EXISTS (
            SELECT 1 FROM schedule_slot AS other
            WHERE other.room_id = NEW.room_id AND other.id != NEW.id AND other.start IS NOT NULL
              AND other.start < NEW."end" AND NEW.start < other."end"
        );
    END
"""
SQLITE = [
    "CREATE TRIGGER slot_room_no_overlap_insert BEFORE INSERT ON schedule_slot" + _SQLITE_CHECK,
    "CREATE TRIGGER slot_room_no_overlap_update BEFORE UPDATE OF room_id, start, \"end\" ON schedule_slot"
    + _SQLITE_CHECK,
]
SQLITE_REVERSE = [
    "DROP TRIGGER slot_room_no_overlap_insert",
    "DROP TRIGGER slot_room_no_overlap_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("schedule", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRES_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
