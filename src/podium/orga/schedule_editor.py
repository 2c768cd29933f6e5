"""What the schedule editor page shows: one day's grid, the sessions not on it, the conflicts, the day
tabs and the "Automatic scheduling" panel.

Shared by the editor's views (orga/views/schedule.py) and the automatic scheduling views
(orga/views/solver.py), which both render the editor page.
"""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext_lazy

from podium.attendance.queries import star_counts
from podium.orga.forms.solver import SolverRunForm, weight_initial
from podium.schedule import queries
from podium.schedule.conflicts import ERROR, INFO, SEVERITY_ORDER, WARNING, find_conflicts
from podium.schedule.grid import build_grid
from podium.schedule.models import SlotKind
from podium.scheduling import runs, solving
from podium.scheduling.models import SolverMode

GRID_STEP_MINUTES = 15
# The editor shows at least this part of a day, so there is room to drop sessions on an empty day.
WORKING_DAY = (dt.time(8), dt.time(20))
SEVERITY_GROUPS = [
    (ERROR, gettext_lazy("Errors"), "error"),
    (WARNING, gettext_lazy("Warnings"), "warning"),
    (INFO, gettext_lazy("Notes"), "note"),
]
MODE_HELP = {
    SolverMode.FILL: gettext_lazy(
        "places the sessions not on the schedule yet around those already there; nothing placed moves."
    ),
    SolverMode.REPLAN: gettext_lazy("improves the whole schedule, moving as few sessions as it can."),
}


# What a session's card on the grid says about each conflict it is in ({others}: the other sessions'
# titles); the list above the grid has the whole message.
CELL_CONFLICT_TEXTS = {
    "speaker_twice": gettext_lazy("speaker double-booked with {others}"),
    "speaker_pause": gettext_lazy("speaker has too short a pause next to {others}"),
    "speaker_unavailable": gettext_lazy("speaker not available then"),
    "speaker_preference": gettext_lazy("outside the speaker's preferred times"),
    "unsuitable_room": gettext_lazy("room not suited to its session type"),
    "room_unavailable": gettext_lazy("room not available then"),
    "outside_event": gettext_lazy("outside the event's days"),
    "plenary_overlap": gettext_lazy("runs during a plenary session"),
    "break_overlap": gettext_lazy("runs during a break in every room"),
    "track_clash": gettext_lazy("its track runs at the same time in {others}"),
    "track_rooms": gettext_lazy("its track changes rooms this day"),
    "room_not_given": gettext_lazy("the import gave it no room"),
    "room_shared": gettext_lazy("shares its room with {others}"),
    "over_capacity": gettext_lazy("room capacity: more stars than seats"),
    "length": gettext_lazy("length differs from its session type"),
}
# "Conflict: speaker double-booked with …" ({text}: one of the texts above).
SEVERITY_WORDS = {
    ERROR: gettext_lazy("Conflict: {text}"),
    WARNING: gettext_lazy("Warning: {text}"),
    INFO: gettext_lazy("Note: {text}"),
}


def cell_conflicts(conflicts, titles: dict[str, str]) -> dict[str, list[dict]]:
    """{proposal code: [{"severity", "text"}]}: each conflict a session is in, named for its card
    (e.g. "Conflict: speaker double-booked with “Other talk”"), most severe first. `titles` maps codes
    to titles, for the other sessions a conflict names."""
    notes: dict[str, list[dict]] = {}
    for conflict in sorted(conflicts, key=lambda c: SEVERITY_ORDER[c.severity]):
        for code in conflict.codes:
            others = ", ".join(f"“{titles.get(other, other)}”" for other in conflict.codes if other != code)
            template = CELL_CONFLICT_TEXTS.get(conflict.kind)
            template = None if template is None else str(template)
            if template is None or ("{others}" in template and not others):
                text = conflict.message  # a kind without a short text: the whole message
            else:
                text = template.format(others=others)
            note = {
                "severity": conflict.severity,
                "text": str(SEVERITY_WORDS[conflict.severity]).format(text=text),
            }
            if note not in notes.setdefault(code, []):
                notes[code].append(note)
    return notes


def editor_url(event, day: dt.date | None) -> str:
    url = reverse("orga:schedule", kwargs={"event": event.slug})
    return f"{url}?day={day.isoformat()}" if day else url


