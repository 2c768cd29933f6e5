"""solve(): construction, improvement and, when something cannot be placed, the explanation."""

import json
import random
import time
from dataclasses import dataclass, field

from .construct import construct, place_fixed
from .instance import load_instance
from .objective import evaluate
from .search import Clock, anneal, descend, eject_and_insert, report
from .state import Candidates, State

# CP-SAT (explain) and the numba-compiled loop (timing) take about a second to import; they are imported
# where a solve needs them, so the web server, the worker and every `podium` command start without them.

MODES = ("fill", "replan")
SEARCH_SHARE = 0.92  # of the time limit for the searches; the rest is for the final descent
WRAP_UP = 0.5  # seconds kept at the end of the time limit for the recount and the solution
TIMES_SHARE = 0.75  # of the search time for annealing the times when other sessions can move too


class Stopped(Exception):
    """Raised by a progress callback to end the run at once; solve() then returns nothing."""


@dataclass
class Solution:
    assignments: list
    unscheduled: list
    objective: dict
    stats: dict
    infeasible: list = field(default_factory=list)

    def to_dict(self) -> dict:
        data = {
            "assignments": self.assignments,
            "unscheduled": self.unscheduled,
            "objective": self.objective,
            "stats": self.stats,
        }
        if self.infeasible:
            data["infeasible"] = self.infeasible
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"


def solve(
    instance,
    *,
    time_limit: float = 10,
    seed: int = 0,
    mode: str = "replan",
    progress=None,
    max_iterations: int | None = None,
) -> Solution:
    """Schedule `instance` (an Instance, a dict or JSON text) within about `time_limit` seconds.

    mode "fill" keeps every session of `current` where it is and places the rest; "replan" may move
    anything not pinned, paying the `changes` weight for each session moved away from `current`.
    A re-plan that starts from a complete, valid `current` only takes moves that pay for themselves.
    `max_iterations` bounds the annealing for reproducible runs (the time limit still applies).
    `progress` receives a report (phase, seconds, iterations, missed favourites, total) every couple of
    seconds; it may raise Stopped to end the run at once.
    """
    from .timing import anneal_times, times_only

    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    started = time.monotonic()
    if not hasattr(instance, "sessions"):
        instance = load_instance(instance)
    clock = Clock(time_limit * SEARCH_SHARE, started, max_iterations)
    rng = random.Random(seed)
    candidates = Candidates(instance)
    state = State(instance, candidates)
    fixed = {s: session.pinned for s, session in enumerate(instance.sessions) if session.pinned is not None}
    kept = {s: place for s, place in instance.current.items() if s not in fixed} if mode == "fill" else {}
    refused = place_fixed(state, fixed) + place_fixed(state, kept)  # pins win over kept places
    movable = {s for s in range(len(instance.sessions)) if s not in fixed and s not in kept}
    # Filling never moves a placed session: a kept place that breaks a rule now stays where it is, left
    # out of the plan with the reason, and its room and speakers stay busy there.
    held = {s: kept[s] for s in refused if s in kept}
    for s, place in held.items():
        state.hold(s, *place)
    kept = {s: place for s, place in kept.items() if s not in held}
    # Re-planning from a complete plan: only moves that pay for their changes (the final descent).
    replan_from_current = (
        bool(instance.current) and mode == "replan" and all(s in instance.current for s in movable)
    )
    construct(state, movable, prefer_current=bool(instance.current))
    _rescue(state, instance, kept, movable, clock, rng, cp_sat=not held)
    first_feasible = time.monotonic() - started
    construction = state.total()
    _report(progress, "constructed", state, 0, started)
    iterations = 0
    if not replan_from_current or state.unplaced > len(refused):
        remaining = max(0.0, clock.deadline - time.monotonic())
        # Annealing the times covers the placed one-slot sessions that need no particular room; the
        # annealing of places (time and room) gets a share when others can move or wait to be placed.
        others = any(
            state.pos[s] is None or (not times_only(instance.sessions[s]) and len(candidates.starts[s]) > 1)
            for s in movable
        )
        share = TIMES_SHARE if others else 1.0
        times = Clock(remaining * share, time.monotonic(), _share(max_iterations, share))
        iterations = anneal_times(state, movable, times, rng, progress)
        rest = Clock(
            max(0.0, clock.deadline - time.monotonic()), time.monotonic(), _share(max_iterations, 1.0)
        )
        iterations += anneal(state, movable, rest, rng, progress)
    # The descent stops early enough to leave time for the recount and the solution within the limit.
    descend(state, movable, Clock(time_limit - min(WRAP_UP, 0.1 * time_limit), started))
    _report(progress, "improved", state, iterations, started)
    return _solution(
        instance, state, kept, held, started, first_feasible, construction, iterations, time_limit
    )


