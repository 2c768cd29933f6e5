"""Automatic scheduling of an event's draft: the engine (`solver/`, which knows nothing of Django), the
instance built from the draft and the plan applied through the schedule services (`solving.py`), runs
started from the editor with their progress and preview (`runs.py`, the `SolverRun` model) and the
worker's task (`tasks.py`). The draft and its releases are the `schedule` app below it.
"""
