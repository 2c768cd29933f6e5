"""Reviewer assignment (CP-SAT: N reviews per proposal, balanced, within tracks, never one's own or a
conflicted proposal), assignments by hand, conflicts of interest and the assignment-only mode."""

import pytest

from podium.base.errors import NotAllowed, ServiceError
from podium.base.models import AuditEntry
from podium.proposals import queries as proposal_queries
from podium.proposals.enums import ProposalState
from podium.reviews import queries, rules, services
from podium.reviews.models import Assignment, Conflict, Review, ReviewPhase
from tests import factories

pytestmark = pytest.mark.django_db


def _reviewers(event, count, **extra):
    return [
        factories.team_member(event, name=f"Reviewers {n}", can_review=True, **extra) for n in range(count)
    ]


def _pairs(event):
    return set(Assignment.objects.filter(proposal__event=event).values_list("reviewer_id", "proposal_id"))


def test_every_proposal_gets_n_reviewers_and_the_load_is_balanced(event, organiser_user):
    reviewers = _reviewers(event, 4)
    proposals = [factories.ProposalFactory(event=event) for _ in range(6)]

    outcome = services.assign_reviewers(event=event, by=organiser_user, per_proposal=2)

    assert (outcome.created, outcome.proposals) == (12, 6)
    for proposal in proposals:
        assert proposal.review_assignments.count() == 2
    # 12 assignments over 5 reviewers (the organiser reviews too): 2 or 3 each
    loads = {load.reviewer.pk: load.assigned for load in outcome.balance.loads}
    assert set(loads) == {r.pk for r in [*reviewers, organiser_user]}
    assert (outcome.balance.minimum, outcome.balance.maximum, outcome.balance.mean) == (2, 3, 2.4)
    assert AuditEntry.objects.filter(action="review.assigned", event_id=event.pk).exists()


def test_assignment_counts_existing_reviews_and_assignments_and_runs_again_without_change(
    event, organiser_user
):
    first, second = _reviewers(event, 2)
    proposal = factories.ProposalFactory(event=event)
    Review.objects.create(proposal=proposal, reviewer=first, score=2)
    services.add_assignment(proposal=proposal, reviewer=second, by=organiser_user)

    outcome = services.assign_reviewers(event=event, by=organiser_user, per_proposal=2)
    again = services.assign_reviewers(event=event, by=organiser_user, per_proposal=2)

    assert (outcome.created, again.created) == (0, 0)
    assert _pairs(event) == {(second.pk, proposal.pk)}


def test_assignment_never_gives_own_or_conflicted_proposals_and_respects_tracks(event, organiser_user):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    web_reviewer = factories.team_member(event, name="Web reviewers", can_review=True, tracks=[web])
    speaking, conflicted = _reviewers(event, 2)
    own = factories.ProposalFactory(event=event, track=web, speakers=[speaking])
    services.declare_conflict(proposal=own, reviewer=conflicted, by=conflicted)
    data_talk = factories.ProposalFactory(event=event, track=data)

    services.assign_reviewers(event=event, by=organiser_user, per_proposal=2)

    assigned_own = set(own.review_assignments.values_list("reviewer_id", flat=True))
    assert assigned_own == {web_reviewer.pk, organiser_user.pk}
    assert web_reviewer.pk not in set(data_talk.review_assignments.values_list("reviewer_id", flat=True))


def test_an_infeasible_assignment_is_refused_naming_the_proposals_and_saves_nothing(event, organiser_user):
    web = event.tracks.get(name="Web")
    only = factories.team_member(event, name="Web reviewers", can_review=True, tracks=[web])
    factories.ProposalFactory(event=event, track=web)
    stuck = factories.ProposalFactory(event=event, track=web, speakers=[organiser_user])

    with pytest.raises(ServiceError) as refusal:
        services.assign_reviewers(event=event, by=organiser_user, per_proposal=2)

    assert f"{stuck.code} (1 more possible, 2 needed)" in refusal.value.message
    assert "Nothing was assigned" in refusal.value.message
    assert not Assignment.objects.exists()
    assert only.pk  # the one web reviewer is all the stuck proposal has


def test_only_submitted_proposals_are_assigned(event, organiser_user):
    _reviewers(event, 1)
    factories.ProposalFactory(event=event, state=ProposalState.WITHDRAWN)
    factories.ProposalFactory(event=event, state=ProposalState.ACCEPTED)
    submitted = factories.ProposalFactory(event=event)

    services.assign_reviewers(event=event, by=organiser_user, per_proposal=1)

    assert {pid for _, pid in _pairs(event)} == {submitted.pk}


def test_assignment_is_for_those_who_manage_reviews_and_needs_reviewers(event, reviewer):
    with pytest.raises(NotAllowed):
        services.assign_reviewers(event=event, by=reviewer, per_proposal=1)
    other = factories.EventFactory()
    editor = factories.team_member(other, can_edit_event=True)
    with pytest.raises(ServiceError, match="nobody to assign"):
        services.assign_reviewers(event=other, by=editor, per_proposal=1)


