"""Giving proposals to reviewers so that each gets its N reviews with the load balanced (CP-SAT).

Pure computation: `plan` takes who may review what and who already covers what, and answers the new
(reviewer, proposal) pairs, or the proposals that cannot get N reviewers. Services apply the answer.
"""

from dataclasses import dataclass, field

TIME_LIMIT_SECONDS = 10.0


@dataclass
class Shortfall:
    """A proposal that cannot reach N reviewers: it needs `needed` more, `possible` reviewers are left."""

    proposal: int
    needed: int
    possible: int


@dataclass
class Plan:
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (reviewer id, proposal id), new ones
    shortfalls: list[Shortfall] = field(default_factory=list)
    loads: dict[int, int] = field(default_factory=dict)  # reviewer id -> load after the plan
    optimal: bool = False


def plan(
    *,
    reviewers: list[int],
    proposals: list[int],
    eligible: dict[int, set[int]],
    covered: dict[int, set[int]],
    load: dict[int, int],
    per_proposal: int,
    time_limit: float = TIME_LIMIT_SECONDS,
) -> Plan:
    """New pairs so that every proposal has `per_proposal` reviewers (those in `covered[p]`, who
    reviewed it or were given it already, count), each new reviewer of p in `eligible[p]`.

    The objective, in this order: the smallest possible maximum load (`load[r]`, what r has already,
    plus the new pairs), then the smallest spread between the most and least loaded reviewer (of those
    who may take any of the proposals). When some proposal has too few eligible reviewers left, no pair
    is planned and `shortfalls` names them all.
    """
    need = {p: max(0, per_proposal - len(covered.get(p, set()))) for p in proposals}
    candidates = {p: sorted(eligible.get(p, set()) - covered.get(p, set())) for p in proposals}
    shortfalls = [
        Shortfall(proposal=p, needed=need[p], possible=len(candidates[p]))
        for p in proposals
        if len(candidates[p]) < need[p]
    ]
    result = Plan(loads={r: load.get(r, 0) for r in reviewers})
    if shortfalls:
        result.shortfalls = shortfalls
        return result
    wanted = [p for p in proposals if need[p]]
    if not wanted:
        result.optimal = True
        return result

    # OR-Tools (and the pandas it loads) is imported when a plan is made, not when the app starts:
    # every process that loads the URLs would otherwise pay ~0.4 s for it.
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    x = {(r, p): model.new_bool_var(f"x_{r}_{p}") for p in wanted for r in candidates[p]}
    for p in wanted:
        model.add(sum(x[r, p] for r in candidates[p]) == need[p])
    upper = max(load.get(r, 0) for r in reviewers) + sum(need.values())
    top = model.new_int_var(0, upper, "max_load")
    bottom = model.new_int_var(0, upper, "min_load")
    takers = {r for (r, _) in x}
    loads = {}
    for r in reviewers:
        mine = [x[pair] for pair in x if pair[0] == r]
        loads[r] = load.get(r, 0) + sum(mine) if mine else load.get(r, 0)
        model.add(top >= loads[r])
        if r in takers:
            model.add(bottom <= loads[r])
    model.minimize(top * (upper + 1) + (top - bottom))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise RuntimeError(f"CP-SAT found no assignment ({solver.status_name(status)}).")
    result.optimal = status == cp_model.OPTIMAL
    result.pairs = sorted(pair for pair, var in x.items() if solver.value(var))
    for r, _ in result.pairs:
        result.loads[r] += 1
    return result
