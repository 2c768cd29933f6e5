"""Automatic scheduling from the editor: start a run ("Fill the rest" or "Re-plan"), follow its
progress, then apply or discard the plan it found (podium.scheduling.runs does the work).

The run page polls a small JSON endpoint while the engine searches (podium/solver.js) and reloads
itself when the run ends; without the script its "Refresh" link does the same.
"""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.orga.access import event_permission
from podium.orga.forms.schedule import parse_day
from podium.orga.forms.solver import WEIGHT_LABELS, SolverRunForm, weight_initial
from podium.orga.schedule_editor import MODE_HELP, editor_page, editor_url
from podium.scheduling import runs, solving
from podium.scheduling.models import SolverRunStatus
from podium.scheduling.solver.objective import TERMS

can_schedule = event_permission("can_schedule")

TERM_LABELS = {
    "unscheduled": gettext_lazy("Sessions not on the schedule"),
    "missed_favourites": gettext_lazy("Missed favourites (starred sessions at the same time)"),
    "overflow": gettext_lazy("Seats short (expected audience above capacity)"),
    "track_room": gettext_lazy("Track room changes (extra rooms a track uses in a day)"),
    "track_clash": gettext_lazy("Track clashes (sessions of one track at once)"),
    "preference": gettext_lazy("Sessions outside their preferred times"),
    "changes": gettext_lazy(
        "Sessions moved from their current place (weighted: a published session counts more)"
    ),
    "total": gettext_lazy("Weighted total (lower is better)"),
}


# The goals in a sentence ("12 moves: 9 for missed favourites, …").
GOAL_NAMES = {
    "missed_favourites": gettext_lazy("%(count)s for missed favourites"),
    "overflow": gettext_lazy("%(count)s for seats short"),
    "track_room": gettext_lazy("%(count)s for track room changes"),
    "track_clash": gettext_lazy("%(count)s for track clashes"),
    "preference": gettext_lazy("%(count)s for speakers' preferred times"),
}


def _run_of(event, uuid):
    return get_object_or_404(event.solver_runs.select_related("created_by", "event"), uuid=uuid)


def _run_url(run) -> str:
    return reverse("orga:schedule_solver_run", kwargs={"event": run.event.slug, "uuid": run.uuid})


@can_schedule
@require_POST
def start(request, event):
    """Start a run from the editor's panel (or "Plan again" on a run page) and show its page."""
    event = request.event
    form = SolverRunForm(request.POST)
    # When no run starts the editor comes back: 400 for a bad field, 409 for a refusal (e.g. another
    # run still going), shown in the panel like a bad limit.
    status = 409 if form.is_valid() else 400
    form, run = save_form(
        form,
        lambda form: runs.start_run(
            event=event,
            mode=form.cleaned_data["mode"],
            time_limit=form.cleaned_data["time_limit"],
            keep_pinned=form.cleaned_data["keep_pinned"],
            weights=form.weights,
            by=request.user,
        ),
    )
    if run:
        return redirect(_run_url(run))
    wrong = [name for name in form.fields if name != "mode" and form.has_error(name)]
    if wrong:  # the panel is below the grid: go to the first field to correct
        form.fields[wrong[0]].widget.attrs["autofocus"] = True
    day = parse_day(event, request.POST.get("day")) or event.days[0]
    return render(request, "orga/schedule/editor.html", editor_page(event, day, form), status=status)


