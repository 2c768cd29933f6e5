"""The Celery task of automatic scheduling, run eagerly as without a broker."""

import pytest

from podium.scheduling import runs, tasks
from podium.scheduling.models import SolverRun, SolverRunStatus
from tests import factories
from tests.program import talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


def test_solve_task_is_registered_under_its_name():
    from podium.celery import app

    assert app.tasks["podium.scheduling.solve"].run is tasks.solve_run.run


def test_celery_runner_hands_the_run_to_the_task_after_commit(
    event, scheduler, settings, django_capture_on_commit_callbacks
):
    settings.PODIUM_SOLVER_RUNNER = "celery"  # tests have no broker: Celery runs the task eagerly
    first = talk(event, "First")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run = runs.start_run(event=event, mode="fill", time_limit=1, keep_pinned=True, by=scheduler)
    queued = run.status
    for callback in callbacks:
        callback()
    run.refresh_from_db()

    assert (queued, run.status) == (SolverRunStatus.QUEUED, SolverRunStatus.DONE)
    assert [item["code"] for item in run.changes["placed"]] == [first.code]


def test_solve_task_delivered_twice_runs_once(event, scheduler):
    talk(event, "First")
    run = SolverRun.objects.create(event=event, mode="fill", time_limit=1, created_by=scheduler)

    first = tasks.solve_run.delay(run.pk).get()
    finished = SolverRun.objects.get(pk=run.pk).finished_at
    second = tasks.solve_run.delay(run.pk).get()

    assert (first, second) == (SolverRunStatus.DONE, SolverRunStatus.DONE)
    assert SolverRun.objects.get(pk=run.pk).finished_at == finished


def test_celery_runner_marks_the_run_failed_when_the_broker_is_unreachable(event, scheduler, monkeypatch):
    run = SolverRun.objects.create(event=event, mode="fill", time_limit=1, created_by=scheduler)

    def unreachable(*args, **kwargs):
        raise ConnectionError("connection refused")

    monkeypatch.setattr(tasks.solve_run, "delay", unreachable)
    runs._send_to_worker(run.pk)

    run.refresh_from_db()
    assert run.status == SolverRunStatus.FAILED
    assert run.error == (
        "The run could not be handed to a background worker (connection refused). Try again later."
    )
