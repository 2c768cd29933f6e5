"""Automatic scheduling from the editor: a run of the engine in the background, its progress, and the
plan it found, applied or discarded by an organiser.

    start_run()  -> a queued SolverRun, handed to a runner (below) once the transaction commits
    execute()    -> the runner's work: instance, solve (progress saved as it goes), preview; never raises
    apply_run()  -> the plan written through the schedule services, if the draft is still the one planned
    discard_run()

A plan is only valid for the draft it was made from. When the run starts it takes a fingerprint of the
draft (placed slots with their versions and pins, the schedulable sessions and their types, the
rooms); applying is refused once the draft no longer matches it.

Runners (setting PODIUM_SOLVER_RUNNER): "celery" hands the run to a worker (the default with a broker),
"thread" runs it in a daemon thread of this process (the default without one, so the request that
started it returns at once), "inline" runs it before start_run returns (tests, scripts).
"""

import datetime as dt
import hashlib
import json
import logging
import threading
import time

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from podium.base import audit, metrics
from podium.base.errors import ServiceError
from podium.events.models import Event, RoomAvailability, SessionType
from podium.proposals.models import SpeakerAvailability
from podium.proposals.states import SCHEDULABLE
from podium.schedule import rules, services
from podium.scheduling import solving
from podium.scheduling.models import SolverMode, SolverRun, SolverRunStatus
from podium.scheduling.solver import InstanceError, Solution, Stopped, load_instance, solve

log = logging.getLogger(__name__)

MIN_TIME_LIMIT = 1
MAX_TIME_LIMIT = 300
DEFAULT_TIME_LIMIT = 10
# A run still queued or running this long after its time limit has stopped (a worker died, the server
# restarted): it no longer blocks a new run. Building the instance and explaining what was left out
# take time beyond the search itself.
STALE_MARGIN = dt.timedelta(minutes=2)
PROGRESS_EVERY = 1.0  # seconds: the row is written at most this often while the engine searches
RUNNERS = ("celery", "thread", "inline")
FINISHED = "finished"
#: The phases a run's progress stores (the engine's reports' "phase", then FINISHED), as codes; the
#: run's page shows their labels in the reader's language (`phase_label`).
PHASES = {
    "constructed": pgettext_lazy("solver phase", "first plan built"),
    "searching": pgettext_lazy("solver phase", "searching"),
    "improved": pgettext_lazy("solver phase", "polishing the plan"),
    FINISHED: pgettext_lazy("solver phase", "finished"),
}
ACTIVE = (SolverRunStatus.QUEUED, SolverRunStatus.RUNNING)


