"""Review criteria (weighted scores), review phases and copying the review settings to another event."""

import pytest

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.proposals.enums import ProposalState
from podium.reviews import queries, rules, services
from podium.reviews.models import Criterion, CriterionScore, Review, ReviewPhase, ReviewSettings
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def criteria(event, organiser_user):
    relevance = services.save_criterion(
        event=event, by=organiser_user, name="Relevance", weight=3, max_score=4
    )
    clarity = services.save_criterion(event=event, by=organiser_user, name="Clarity", weight=1, max_score=2)
    return relevance, clarity


def _phase(event, by, phase, **extra):
    current = rules.settings_for(event)
    return services.update_review_settings(
        event=event,
        by=by,
        phase=phase,
        assignment_only=extra.get("assignment_only", current.assignment_only),
        reviews_per_proposal=extra.get("reviews_per_proposal", current.reviews_per_proposal),
    )


# --- Weighted scores ---------------------------------------------------------------------------------


def test_a_review_scores_each_criterion_and_keeps_the_weighted_score_on_the_events_scale(
    proposal, reviewer, criteria
):
    relevance, clarity = criteria

    review = services.save_review(
        proposal=proposal, reviewer=reviewer, scores={relevance.pk: 4, clarity.pk: 1}, comment="Good."
    )

    # (3 * 4/4 + 1 * 1/2) / 4 = 0.875 of the event's 0..3 scale = 2.625 → 2.63, rounded 3
    assert review.weighted_score == 2.63
    assert review.score == 3
    assert dict(review.criterion_scores.values_list("criterion__name", "score")) == {
        "Relevance": 4,
        "Clarity": 1,
    }


def test_rounding_takes_the_nearest_score_and_halves_up(event):
    equal = [
        Criterion(pk=1, weight=1, min_score=0, max_score=2),
        Criterion(pk=2, weight=1, min_score=0, max_score=2),
    ]

    assert services.weighted_score(event, equal, {1: 1, 2: 0}) == (0.75, 1)  # 0.25 of 0..3
    assert services.weighted_score(event, equal[:1], {1: 1}) == (1.5, 2)  # half: up
    assert services.weighted_score(event, equal, {1: 0, 2: 0}) == (0.0, 0)


def test_saving_again_replaces_the_criterion_scores(proposal, reviewer, criteria):
    relevance, clarity = criteria
    services.save_review(proposal=proposal, reviewer=reviewer, scores={relevance.pk: 0, clarity.pk: 0})

    review = services.save_review(
        proposal=proposal, reviewer=reviewer, scores={relevance.pk: 4, clarity.pk: 2}
    )

    assert (review.score, review.weighted_score) == (3, 3.0)
    assert CriterionScore.objects.count() == 2


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (None, "scores proposals by criteria"),
        ("missing", "Give a score for Clarity"),
        ("off-scale", "Score Clarity between 0 and 2"),
        ("unknown", "Score only this event's review criteria"),
    ],
)
def test_criteria_scores_are_refused_when_missing_unknown_or_off_scale(
    proposal, reviewer, criteria, scores, message
):
    relevance, clarity = criteria
    given = {
        None: None,
        "missing": {relevance.pk: 2},
        "off-scale": {relevance.pk: 2, clarity.pk: 3},
        "unknown": {relevance.pk: 2, clarity.pk: 1, 999999: 1},
    }[scores]

    with pytest.raises(ServiceError, match=message):
        services.save_review(proposal=proposal, reviewer=reviewer, score=2, scores=given)
    assert not Review.objects.exists()


def test_an_event_without_criteria_keeps_its_single_score(proposal, reviewer):
    review = services.save_review(proposal=proposal, reviewer=reviewer, score=2)

    assert (review.score, review.weighted_score) == (2, None)
    with pytest.raises(ServiceError, match="no review criteria"):
        services.save_review(proposal=proposal, reviewer=reviewer, scores={1: 2})