def grid_bounds(event, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """08:00 to 20:00 of the day, kept inside the conference day (which starts at day_start_hour)."""
    day_start, day_end = event.day_range(day)
    start = max(day_start, dt.datetime.combine(day, WORKING_DAY[0], tzinfo=event.tz))
    end = dt.datetime.combine(day, WORKING_DAY[1], tzinfo=event.tz)
    if end <= start:
        end = start + dt.timedelta(hours=12)
    return start, min(end, day_end)


def conflict_summary(conflicts) -> tuple[list[dict], dict[str, str]]:
    """Conflicts grouped by severity, and {proposal code: most severe severity} of the sessions involved."""
    groups = [
        {
            "severity": severity,
            "label": label,
            "noun": noun,
            "items": [c for c in conflicts if c.severity == severity],
        }
        for severity, label, noun in SEVERITY_GROUPS
    ]
    involved: dict[str, str] = {}
    for conflict in conflicts:
        for code in conflict.codes:
            known = involved.get(code)
            if known is None or SEVERITY_ORDER[conflict.severity] < SEVERITY_ORDER[known]:
                involved[code] = conflict.severity
    return groups, involved


def editor_context(event, day: dt.date) -> dict:
    """Everything the editor shows for one day, in a fixed number of queries."""
    rooms = list(event.rooms.all())
    slots = list(queries.placed_slots(event))
    conflicts = find_conflicts(event, slots)
    groups, involved = conflict_summary(conflicts)
    stars = star_counts(event)
    notes = cell_conflicts(conflicts, {s.proposal.code: s.proposal.title for s in slots if s.proposal_id})
    day_start, day_end = event.day_range(day)
    todays = [slot for slot in slots if slot.start < day_end and slot.end > day_start]
    for slot in todays:
        if slot.proposal_id:
            slot.proposal.star_count = stars.get(slot.proposal_id, 0)
            slot.conflict = involved.get(slot.proposal.code, "")
            slot.conflict_notes = notes.get(slot.proposal.code, [])
    grid = build_grid(
        todays,
        rooms,
        column_of=lambda slot: slot.room_id,
        tz=event.tz,
        step=GRID_STEP_MINUTES,
        bounds=grid_bounds(event, day),
    )
    grid_end = grid_bounds(event, day)[1]
    ends = [slot.end for slot in todays if slot.room_id is None or slot.room_id in {r.pk for r in rooms}]
    # In UTC: two local times of one zone compare and subtract on the clock face (the night the clocks
    # go back has 02:30 twice).
    grid_end = max([grid_end.astimezone(dt.UTC), *(end.astimezone(dt.UTC) for end in ends)])
    for position, row in enumerate(grid.rows):
        # Rows are drawn proportional to time (a class per length in minutes, editor.css).
        following = grid.rows[position + 1].time if position + 1 < len(grid.rows) else grid_end
        length = following.astimezone(dt.UTC) - row.time.astimezone(dt.UTC)
        row.minutes = max(1, min(GRID_STEP_MINUTES, int(length.total_seconds() // 60)))
        for cell in row.cells:
            if cell.item is None:
                cell.iso = cell.start.astimezone(dt.UTC).isoformat()
    unscheduled = list(queries.unscheduled_proposals(event))
    for proposal in unscheduled:
        slot = getattr(proposal, "slot", None)  # a reverse one-to-one without a row raises AttributeError
        proposal.slot_version = slot.version if slot else 0
        proposal.star_count = stars.get(proposal.pk, 0)
    return {
        "event": event,
        "day": day,
        "rooms": rooms,
        "grid": grid,
        "unscheduled": unscheduled,
        "pinned": [slot for slot in slots if slot.kind == SlotKind.SESSION and slot.pinned],
        "conflict_groups": groups,
        "conflict_count": len(conflicts),
        "placed_count": sum(1 for slot in slots if slot.kind == SlotKind.SESSION),
    }


def solver_panel(event, form: SolverRunForm | None = None, day: dt.date | None = None) -> dict:
    """What the editor's "Automatic scheduling" panel shows: its form (the weights the event's last run
    used, else the defaults) and the latest run."""
    if form is None:
        initial = {"day": day.isoformat() if day else "", **weight_initial(solving.weights_for(event))}
        form = SolverRunForm(initial=initial)
    return {"solver_form": form, "latest_run": runs.latest_run(event), "mode_help": MODE_HELP}


def editor_page(event, day: dt.date, solver_form: SolverRunForm | None = None) -> dict:
    """The whole editor page of one day: the editor, the day tabs and the solver panel (with
    `solver_form` as posted, or a new one)."""
    context = editor_context(event, day) | solver_panel(event, solver_form, day=day)
    context["days"] = [{"day": d, "url": editor_url(event, d), "current": d == day} for d in event.days]
    return context
