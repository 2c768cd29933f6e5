"""Automatic scheduling runs: start, execute (inline and in a thread), preview, apply and discard."""

import datetime as dt
import threading
import time

import pytest
from django.utils import timezone, translation

from podium.attendance.models import Star
from podium.base.errors import NotAllowed, ServiceError
from podium.base.models import AuditEntry
from podium.events.models import Event, RoomAvailability
from podium.proposals.models import SpeakerAvailability, SpeakerProfile
from podium.schedule.models import Slot
from podium.scheduling import runs, solving
from podium.scheduling.models import SolverRun, SolverRunStatus
from podium.scheduling.solver import Solution, Stopped, load_instance, solve
from podium.scheduling.solver.instance import DEFAULT_WEIGHTS
from tests import factories
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)
from tests.program import at, place, placed_talk, talk
from tests.scheduling.engine_spy import engine_weights

TIME_LIMIT = 1
WAIT_SECONDS = 120  # how long a test waits for a background run before it gives up


@pytest.fixture(autouse=True)
def _inline_runner(settings):
    settings.PODIUM_SOLVER_RUNNER = "inline"


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


def _places(event) -> list[tuple]:
    return list(
        event.slots.order_by("pk").values_list("proposal__code", "room_id", "start", "end", "version")
    )


def _program(event, scheduler):
    """One session pinned at 11:00 in Hall A, four talks not on the schedule yet."""
    pinned = placed_talk(event, "Pinned keynote", "Hall A", at(event, 11), scheduler)
    Slot.objects.filter(proposal=pinned).update(pinned=True)
    talks = [talk(event, f"Talk {n}") for n in range(4)]
    return pinned, talks


def _start(event, scheduler, mode="fill", **kwargs) -> SolverRun:
    kwargs.setdefault("time_limit", TIME_LIMIT)
    kwargs.setdefault("keep_pinned", True)
    return runs.start_run(event=event, mode=mode, by=scheduler, **kwargs)


def _wait(run: SolverRun) -> SolverRun:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if not run.is_active:
            return run
        time.sleep(0.05)
    pytest.fail(f"the run did not finish within {WAIT_SECONDS} s: {run.status}, {run.progress}")


@pytest.mark.django_db
def test_start_run_inline_fills_the_rest_around_a_pinned_session(event, scheduler):
    pinned, talks = _program(event, scheduler)
    before = _places(event)

    run = _start(event, scheduler)

    assert run.status == SolverRunStatus.DONE
    assert sorted(item["code"] for item in run.changes["placed"]) == sorted(t.code for t in talks)
    assert (run.changes["moved"], run.changes["left_out"], run.changes["unchanged"]) == ([], [], 1)
    assert run.objective_before["unscheduled"] == 4
    assert run.solution["objective"]["unscheduled"] == 0
    pinned_place = {"session": pinned.code, "slot": solving.slot_id(at(event, 11), event)}
    assert {k: v for k, v in _assignment(run, pinned.code).items() if k != "room"} == pinned_place
    assert run.progress["phase"] == "finished"
    assert (run.started_at is not None, run.finished_at is not None, run.error) == (True, True, "")
    assert _places(event) == before  # a run only plans; nothing is written before it is applied


def _assignment(run, code) -> dict:
    return next(a for a in run.solution["assignments"] if a["session"] == code)


@pytest.mark.django_db
def test_start_run_replan_keeps_an_already_good_draft_unchanged(event, scheduler):
    _program(event, scheduler)
    runs.apply_run(run=_start(event, scheduler), by=scheduler)
    before = _places(event)

    run = _start(event, scheduler, mode="replan")

    assert run.status == SolverRunStatus.DONE
    assert (run.changes["placed"], run.changes["moved"], run.changes["unchanged"]) == ([], [], 5)
    runs.apply_run(run=run, by=scheduler)
    assert _places(event) == before


@pytest.mark.django_db
def test_apply_run_writes_the_places_and_marks_the_run_applied(event, scheduler):
    pinned, talks = _program(event, scheduler)
    run = _start(event, scheduler)

    report = runs.apply_run(run=run, by=scheduler)

    run.refresh_from_db()
    assert run.status == SolverRunStatus.APPLIED
    assert sorted(report.placed) == sorted(t.code for t in talks)
    for proposal in [pinned, *talks]:
        slot = Slot.objects.get(proposal=proposal)
        wanted = _assignment(run, proposal.code)
        assert (solving.slot_id(slot.start, event), solving.room_id(slot.room)) == (
            wanted["slot"],
            wanted["room"],
        )
    assert Slot.objects.get(proposal=pinned).start == at(event, 11)
    entry = AuditEntry.objects.get(action="schedule.solver_applied")
    assert (entry.actor, entry.data["placed"], entry.data["moved"]) == (scheduler, 4, 0)