def test_manual_assignments_are_refused_where_the_automatic_one_would_not_give_them(
    event, organiser_user, reviewer
):
    own = factories.ProposalFactory(event=event, speakers=[reviewer])
    other = factories.ProposalFactory(event=event)
    outsider = factories.UserFactory()

    with pytest.raises(ServiceError, match="may not review"):
        services.add_assignment(proposal=own, reviewer=reviewer, by=organiser_user)
    with pytest.raises(ServiceError, match="Only members of a team that reviews"):
        services.add_assignment(proposal=other, reviewer=outsider, by=organiser_user)
    services.add_assignment(proposal=other, reviewer=reviewer, by=organiser_user)
    with pytest.raises(ServiceError, match="already"):
        services.add_assignment(proposal=other, reviewer=reviewer, by=organiser_user)
    services.remove_assignment(proposal=other, reviewer=reviewer, by=organiser_user)
    with pytest.raises(ServiceError, match="is not assigned"):
        services.remove_assignment(proposal=other, reviewer=reviewer, by=organiser_user)
    assert not Assignment.objects.exists()


# --- Conflicts of interest ---------------------------------------------------------------------------


def test_a_declared_conflict_removes_the_assignment_and_review_and_refuses_reviewing(
    event, proposal, reviewer, organiser_user
):
    services.add_assignment(proposal=proposal, reviewer=reviewer, by=organiser_user)
    services.save_review(proposal=proposal, reviewer=reviewer, score=2)

    conflict = services.declare_conflict(proposal=proposal, reviewer=reviewer, by=reviewer)

    assert conflict.review_removed
    assert not Assignment.objects.exists()
    assert not Review.objects.exists()
    assert rules.review_refusal(reviewer, proposal) == rules.CONFLICTED
    assert not rules.reviewable_proposals(reviewer, event).filter(pk=proposal.pk).exists()
    with pytest.raises(NotAllowed, match="conflict of interest"):
        services.save_review(proposal=proposal, reviewer=reviewer, score=2)
    with pytest.raises(ServiceError, match="may not review"):
        services.add_assignment(proposal=proposal, reviewer=reviewer, by=organiser_user)

    assert services.withdraw_conflict(proposal=proposal, reviewer=reviewer, by=reviewer)
    assert rules.review_refusal(reviewer, proposal) is None


def test_only_the_reviewer_or_an_organiser_declares_their_conflicts(
    event, proposal, reviewer, organiser_user
):
    colleague = _reviewers(event, 1)[0]

    with pytest.raises(NotAllowed):
        services.declare_conflict(proposal=proposal, reviewer=colleague, by=reviewer)
    services.declare_conflict(proposal=proposal, reviewer=colleague, by=organiser_user)

    assert Conflict.objects.filter(reviewer=colleague).count() == 1


def test_co_authors_and_the_same_organisation_are_suggested(event, organiser_user):
    acme = factories.team_member(event, user=factories.UserFactory(email="ann@acme.example"), can_review=True)
    gmail = factories.team_member(event, user=factories.UserFactory(email="bob@gmail.com"), can_review=True)
    partner, colleague = factories.UserFactory(), factories.UserFactory(email="cy@ACME.example")
    earlier = factories.EventFactory(organiser=event.organiser)
    factories.ProposalFactory(event=earlier, speakers=[gmail, partner])  # they spoke together before
    with_partner = factories.ProposalFactory(event=event, speakers=[partner])
    with_colleague = factories.ProposalFactory(event=event, speakers=[colleague])
    factories.ProposalFactory(event=event, speakers=[factories.UserFactory(email="dee@gmail.com")])

    found = {
        (s.reviewer.pk, s.proposal.pk): s.reasons for s in queries.suggested_conflicts(event, [acme, gmail])
    }

    assert found == {
        (acme.pk, with_colleague.pk): [queries.SAME_ORGANISATION],
        (gmail.pk, with_partner.pk): [queries.CO_AUTHOR],
    }
    services.declare_conflict(proposal=with_colleague, reviewer=acme, by=acme)
    assert len(queries.suggested_conflicts(event, [acme, gmail])) == 1


# --- Assignment-only mode ----------------------------------------------------------------------------


def test_in_assignment_only_mode_reviewers_see_only_what_was_assigned(event, reviewer, organiser_user):
    given = factories.ProposalFactory(event=event)
    factories.ProposalFactory(event=event)
    services.add_assignment(proposal=given, reviewer=reviewer, by=organiser_user)
    before = set(proposal_queries.for_viewer(reviewer, event).values_list("code", flat=True))

    services.update_review_settings(
        event=event, by=organiser_user, phase=ReviewPhase.OPEN, assignment_only=True, reviews_per_proposal=2
    )
    event.refresh_from_db()
    reviewer._podium_permissions = None

    assert len(before) == 2
    assert list(proposal_queries.for_viewer(reviewer, event).values_list("code", flat=True)) == [given.code]
    assert list(rules.reviewable_proposals(reviewer, event)) == [given]
    assert proposal_queries.for_viewer(organiser_user, event).count() == 2


def test_assignment_only_mode_does_not_stop_the_assignment_from_giving_more(event, reviewer, organiser_user):
    services.update_review_settings(
        event=event, by=organiser_user, phase=ReviewPhase.OPEN, assignment_only=True, reviews_per_proposal=1
    )
    proposal = factories.ProposalFactory(event=event, speakers=[organiser_user])

    services.assign_reviewers(event=event, by=organiser_user, per_proposal=1)

    assert _pairs(event) == {(reviewer.pk, proposal.pk)}
    assert list(rules.reviewable_proposals(reviewer, event)) == [proposal]