def test_the_overview_ranks_by_the_mean_weighted_score_and_gives_each_criterions_mean(
    event, reviewer, organiser_user, criteria
):
    relevance, clarity = criteria
    low, high = factories.ProposalFactory(event=event), factories.ProposalFactory(event=event)
    services.save_review(proposal=low, reviewer=reviewer, scores={relevance.pk: 1, clarity.pk: 2})
    services.save_review(proposal=high, reviewer=reviewer, scores={relevance.pk: 3, clarity.pk: 0})
    services.save_review(proposal=high, reviewer=organiser_user, scores={relevance.pk: 4, clarity.pk: 2})

    stats = queries.summaries([low.pk, high.pk])

    # low: (3*0.25 + 0.5... ) -> (0.75+1)/4 = 0.4375 * 3 = 1.31; high: (2.25/4)*3=1.69, 3.0 -> mean 2.35
    assert stats[low.pk].mean == 1.31
    assert stats[high.pk].mean == pytest.approx(2.34, abs=0.01)
    assert stats[high.pk].criteria == {relevance.pk: 3.5, clarity.pk: 1.0}
    assert stats[high.pk].scores == [2, 3]


def test_a_new_weight_recomputes_the_weighted_scores(proposal, reviewer, organiser_user, criteria):
    relevance, clarity = criteria
    services.save_review(proposal=proposal, reviewer=reviewer, scores={relevance.pk: 4, clarity.pk: 0})

    services.save_criterion(
        event=proposal.event, by=organiser_user, criterion=clarity, name="Clarity", weight=3, max_score=2
    )

    review = Review.objects.get()
    assert (review.weighted_score, review.score) == (1.5, 2)  # (3*1 + 3*0) / 6 of 0..3


def test_criteria_need_a_unique_name_and_keep_a_scale_once_scored(
    proposal, reviewer, organiser_user, criteria
):
    relevance, clarity = criteria
    event = proposal.event
    with pytest.raises(ServiceError, match="criterion named Relevance already"):
        services.save_criterion(event=event, by=organiser_user, name="relevance")
    with pytest.raises(ServiceError, match="ends above its start"):
        services.save_criterion(event=event, by=organiser_user, name="Depth", min_score=1, max_score=1)
    services.save_review(proposal=proposal, reviewer=reviewer, scores={relevance.pk: 4, clarity.pk: 0})

    with pytest.raises(ServiceError, match="scale cannot change"):
        services.save_criterion(
            event=event, by=organiser_user, criterion=clarity, name="Clarity", max_score=5
        )
    with pytest.raises(ServiceError, match="cannot be removed"):
        services.delete_criterion(criterion=clarity, by=organiser_user)
    assert Criterion.objects.get(pk=clarity.pk).max_score == 2


def test_only_those_who_manage_the_event_change_criteria_and_settings(event, reviewer, criteria):
    with pytest.raises(NotAllowed):
        services.save_criterion(event=event, by=reviewer, name="Depth")
    with pytest.raises(NotAllowed):
        services.delete_criterion(criterion=criteria[0], by=reviewer)
    with pytest.raises(NotAllowed):
        _phase(event, reviewer, ReviewPhase.CLOSED)


def test_an_unscored_criterion_can_be_removed(event, organiser_user, criteria):
    services.delete_criterion(criterion=criteria[1], by=organiser_user)

    assert list(event.review_criteria.values_list("name", flat=True)) == ["Relevance"]
    assert AuditEntry.objects.filter(action="review.criterion_deleted").exists()


# --- Phases ------------------------------------------------------------------------------------------


def test_closed_reviews_refuse_new_and_changed_reviews_saying_so(event, proposal, reviewer, organiser_user):
    services.save_review(proposal=proposal, reviewer=reviewer, score=1)
    _phase(event, organiser_user, ReviewPhase.CLOSED)
    event.refresh_from_db()

    with pytest.raises(NotAllowed, match="Reviews are closed"):
        services.save_review(proposal=proposal, reviewer=reviewer, score=3)
    other = factories.ProposalFactory(event=event)
    with pytest.raises(NotAllowed, match="Reviews are closed"):
        services.save_review(proposal=other, reviewer=organiser_user, score=3)
    assert list(Review.objects.values_list("score", flat=True)) == [1]