@pytest.mark.django_db
def test_discard_run_writes_nothing(event, scheduler):
    _program(event, scheduler)
    run = _start(event, scheduler)
    before = _places(event)

    runs.discard_run(run=run, by=scheduler)

    assert run.status == SolverRunStatus.DISCARDED
    assert _places(event) == before
    with pytest.raises(ServiceError, match=r"This plan was discarded; plan again\."):
        runs.apply_run(run=run, by=scheduler)
    assert _places(event) == before


@pytest.mark.django_db
def test_apply_run_after_the_draft_changed_is_refused_and_changes_nothing(event, scheduler):
    _pinned, talks = _program(event, scheduler)
    run = _start(event, scheduler)
    place(event, talks[0], "Room 101", at(event, 15, day=2), scheduler)  # another organiser's edit
    before = _places(event)

    with pytest.raises(ServiceError, match=r"The draft changed since this plan was made.*plan again"):
        runs.apply_run(run=run, by=scheduler)

    run.refresh_from_db()
    assert run.status == SolverRunStatus.DONE
    assert runs.draft_changed(run) is True
    assert _places(event) == before


@pytest.mark.django_db
def test_draft_fingerprint_follows_pins_and_new_sessions(event, scheduler):
    pinned, _talks = _program(event, scheduler)
    first = runs.draft_fingerprint(event)
    Slot.objects.filter(proposal=pinned).update(pinned=False)
    unpinned = runs.draft_fingerprint(event)
    talk(event, "Late addition")

    assert len({first, unpinned, runs.draft_fingerprint(event)}) == 3
    assert runs.draft_fingerprint(factories.EventFactory()) != first


@pytest.mark.django_db
def test_draft_fingerprint_follows_the_rules_a_plan_kept(event, scheduler):
    _program(event, scheduler)
    seen = [runs.draft_fingerprint(event)]
    event.min_pause_minutes = 10
    event.save(update_fields=["min_pause_minutes"])
    seen.append(runs.draft_fingerprint(event))
    session_type = event.session_types.first()
    session_type.rooms.add(event.rooms.first())
    seen.append(runs.draft_fingerprint(event))
    RoomAvailability.objects.create(room=event.rooms.first(), start=at(event, 9), end=at(event, 12))
    seen.append(runs.draft_fingerprint(event))
    speaker = event.proposals.first().speaker_links.first().user
    profile = SpeakerProfile.objects.get_or_create(user=speaker, event=event)[0]
    SpeakerAvailability.objects.create(profile=profile, start=at(event, 9), end=at(event, 17))
    seen.append(runs.draft_fingerprint(event))

    assert len(set(seen)) == len(seen)


@pytest.mark.django_db
def test_start_run_refused_while_another_run_is_running(event, scheduler):
    _program(event, scheduler)
    running = SolverRun.objects.create(
        event=event,
        mode="fill",
        time_limit=60,
        status=SolverRunStatus.RUNNING,
        started_at=timezone.now(),
        created_by=scheduler,
    )

    with pytest.raises(ServiceError, match="already running for this event"):
        _start(event, scheduler)
    assert list(event.solver_runs.all()) == [running]


@pytest.mark.django_db
def test_start_run_replaces_a_stale_run(event, scheduler):
    _program(event, scheduler)
    stale = SolverRun.objects.create(
        event=event,
        mode="fill",
        time_limit=10,
        status=SolverRunStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(seconds=10) - runs.STALE_MARGIN - dt.timedelta(seconds=1),
    )

    run = _start(event, scheduler)

    stale.refresh_from_db()
    assert (stale.status, run.status) == (SolverRunStatus.FAILED, SolverRunStatus.DONE)
    assert "stopped without a result" in stale.error


@pytest.mark.django_db
def test_a_run_of_another_event_does_not_block(event, scheduler):
    _program(event, scheduler)
    SolverRun.objects.create(
        event=factories.EventFactory(), mode="fill", time_limit=60, status=SolverRunStatus.QUEUED
    )

    assert _start(event, scheduler).status == SolverRunStatus.DONE


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [0, -5, runs.MAX_TIME_LIMIT + 1])
def test_start_run_refuses_a_time_limit_out_of_range(event, scheduler, limit):
    with pytest.raises(ServiceError, match="from 1 to 300") as refused:
        _start(event, scheduler, time_limit=limit)
    assert refused.value.field == "time_limit"
    assert not SolverRun.objects.exists()


