"""What the schedule editor page shows: one day's grid, the sessions not on it, the conflicts, the day
tabs and the "Automatic scheduling" panel.

Shared by the editor's views (orga/views/schedule.py) and the automatic scheduling views
(orga/views/solver.py), which both render the editor page.
"""

import datetime as dt

from django.urls import reverse

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
SEVERITY_GROUPS = [(ERROR, "Errors", "error"), (WARNING, "Warnings", "warning"), (INFO, "Notes", "note")]
MODE_HELP = {
    SolverMode.FILL: "places the sessions not on the schedule yet around those already there; nothing placed moves.",
    SolverMode.REPLAN: "improves the whole schedule, moving as few sessions as it can.",
}


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
    day_start, day_end = event.day_range(day)
    todays = [slot for slot in slots if slot.start < day_end and slot.end > day_start]
    for slot in todays:
        if slot.proposal_id:
            slot.proposal.star_count = stars.get(slot.proposal_id, 0)
            slot.conflict = involved.get(slot.proposal.code, "")
    grid = build_grid(
        todays,
        rooms,
        column_of=lambda slot: slot.room_id,
        tz=event.tz,
        step=GRID_STEP_MINUTES,
        bounds=grid_bounds(event, day),
    )
    for row in grid.rows:
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
