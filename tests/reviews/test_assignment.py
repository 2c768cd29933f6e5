"""The CP-SAT assignment plan on its own: N reviewers each, balanced, shortfalls named."""

from podium.reviews import assignment


def test_the_plan_balances_the_load_counting_what_reviewers_already_have():
    result = assignment.plan(
        reviewers=[1, 2, 3],
        proposals=[10, 11, 12, 13, 14, 15],
        eligible={p: {1, 2, 3} for p in range(10, 16)},
        covered={},
        load={3: 3},
        per_proposal=1,
    )

    assert result.optimal
    assert result.loads == {1: 3, 2: 3, 3: 3}
    assert sorted(p for _, p in result.pairs) == [10, 11, 12, 13, 14, 15]


def test_the_plan_takes_only_eligible_reviewers_and_skips_those_who_cover_a_proposal():
    result = assignment.plan(
        reviewers=[1, 2, 3],
        proposals=[10, 11],
        eligible={10: {1, 2}, 11: {1, 2, 3}},
        covered={11: {3}},
        load={},
        per_proposal=2,
    )

    assert {r for r, p in result.pairs if p == 10} == {1, 2}
    assert len([1 for _, p in result.pairs if p == 11]) == 1
    assert all(r != 3 for r, _ in result.pairs)


def test_the_plan_names_every_proposal_that_cannot_get_n_and_plans_nothing():
    result = assignment.plan(
        reviewers=[1, 2],
        proposals=[10, 11, 12],
        eligible={10: {1}, 11: {1, 2}, 12: set()},
        covered={12: {2}},
        load={},
        per_proposal=2,
    )

    assert result.pairs == []
    assert [(s.proposal, s.needed, s.possible) for s in result.shortfalls] == [(10, 2, 1), (12, 1, 0)]


def test_starting_podium_does_not_load_cp_sat():
    """OR-Tools' CP-SAT (and pandas with it) is loaded when a plan is made, not by every process that
    loads the URLs: test servers, commands and workers start without paying for it."""
    import os
    import subprocess
    import sys

    code = (
        "import django, sys; django.setup(); from django.urls import resolve; resolve('/');"
        " print(sorted(m for m in ('ortools.sat', 'pandas') if m in sys.modules))"
    )
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "podium.settings"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)

    assert result.stdout.strip().splitlines()[-1] == "[]"