@pytest.mark.django_db
def test_start_run_refuses_an_unknown_mode(event, scheduler):
    with pytest.raises(ServiceError, match="Unknown scheduling mode"):
        _start(event, scheduler, mode="shuffle")
    assert not SolverRun.objects.exists()


@pytest.mark.django_db
def test_start_run_refused_without_the_schedule_permission(event):
    reviewer = factories.team_member(event, name="Reviewers", can_review=True)

    with pytest.raises(NotAllowed):
        _start(event, reviewer)
    assert not SolverRun.objects.exists()


@pytest.mark.django_db
def test_execute_of_an_event_without_rooms_fails_with_a_message(event, scheduler):
    talk(event, "Lonely talk")
    event.rooms.all().delete()

    run = _start(event, scheduler)

    assert run.status == SolverRunStatus.FAILED
    assert run.error == f"{event.name} has no rooms; add rooms before scheduling."
    assert run.finished_at is not None


@pytest.mark.django_db
def test_execute_of_an_event_without_sessions_fails_with_a_message(event, scheduler):
    run = _start(event, scheduler)

    assert (run.status, run.error) == (
        SolverRunStatus.FAILED,
        f"{event.name} has no accepted or confirmed sessions to schedule.",
    )


@pytest.mark.django_db
def test_execute_turns_an_unexpected_error_into_a_failed_run(event, scheduler, monkeypatch):
    _program(event, scheduler)

    def broken(*args, **kwargs):
        raise RuntimeError("out of cheese")

    monkeypatch.setattr(runs, "solve", broken)

    run = _start(event, scheduler)

    assert run.status == SolverRunStatus.FAILED
    assert run.error == (
        "The scheduling engine stopped with an unexpected error (RuntimeError: out of cheese). "
        "Nothing was changed."
    )


@pytest.mark.django_db
def test_execute_leaves_a_run_that_is_no_longer_queued_alone(event, scheduler):
    _program(event, scheduler)
    run = _start(event, scheduler)
    stored = (run.solution, run.finished_at)

    assert runs.execute(run.pk) == SolverRunStatus.DONE
    run.refresh_from_db()
    assert (run.solution, run.finished_at) == stored


@pytest.mark.django_db
def test_a_run_discarded_while_searching_keeps_no_result(event, scheduler, monkeypatch):
    _program(event, scheduler)
    real_solve = runs.solve
    finished = []

    def discard_meanwhile(instance, **kwargs):
        runs.discard_run(run=SolverRun.objects.get(), by=scheduler)
        finished.append(real_solve(instance, **kwargs))
        return finished[-1]

    monkeypatch.setattr(runs, "solve", discard_meanwhile)

    run = _start(event, scheduler)

    assert (run.status, run.solution) == (SolverRunStatus.DISCARDED, None)
    assert finished == []  # the engine stopped at its first report instead of searching on


@pytest.mark.django_db
def test_progress_of_a_run_no_longer_running_stops_the_engine(event):
    run = SolverRun.objects.create(event=event, mode="fill", time_limit=10, status=SolverRunStatus.DISCARDED)

    with pytest.raises(Stopped):
        runs._progress_saver(run.pk)({"phase": "searching", "seconds": 1.0})