def test_decisions_wait_for_the_decisions_phase_once_reviews_are_closed(event, proposal, organiser_user):
    _phase(event, organiser_user, ReviewPhase.CLOSED)

    with pytest.raises(NotAllowed, match="decisions phase"):
        services.decide(proposal=proposal, decision=ProposalState.ACCEPTED, by=organiser_user)
    with pytest.raises(NotAllowed, match="decisions phase"):
        services.decide_many(event=event, codes=[proposal.code], decision="accepted", by=organiser_user)
    proposal.refresh_from_db()
    assert proposal.pending_state == ""

    _phase(event, organiser_user, ReviewPhase.DECISIONS)
    services.decide(proposal=proposal, decision=ProposalState.ACCEPTED, by=organiser_user)
    proposal.refresh_from_db()
    assert proposal.pending_state == ProposalState.ACCEPTED


def test_in_the_decisions_phase_reviewers_read_every_review_and_write_none(
    event, proposal, reviewer, organiser_user
):
    services.save_review(proposal=proposal, reviewer=organiser_user, score=2)
    assert list(rules.readable_reviews(reviewer, event)) == []
    assert not rules.can_read_reviews_of(reviewer, proposal)

    _phase(event, organiser_user, ReviewPhase.DECISIONS)

    assert [r.score for r in rules.readable_reviews(reviewer, event)] == [2]
    assert rules.can_read_reviews_of(reviewer, proposal)
    with pytest.raises(NotAllowed, match="decisions phase"):
        services.save_review(proposal=proposal, reviewer=reviewer, score=1)


def test_settings_refuse_a_stale_version(event, organiser_user):
    saved = _phase(event, organiser_user, ReviewPhase.CLOSED)

    with pytest.raises(StaleEdit):
        services.update_review_settings(
            event=event,
            by=organiser_user,
            phase=ReviewPhase.OPEN,
            assignment_only=False,
            reviews_per_proposal=3,
            version=saved.version - 1,
        )
    assert ReviewSettings.objects.get(event=event).phase == ReviewPhase.CLOSED


# --- Copying to another event ------------------------------------------------------------------------


def test_copy_review_settings_copies_criteria_and_settings_and_starts_open(event, organiser_user, criteria):
    _phase(event, organiser_user, ReviewPhase.DECISIONS, assignment_only=True, reviews_per_proposal=4)
    target = factories.EventFactory(organiser=event.organiser)
    services.save_criterion(event=target, by=organiser_user, name="Clarity", weight=7, max_score=2)
    services.save_criterion(event=target, by=organiser_user, name="Own", weight=1)

    services.copy_review_settings(source=event, target=target)

    copied = ReviewSettings.objects.get(event=target)
    assert (copied.phase, copied.assignment_only, copied.reviews_per_proposal) == ("open", True, 4)
    assert list(target.review_criteria.values_list("name", "weight", "min_score", "max_score")) == [
        ("Clarity", 1, 0, 2),
        ("Own", 1, 0, 4),
        ("Relevance", 3, 0, 4),
    ]
    assert list(event.review_criteria.values_list("name", flat=True)) == ["Relevance", "Clarity"]


def test_copy_review_settings_of_an_event_without_any_gives_the_defaults(event):
    target = factories.EventFactory(organiser=event.organiser)

    services.copy_review_settings(source=event, target=target)

    copied = ReviewSettings.objects.get(event=target)
    assert (copied.phase, copied.assignment_only, copied.reviews_per_proposal) == ("open", False, 3)
    assert not target.review_criteria.exists()


def test_copy_review_settings_refuses_to_change_a_scale_reviews_used(event, organiser_user, criteria):
    target = factories.EventFactory(organiser=event.organiser)
    clarity = services.save_criterion(event=target, by=organiser_user, name="Clarity", max_score=9)
    scored = factories.ProposalFactory(event=target)
    services.save_review(proposal=scored, reviewer=organiser_user, scores={clarity.pk: 9})

    with pytest.raises(ServiceError, match="not copied"):
        services.copy_review_settings(source=event, target=target)
    assert list(target.review_criteria.values_list("name", flat=True)) == ["Clarity"]