def draft_fingerprint(event: Event) -> str:
    """A digest of everything a plan depends on; any edit of the draft or of a rule it kept changes it."""
    slots = event.slots.filter(start__isnull=False).order_by("pk")
    proposals = event.proposals.filter(state__in=SCHEDULABLE).order_by("pk")
    data = {
        "slots": [
            [pk, room, start.isoformat(), end.isoformat(), version, pinned]
            for pk, room, start, end, version, pinned in slots.values_list(
                "pk", "room_id", "start", "end", "version", "pinned"
            )
        ],
        "proposals": list(map(list, proposals.values_list("pk", "session_type_id"))),
        "rooms": list(event.rooms.order_by("pk").values_list("pk", flat=True)),
        # The rules the plan kept: pause, suitable rooms, room and speaker availability.
        "pause": event.min_pause_minutes,
        "suitable": list(
            map(
                list,
                SessionType.rooms.through.objects.filter(sessiontype__event=event)
                .order_by("sessiontype_id", "room_id")
                .values_list("sessiontype_id", "room_id"),
            )
        ),
        "room_windows": [
            [room, start.isoformat(), end.isoformat()]
            for room, start, end in RoomAvailability.objects.filter(room__event=event)
            .order_by("pk")
            .values_list("room_id", "start", "end")
        ],
        "speaker_windows": [
            [user, start.isoformat(), end.isoformat(), preferred]
            for user, start, end, preferred in SpeakerAvailability.objects.filter(profile__event=event)
            .order_by("pk")
            .values_list("profile__user_id", "start", "end", "preferred")
        ],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def is_stale(run: SolverRun, now: dt.datetime | None = None) -> bool:
    """Whether a queued or running run has outlived its time limit by more than STALE_MARGIN."""
    if not run.is_active:
        return False
    since = run.started_at or run.created_at
    return (now or timezone.now()) > since + dt.timedelta(seconds=run.time_limit) + STALE_MARGIN


def latest_run(event: Event) -> SolverRun | None:
    return event.solver_runs.order_by("-created_at", "-id").first()


def start_run(
    *, event: Event, mode: str, time_limit: int, keep_pinned: bool, by, weights: dict | None = None
) -> SolverRun:
    """Queue a run of the engine on the event's draft and hand it to the runner after commit.

    `weights` are the soft goals' weights (term -> number of at least 0; terms left out keep their
    default, see solving.check_weights). Given, they are stored on the run (every term) and become the
    event's `solver_weights`, which the next run starts from; None means the event's stored weights
    (the defaults if it has none). Refused while another run of the event is queued or running (unless
    it is stale, in which case it is marked failed). Side effects: audit entry; the event's
    `solver_weights`; the run executes in the background (or at once with the "inline" runner).
    """
    rules.check_can_schedule(by, event)
    if mode not in SolverMode.values:
        raise ServiceError(
            _("Unknown scheduling mode %(mode)r: choose “Fill the rest” or “Re-plan”.") % {"mode": mode}
        )
    if not isinstance(time_limit, int) or not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        raise ServiceError(
            _("The time limit must be a whole number of seconds from %(least)s to %(most)s.")
            % {"least": MIN_TIME_LIMIT, "most": MAX_TIME_LIMIT},
            field="time_limit",
        )
    chosen = solving.check_weights(weights) if weights is not None else None
    with transaction.atomic():
        # One start at a time per event.
        locked = Event.objects.select_for_update().filter(pk=event.pk).first()
        now = timezone.now()
        for active in event.solver_runs.filter(status__in=ACTIVE):
            if not is_stale(active, now):
                raise ServiceError(
                    _(
                        "Automatic scheduling is already running for this event (%(mode)s, started by "
                        "%(name)s); wait for it to finish, then apply or discard its plan."
                    )
                    % {"mode": active.get_mode_display(), "name": _name(active.created_by)}
                )
            with _messages_in(active.language):
                stopped = _(
                    "This run stopped without a result (the worker or the server may have restarted)."
                )
            SolverRun.objects.filter(pk=active.pk, status__in=ACTIVE).update(
                status=SolverRunStatus.FAILED, finished_at=now, error=stopped
            )
        if chosen is None:
            used = solving.weights_for(locked or event)  # the stored ones, as of now
        else:
            used = chosen
            Event.objects.filter(pk=event.pk).update(solver_weights=chosen)
            event.solver_weights = dict(chosen)
        run = SolverRun.objects.create(
            event=event,
            mode=mode,
            time_limit=time_limit,
            keep_pinned=keep_pinned,
            weights=used,
            language=translation.get_language() or "",
            created_by=by if by is not None and by.is_authenticated else None,
        )
        audit.record(
            action="schedule.solver_started",
            actor=by,
            target=run,
            event_id=event.pk,
            mode=mode,
            time_limit=time_limit,
            keep_pinned=keep_pinned,
            weights=used,
        )
    _dispatch(run)
    run.refresh_from_db()
    return run


def _messages_in(language: str):
    """A run's messages are written in its starter's language (SolverRun.language)."""
    return translation.override(language or settings.LANGUAGE_CODE)


def _language_of(run_id: int) -> str:
    return SolverRun.objects.filter(pk=run_id).values_list("language", flat=True).first() or ""


def _name(user) -> str:
    if user is None:
        return "an operator"
    return user.name or user.email


def runner() -> str:
    """The configured runner, or the default: a worker when a broker is configured, else a thread."""
    chosen = getattr(settings, "PODIUM_SOLVER_RUNNER", "") or (
        "thread" if settings.CELERY_TASK_ALWAYS_EAGER else "celery"
    )
    if chosen not in RUNNERS:
        raise ImproperlyConfigured(
            f"PODIUM_SOLVER_RUNNER is {chosen!r}; it must be one of {', '.join(RUNNERS)} (or empty)."
        )
    return chosen


def _dispatch(run: SolverRun) -> None:
    how = runner()
    if how == "inline":
        execute(run.pk)
    elif how == "thread":
        transaction.on_commit(lambda: _start_thread(run.pk))
    else:
        transaction.on_commit(lambda: _send_to_worker(run.pk))


def _start_thread(run_id: int) -> threading.Thread:
    thread = threading.Thread(
        target=_run_in_thread, args=(run_id,), name=f"podium-solver-{run_id}", daemon=True
    )
    thread.start()
    return thread


def _run_in_thread(run_id: int) -> None:
    try:
        execute(run_id)
    finally:
        connections.close_all()  # this thread's own connections; nobody else can reach them


def _send_to_worker(run_id: int) -> None:
    from podium.scheduling.tasks import solve_run

    try:
        solve_run.delay(run_id)
    except Exception as exc:  # broker unreachable: say so on the run instead of leaving it queued
        log.warning("could not hand solver run %s to a worker: %s", run_id, exc)
        with _messages_in(_language_of(run_id)):
            error = _("The run could not be handed to a background worker (%(error)s). Try again later.") % {
                "error": exc
            }
        SolverRun.objects.filter(pk=run_id, status=SolverRunStatus.QUEUED).update(
            status=SolverRunStatus.FAILED,
            finished_at=timezone.now(),
            error=error,
        )


@metrics.times_solver_run
def execute(run_id: int) -> str:
    """Run the engine for a queued run and store its plan and preview; returns the final status.

    Never raises: a refusal or an unexpected error ends the run as failed with a readable message.
    A run that is no longer queued (already executed, or replaced as stale) is left as it is.
    """
    claimed = SolverRun.objects.filter(pk=run_id, status=SolverRunStatus.QUEUED).update(
        status=SolverRunStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return SolverRun.objects.filter(pk=run_id).values_list("status", flat=True).first() or ""
    run = SolverRun.objects.select_related("event").filter(pk=run_id).first()
    if run is None:  # its event was deleted meanwhile
        return ""
    with _messages_in(run.language):
        try:
            fields = _solve(run)
            fields.update(status=SolverRunStatus.DONE, finished_at=timezone.now())
        except Stopped:  # discarded while searching: the engine stopped at its next report
            return SolverRun.objects.filter(pk=run_id).values_list("status", flat=True).first() or ""
        except ServiceError as exc:
            fields = {"status": SolverRunStatus.FAILED, "finished_at": timezone.now(), "error": exc.message}
        except Exception as exc:
            log.exception("solver run %s failed", run_id)
            fields = {
                "status": SolverRunStatus.FAILED,
                "finished_at": timezone.now(),
                "error": _(
                    "The scheduling engine stopped with an unexpected error (%(error)s). Nothing was changed."
                )
                % {"error": f"{type(exc).__name__}: {exc}"},
            }
    SolverRun.objects.filter(pk=run_id, status=SolverRunStatus.RUNNING).update(**fields)
    return fields["status"]


def _solve(run: SolverRun) -> dict:
    """Instance, objective of the draft as it is, solution and preview: the fields a finished run stores."""
    event = run.event
    if not event.rooms.exists():
        raise ServiceError(_("%(event)s has no rooms; add rooms before scheduling.") % {"event": event.name})
    fingerprint = draft_fingerprint(event)  # before reading the draft: a change after it is caught
    instance = solving.build_instance(event, keep_pinned=run.keep_pinned, weights=run.weights)
    if not instance["sessions"]:
        raise ServiceError(
            _("%(event)s has no accepted or confirmed sessions to schedule.") % {"event": event.name}
        )
    try:
        loaded = load_instance(instance)
    except InstanceError as exc:
        raise ServiceError(
            _("The draft cannot be scheduled as it is: %(reasons)s") % {"reasons": "; ".join(exc.messages)}
        ) from exc
    before = solving.draft_objective(loaded)
    SolverRun.objects.filter(pk=run.pk).update(fingerprint=fingerprint, objective_before=before)
    solution = solve(loaded, time_limit=run.time_limit, mode=run.mode, progress=_progress_saver(run.pk))
    solving.check_not_worse(loaded, solution)  # a worse plan ends the run as failed, saying why
    report = solving.preview(event=event, solution=solution)
    progress = {
        "phase": FINISHED,
        "seconds": solution.stats.get("seconds", 0),
        "iterations": solution.stats.get("iterations", 0),
        "unscheduled": len(solution.unscheduled),
        "total": solution.objective.get("total", 0),
    }
    changes = describe_changes(event, solution, report)
    changes["goals"] = solving.goal_moves(loaded, solution)  # what each goal bought with the moves
    return {
        "fingerprint": fingerprint,
        "objective_before": before,
        "solution": solution.to_dict(),
        "changes": changes,
        "progress": progress,
    }


def phase_label(phase: str) -> str:
    """A stored phase as a person reads it, in the active language; a value that is no code (stored by
    an engine that reported other words) is shown as it is."""
    label = PHASES.get(phase)
    return str(label) if label is not None else phase


def _progress_saver(run_id: int):
    """The engine's progress callback: the latest report saved to the run, at most once a second.

    Once the run is no longer running (an organiser discarded it), it stops the engine.
    """
    last = [float("-inf")]

    def save(report: dict) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY:
            return
        last[0] = now
        if not SolverRun.objects.filter(pk=run_id, status=SolverRunStatus.RUNNING).update(
            progress=dict(report)
        ):
            raise Stopped

    return save


def describe_changes(event: Event, solution: Solution, report: solving.ApplyReport) -> dict:
    """The preview in words: sessions placed and moved (from, to), left out (why), and how many stay."""
    proposals = {
        p.code: p for p in event.proposals.filter(code__in=[a["session"] for a in solution.unscheduled])
    }
    targets = {a["session"]: a for a in solution.assignments}
    rooms = {solving.room_id(room): room for room in event.rooms.all()}
    slots = {
        slot.proposal.code: slot
        for slot in event.slots.filter(proposal__code__in=targets).select_related(
            "proposal__session_type", "room"
        )
    }
    sessions = {
        p.code: p
        for p in event.proposals.filter(code__in=targets).select_related("session_type").order_by("code")
    }

    def target(code: str) -> dict:
        assignment = targets[code]
        start = solving.slot_start(assignment["slot"], event)
        end = start + dt.timedelta(minutes=sessions[code].duration_minutes)
        room = rooms[assignment["room"]]
        return {"room": room.name, "start": start.isoformat(), "when": services.span(event, start, end)}

    def current(code: str) -> dict:
        slot = slots[code]
        return {
            "room": slot.room.name,
            "start": slot.start.isoformat(),
            "when": services.span(event, slot.start, slot.end),
        }

    def by_start(items: list) -> list:
        return sorted(items, key=lambda item: (item["to"]["start"], item["to"]["room"], item["title"]))

    return {
        "placed": by_start([{"code": c, "title": sessions[c].title, "to": target(c)} for c in report.placed]),
        "moved": by_start(
            [
                {"code": c, "title": sessions[c].title, "from": current(c), "to": target(c)}
                for c in report.moved
            ]
        ),
        "left_out": [
            {
                "code": code,
                "title": proposals[code].title if code in proposals else code,
                "reason": reason,
                "kept_in_place": code in report.kept_in_place,
            }
            for code, reason in report.left_out
        ],
        "unchanged": len(report.unchanged),
    }


def draft_changed(run: SolverRun) -> bool:
    """Whether the draft is no longer the one the run planned for."""
    return run.fingerprint != draft_fingerprint(run.event)


def apply_run(*, run: SolverRun, by) -> solving.ApplyReport:
    """Write a finished run's plan to the draft, all or nothing, and mark the run applied.

    Refused unless the run is ready to apply and the draft is still the one it planned for. The plan
    goes through the schedule services (solving.apply_solution). Side effects: theirs (audit entries,
    `slot.changed` webhook deliveries) and an audit entry for the run.
    """
    event = run.event
    rules.check_can_schedule(by, event)
    with transaction.atomic():
        locked = SolverRun.objects.select_for_update().filter(pk=run.pk, event=event).first()
        if locked is None or locked.status != SolverRunStatus.DONE:
            raise ServiceError(_not_ready(locked or run))
        if draft_changed(locked):
            raise ServiceError(
                _(
                    "The draft changed since this plan was made, so it no longer fits; plan again. Nothing was changed."
                )
            )
        report = solving.apply_solution(event=event, solution=_solution(locked), by=by)
        locked.status = SolverRunStatus.APPLIED
        locked.finished_at = locked.finished_at or timezone.now()
        locked.save(update_fields=["status", "finished_at"])
        audit.record(
            action="schedule.solver_applied",
            actor=by,
            target=locked,
            event_id=event.pk,
            placed=len(report.placed),
            moved=len(report.moved),
            left_out=len(report.left_out),
        )
    run.refresh_from_db()
    return report


def discard_run(*, run: SolverRun, by) -> SolverRun:
    """Drop a run's plan without touching the draft (a run still searching is stopped from mattering:
    its result is not stored). Side effects: audit entry."""
    rules.check_can_schedule(by, run.event)
    with transaction.atomic():
        locked = SolverRun.objects.select_for_update().filter(pk=run.pk, event=run.event).first()
        if locked is None or locked.status not in (SolverRunStatus.DONE, *ACTIVE):
            raise ServiceError(_not_ready(locked or run))
        locked.status = SolverRunStatus.DISCARDED
        locked.finished_at = locked.finished_at or timezone.now()
        locked.save(update_fields=["status", "finished_at"])
        audit.record(action="schedule.solver_discarded", actor=by, target=locked, event_id=run.event_id)
    run.refresh_from_db()
    return run


def _not_ready(run: SolverRun) -> str:
    return {
        SolverRunStatus.QUEUED: _("This run has not started yet; wait for its plan."),
        SolverRunStatus.RUNNING: _("This run is still searching; wait for its plan."),
        SolverRunStatus.FAILED: _("This run failed, so it has no plan to apply; plan again."),
        SolverRunStatus.APPLIED: _("This plan was already applied."),
        SolverRunStatus.DISCARDED: _("This plan was discarded; plan again."),
    }.get(run.status, _("This run has no plan to apply."))


def _solution(run: SolverRun) -> Solution:
    data = run.solution or {}
    return Solution(
        assignments=data.get("assignments", []),
        unscheduled=data.get("unscheduled", []),
        objective=data.get("objective", {}),
        stats=data.get("stats", {}),
        infeasible=data.get("infeasible", []),
    )
