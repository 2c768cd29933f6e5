"""The scheduling engine: plain Python (and OR-Tools), no Django, so it runs anywhere and tests fast.

    from podium.scheduling.solver import load_instance, solve
    solution = solve(load_instance(data), time_limit=10)

The file format is described in docs/solver-format.md.
"""

from .engine import Solution, Stopped, solve
from .instance import InstanceError, load_instance

__all__ = ["InstanceError", "Solution", "Stopped", "load_instance", "solve"]