@pytest.mark.django_db
def test_every_phase_the_engine_reports_is_a_code_with_a_label(event, scheduler):
    _program(event, scheduler)
    reports = []
    loaded = load_instance(solving.build_instance(event))

    solve(loaded, time_limit=TIME_LIMIT, mode="fill", progress=reports.append)

    assert "constructed" in {report["phase"] for report in reports}
    assert {report["phase"] for report in reports} <= set(runs.PHASES)
    assert runs.FINISHED in runs.PHASES


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_a_phase_is_shown_in_the_readers_language_and_an_older_word_as_it_is():
    with translation.override("de"):
        labels = [runs.phase_label(phase) for phase in ("searching", "finished", "warming up")]

    assert labels == ["Suche läuft", "abgeschlossen", "warming up"]


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_a_run_started_in_german_fails_in_german_where_the_worker_runs_it(
    event, scheduler, settings, monkeypatch, django_capture_on_commit_callbacks
):
    talk(event, "Lonely talk")
    event.rooms.all().delete()
    settings.PODIUM_SOLVER_RUNNER = "celery"
    handed = []
    monkeypatch.setattr(runs, "_send_to_worker", handed.append)
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        run = _start(event, scheduler)

    assert run.language == "de"
    runs.execute(handed[0])  # as the worker does it: no request, so no language of its own

    run.refresh_from_db()
    assert run.error == f"{event.name} hat keine Räume; legen Sie vor der Planung Räume an."


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_messages_a_run_ends_with_are_in_its_starters_language(event, scheduler, monkeypatch):
    _program(event, scheduler)
    stale = SolverRun.objects.create(
        event=event, mode="fill", time_limit=10, status=SolverRunStatus.QUEUED, language="fr"
    )
    SolverRun.objects.filter(pk=stale.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    monkeypatch.setattr(runs, "solve", lambda *args, **kwargs: 1 / 0)
    with translation.override("de"):
        failed = _start(event, scheduler)

    stale.refresh_from_db()
    assert (
        stale.error
        == "Cette exécution s’est arrêtée sans résultat (le worker ou le serveur a peut-être redémarré)."
    )
    assert failed.error == (
        "Die Planung hielt mit einem unerwarteten Fehler an (ZeroDivisionError: division by zero). "
        "Es wurde nichts geändert."
    )


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_a_run_no_worker_would_take_says_so_in_its_starters_language(
    event, scheduler, settings, monkeypatch, django_capture_on_commit_callbacks
):
    _program(event, scheduler)
    settings.PODIUM_SOLVER_RUNNER = "celery"

    def unreachable(run_id):
        raise ConnectionError("no broker")

    from podium.scheduling import tasks

    monkeypatch.setattr(tasks.solve_run, "delay", unreachable)
    with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
        run = _start(event, scheduler)

    run.refresh_from_db()
    assert run.status == SolverRunStatus.FAILED
    assert run.error == (
        "L’exécution n’a pas pu être confiée à un worker en arrière-plan (no broker). Réessayez plus tard."
    )


@pytest.mark.django_db
def test_apply_run_refuses_a_run_without_a_plan(event, scheduler):
    run = _start(event, scheduler)  # no sessions: failed

    with pytest.raises(ServiceError, match="This run failed, so it has no plan to apply"):
        runs.apply_run(run=run, by=scheduler)
    with pytest.raises(ServiceError, match="This run failed"):
        runs.discard_run(run=run, by=scheduler)


@pytest.mark.django_db
def test_progress_is_saved_at_most_once_a_second(event, scheduler, monkeypatch):
    run = SolverRun.objects.create(event=event, mode="fill", time_limit=10, status=SolverRunStatus.RUNNING)
    clock = [100.0]
    monkeypatch.setattr(runs.time, "monotonic", lambda: clock[0])
    save = runs._progress_saver(run.pk)
    report = {"phase": "searching", "seconds": 1.0, "iterations": 128, "unscheduled": 2, "total": 300}

    save(report)
    clock[0] += 0.5
    save({**report, "iterations": 256})
    saved_first = SolverRun.objects.get(pk=run.pk).progress
    clock[0] += 0.6
    save({**report, "iterations": 512})

    assert saved_first["iterations"] == 128
    assert SolverRun.objects.get(pk=run.pk).progress["iterations"] == 512


@pytest.mark.django_db
def test_runner_defaults_to_a_thread_without_a_broker_and_a_worker_with_one(settings):
    settings.PODIUM_SOLVER_RUNNER = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    without = runs.runner()
    settings.CELERY_TASK_ALWAYS_EAGER = False

    assert (without, runs.runner()) == ("thread", "celery")


@pytest.mark.django_db(transaction=True)
def test_thread_runner_returns_before_the_run_is_done(event, scheduler, settings, monkeypatch):
    settings.PODIUM_SOLVER_RUNNER = "thread"
    _pinned, talks = _program(event, scheduler)
    gate = threading.Event()
    real_solve = runs.solve

    def held(instance, **kwargs):
        gate.wait(WAIT_SECONDS)  # the engine starts only once the test has seen start_run return
        return real_solve(instance, **kwargs)

    monkeypatch.setattr(runs, "solve", held)

    run = _start(event, scheduler)
    status_on_return = run.status
    gate.set()
    run = _wait(run)

    assert status_on_return in (SolverRunStatus.QUEUED, SolverRunStatus.RUNNING)
    assert run.status == SolverRunStatus.DONE
    assert sorted(item["code"] for item in run.changes["placed"]) == sorted(t.code for t in talks)


@pytest.mark.django_db
def test_start_run_with_weights_solves_with_them_and_the_event_remembers_them(event, scheduler, monkeypatch):
    _program(event, scheduler)
    received = engine_weights(monkeypatch, runs)

    run = _start(event, scheduler, weights={"overflow": 35, "changes": 0, "preference": 2.5})

    wanted = {**DEFAULT_WEIGHTS, "overflow": 35, "changes": 0, "preference": 2.5}
    assert run.status == SolverRunStatus.DONE
    assert received == [wanted]
    assert run.weights == wanted
    event.refresh_from_db()
    assert event.solver_weights == wanted
    entry = AuditEntry.objects.get(action="schedule.solver_started")
    assert entry.data["weights"] == wanted


@pytest.mark.django_db
def test_start_run_without_weights_uses_the_events_stored_ones(event, scheduler, monkeypatch):
    _program(event, scheduler)
    stored = {**DEFAULT_WEIGHTS, "missed_favourites": 7, "track_clash": 300}
    Event.objects.filter(pk=event.pk).update(solver_weights=stored)
    event.refresh_from_db()
    received = engine_weights(monkeypatch, runs)

    run = _start(event, scheduler)

    assert (received, run.weights) == ([stored], stored)
    event.refresh_from_db()
    assert event.solver_weights == stored


@pytest.mark.django_db
def test_start_run_without_weights_for_an_event_without_stored_ones_uses_the_defaults(
    event, scheduler, monkeypatch
):
    _program(event, scheduler)
    received = engine_weights(monkeypatch, runs)

    run = _start(event, scheduler)

    assert (received, run.weights) == ([DEFAULT_WEIGHTS], DEFAULT_WEIGHTS)
    event.refresh_from_db()
    assert event.solver_weights == {}  # nothing chosen, nothing remembered


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("weights", "message", "field"),
    [
        ({"bogus": 1}, r"Unknown weight 'bogus': the goals are missed_favourites, overflow, ", None),
        (
            {"overflow": -1},
            r"The weight of overflow must be a number of at least 0, not -1\.",
            "weight_overflow",
        ),
        (
            {"changes": "10"},
            r"The weight of changes must be a number of at least 0, not '10'\.",
            "weight_changes",
        ),
        ({"preference": True}, r"The weight of preference must be a number", "weight_preference"),
        ({"track_room": float("nan")}, r"The weight of track_room must be a number", "weight_track_room"),
        ({"track_clash": None}, r"The weight of track_clash must be a number", "weight_track_clash"),
    ],
)
def test_start_run_refuses_weights_that_are_not_numbers_of_at_least_0(
    event, scheduler, weights, message, field
):
    _program(event, scheduler)

    with pytest.raises(ServiceError, match=message) as refused:
        _start(event, scheduler, weights=weights)

    assert refused.value.field == field
    assert not SolverRun.objects.exists()
    event.refresh_from_db()
    assert event.solver_weights == {}