def _share(max_iterations, share):
    return None if max_iterations is None else max(1, int(max_iterations * share))


def _report(progress, phase, state, iterations, started):
    report(progress, phase, started, iterations, state.unplaced, state.terms[0], state.total())


def _rescue(state, instance, kept, movable, clock, rng, *, cp_sat=True):
    """When greedy left sessions out: ejection chains, then (small instances) CP-SAT's most placed
    (not with held places, which its model does not know)."""
    from . import explain as explaining

    attempts = 0
    # A session with no place at all (its own data rules out every slot or room) is left to the explanation.
    possible = [s for s in sorted(movable) if state.candidates.starts[s]]
    while attempts < 200 * state.unplaced and not clock.over():
        left_out = [s for s in possible if state.pos[s] is None]
        if not left_out:
            return
        attempts += 1
        eject_and_insert(state, rng.choice(left_out), movable, rng)
    if not cp_sat or not any(state.pos[s] is None for s in possible):
        return
    budget = max(0.5, min(5.0, (clock.deadline - time.monotonic()) / 3))
    fixed = {
        s: instance.sessions[s].pinned for s in range(len(instance.sessions)) if instance.sessions[s].pinned
    }
    best = explaining.max_placed(instance, kept, time_limit=budget, hint=state.placement())
    if best is None or len(best) <= len(state.placement()):
        return
    if any(s in fixed and place != fixed[s] for s, place in best.items()):
        return
    state.reset_to({})
    for s, (start, room) in sorted(best.items()):
        if state.can_place(s, start, room):  # always true: the model holds the same rules
            state.add(s, start, room)


def _solution(instance, state, kept, held, started, first_feasible, construction, iterations, time_limit):
    from . import explain as explaining

    placement = state.placement()
    assignments = [
        {
            "session": instance.sessions[s].id,
            "slot": instance.slots[start].id,
            "room": instance.rooms[room].id,
        }
        for s, (start, room) in sorted(placement.items())
    ]
    unplaced = [s for s in range(len(instance.sessions)) if s not in placement]
    infeasible = []
    to_explain = [s for s in unplaced if s not in held]
    if to_explain:
        budget = max(1.0, min(10.0, time_limit / 3))
        infeasible = explaining.explain(instance, to_explain, kept, time_limit=budget)
    unscheduled = [
        {
            "session": instance.sessions[s].id,
            "reason": _held_reason(instance, s, held[s])
            if s in held
            else _reason(instance, state, s, infeasible),
        }
        for s in unplaced
    ]
    objective = evaluate(instance, placement)
    objective["unscheduled"] = len(unplaced)
    stats = {
        "seconds": round(time.monotonic() - started, 3),
        "iterations": iterations,
        "first_feasible_seconds": round(first_feasible, 3),
        "construction_total": construction,
    }
    return Solution(assignments, unscheduled, objective, stats, infeasible)


def _held_reason(instance, s, place) -> str:
    start, room = place
    return (
        f"Session {instance.sessions[s].label} keeps its place ({instance.slots[start].id} in "
        f"{instance.rooms[room].label}), which breaks a rule now (its speakers' times, the room, a pin or "
        "another session there); filling moves nothing placed, so move it by hand or re-plan."
    )


def _reason(instance, state, s, infeasible) -> str:
    """Why `s` was left out: the proven conflict that names it, else what its own data rules out."""
    session = instance.sessions[s]
    for entry in infeasible:
        if entry.get("rule") == "summary" and session.id in entry.get("sessions", []):
            return entry["message"]
    return _own_reason(instance, s)


def _own_reason(instance, s) -> str:
    """Without a proven conflict: the session's own data if that rules out every place, else the truth."""
    from . import explain as explaining

    own = explaining.own_reason(instance, s)
    if own is not None:
        return own
    return (
        f"Session {instance.sessions[s].label} was left out because every place it could take was needed "
        "by sessions already placed, and no single rule could be shown to be the cause in the time given; "
        "a longer time limit may place it."
    )