def _number(value):
    """A figure as the page shows it: whole numbers without a decimal point, others to one decimal."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 1)


def _objective_rows(run) -> list[dict]:
    """Per goal: before, after, by how much the plan improved it (weighted too) and how many of its
    moves bought that (solving.goal_moves; runs from before it was kept show no count)."""
    before = run.objective_before or {}
    after = (run.solution or {}).get("objective", {})
    weights = solving.effective_weights(run.weights)
    goals = (run.changes or {}).get("goals") or {}
    bought = dict(goals.get("terms", {}))
    if goals:
        bought["total"] = {"moves": goals.get("moves", 0)}
    rows = []
    for term in ("unscheduled", *TERMS, "total"):
        if term in before or term in after:
            old, new = before.get(term), after.get(term)
            known = old is not None and new is not None
            gain = old - new if known else None
            weight = weights.get(term)
            rows.append(
                {
                    "term": term,
                    "label": TERM_LABELS[term],
                    "weight": weight,
                    "before": _number(old),
                    "after": _number(new),
                    "gain": _number(gain),
                    "weighted_gain": _number(gain * weight) if known and weight is not None else None,
                    "moves": bought[term]["moves"] if term in bought else None,
                    "better": known and new < old,
                    "worse": known and new > old,
                }
            )
    return rows


def _goal_summary(run) -> str:
    """The moves in one sentence: how many, what they bought, how many only made room for others."""
    goals = (run.changes or {}).get("goals")
    if not goals or not goals.get("moves"):
        return ""
    terms = goals.get("terms", {})
    parts = [  # in the engine's order (a JSON column may keep its keys in another)
        GOAL_NAMES[term] % {"count": terms[term]["moves"]}
        for term in TERMS
        if term in GOAL_NAMES and terms.get(term, {}).get("moves")
    ]
    moves = goals["moves"]
    text = ngettext("%(count)s move:", "%(count)s moves:", moves) % {"count": moves} + " "
    text += ", ".join(parts) if parts else _("none improves a goal on its own")
    if parts and goals.get("unattributed"):
        idle = goals["unattributed"]
        text += "; " + ngettext(
            "%(count)s only makes room for others", "%(count)s only make room for others", idle
        ) % {"count": idle}
    return text + " " + _("(a move may count for several goals).")


@can_schedule
def run_page(request, event, uuid):
    """A run: progress while the engine searches, then the plan to apply or discard."""
    event = request.event
    run = _run_of(event, uuid)
    stale_draft = run.status == SolverRunStatus.DONE and runs.draft_changed(run)
    return render(
        request,
        "orga/schedule/solver_run.html",
        {
            "event": event,
            "run": run,
            "stale_run": runs.is_stale(run),
            "stale_draft": stale_draft,
            "objective": _objective_rows(run) if run.status != SolverRunStatus.FAILED else [],
            "goal_summary": _goal_summary(run) if run.status != SolverRunStatus.FAILED else "",
            "progress": _progress(run),
            "mode_help": MODE_HELP[run.mode],
            "weights": _weight_rows(run),
            "again_weights": weight_initial(solving.effective_weights(run.weights)),
            "back_url": editor_url(event, None),
        },
    )


def _weight_rows(run) -> list[dict]:
    """The weights the run used (runs from before weights could be chosen used the defaults)."""
    used = solving.effective_weights(run.weights)
    return [
        {"label": label, "weight": used[term], "default": used[term] == solving.DEFAULT_WEIGHTS[term]}
        for term, label in WEIGHT_LABELS.items()
    ]


def _progress(run) -> dict:
    progress = run.progress or {}
    seconds = float(progress.get("seconds") or 0)
    return {
        "status": run.status,
        "status_label": run.get_status_display(),
        "active": run.is_active,
        "phase": runs.phase_label(progress["phase"])
        if progress.get("phase")
        else (_("waiting to start") if run.status == SolverRunStatus.QUEUED else _("starting")),
        "seconds": round(seconds, 1),
        "time_limit": run.time_limit,
        "shown_seconds": round(min(seconds, run.time_limit), 1),
        "iterations": progress.get("iterations", 0),
        "unscheduled": progress.get("unscheduled"),
        "missed_favourites": progress.get("missed_favourites"),
        "total": None if progress.get("total") is None else round(progress["total"], 1),
    }


@can_schedule
def run_progress(request, event, uuid):
    """The run's status and the engine's last report, as JSON for the run page's script."""
    run = _run_of(request.event, uuid)
    data = _progress(run)
    data["url"] = _run_url(run)
    response = JsonResponse(data)
    response["Cache-Control"] = "no-store"
    return response


@can_schedule
@require_POST
def apply(request, event, uuid):
    """Write the plan to the draft and go back to the editor, saying what changed."""
    event = request.event
    run = _run_of(event, uuid)
    try:
        report = runs.apply_run(run=run, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_run_url(run))
    placed, moved, left_out = len(report.placed), len(report.moved), len(report.left_out)
    if left_out:
        text = ngettext(
            "The plan is applied: %(placed)s session placed, %(moved)s moved, %(left_out)s left out.",
            "The plan is applied: %(placed)s sessions placed, %(moved)s moved, %(left_out)s left out.",
            placed,
        )
    else:
        text = ngettext(
            "The plan is applied: %(placed)s session placed, %(moved)s moved.",
            "The plan is applied: %(placed)s sessions placed, %(moved)s moved.",
            placed,
        )
    messages.success(request, text % {"placed": placed, "moved": moved, "left_out": left_out})
    return redirect(editor_url(event, None))


@can_schedule
@require_POST
def discard(request, event, uuid):
    """Drop the plan; the draft stays as it is."""
    event = request.event
    run = _run_of(event, uuid)
    try:
        runs.discard_run(run=run, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_run_url(run))
    messages.success(request, _("The plan is discarded; the schedule is unchanged."))
    return redirect(editor_url(event, None))
