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
