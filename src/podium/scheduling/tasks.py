"""Celery task of automatic scheduling: a worker runs the engine for a run queued by the editor
(podium.scheduling.runs). The task only takes the run's id; runs.execute does the work and never raises."""

from podium.celery import app
from podium.scheduling import runs

# The longest run allowed, plus time to build the instance, explain what was left out and save.
SOFT_TIME_LIMIT = runs.MAX_TIME_LIMIT + 60
TIME_LIMIT = runs.MAX_TIME_LIMIT + 90


@app.task(name="podium.scheduling.solve", soft_time_limit=SOFT_TIME_LIMIT, time_limit=TIME_LIMIT)
def solve_run(run_id: int) -> str:
    """Execute one solver run; returns its final status. A second delivery of the same run does nothing."""
    return runs.execute(run_id)