@pytest.mark.django_db
def test_a_plan_worse_than_the_draft_is_not_offered_and_the_run_says_why(event, scheduler, monkeypatch):
    first = placed_talk(event, "First", "Hall A", at(event, 10), scheduler)
    second = placed_talk(event, "Second", "Hall A", at(event, 11), scheduler)
    before = _places(event)

    def moves_both(instance, **kwargs):  # the same program an hour later: two changes, nothing gained
        assignments = [
            {
                "session": p.code,
                "slot": solving.slot_id(at(event, hour), event),
                "room": solving.room_id(p_room),
            }
            for p, hour, p_room in (
                (first, 14, event.rooms.get(name="Hall A")),
                (second, 15, event.rooms.get(name="Hall A")),
            )
        ]
        return Solution(assignments=assignments, unscheduled=[], objective={}, stats={})

    monkeypatch.setattr(runs, "solve", moves_both)

    run = _start(event, scheduler, mode="replan")

    assert run.status == SolverRunStatus.FAILED
    assert "worse than the draft on the weighted total (200 against 0 now)" in run.error
    assert run.solution is None
    assert _places(event) == before


def test_a_replan_stores_what_each_goal_bought_with_its_moves(event, scheduler):
    """Two sessions many attendees starred run at once: the re-plan moves one, and its preview says the
    move bought missed favourites (the preview page reads this)."""
    first = placed_talk(event, "Starred one", "Hall A", at(event, 10), scheduler)
    second = placed_talk(event, "Starred two", "Room 101", at(event, 10), scheduler, track_name="Data")
    for _ in range(5):
        fan = factories.UserFactory()
        for proposal in (first, second):
            Star.objects.create(event=event, user=fan, proposal=proposal)

    run = _start(event, scheduler, mode="replan", weights={"changes": 1})

    assert run.status == SolverRunStatus.DONE
    goals = run.changes["goals"]
    assert goals["moves"] == len(run.changes["moved"]) >= 1
    assert goals["terms"]["missed_favourites"]["moves"] >= 1
    assert set(goals["terms"]["missed_favourites"]["codes"]) <= {first.code, second.code}
    assert goals["terms"]["changes"]["moves"] == goals["moves"]
