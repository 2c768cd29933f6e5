import pytest

from podium.proposals.enums import ProposalState
from podium.proposals.queries import for_viewer
from podium.reviews import rules
from podium.reviews.models import Review
from tests import factories

pytestmark = pytest.mark.django_db


# --- Who may review --------------------------------------------------------------------------------


def test_can_review_a_reviewer_reviews_a_proposal_of_their_event(reviewer, proposal):
    assert rules.can_review(reviewer, proposal) is True
    assert rules.review_refusal(reviewer, proposal) is None


def test_can_review_never_ones_own_proposal(event, reviewer):
    own = factories.ProposalFactory(event=event, speakers=[reviewer])

    assert rules.can_review(reviewer, own) is False
    assert rules.review_refusal(reviewer, own) == "You cannot review your own proposal."
    assert list(rules.reviewable_proposals(reviewer, event)) == []


def test_can_review_own_proposal_refusal_comes_first_even_without_the_review_flag(event):
    scheduler = factories.team_member(event, can_schedule=True)
    own = factories.ProposalFactory(event=event, speakers=[scheduler])

    assert rules.review_refusal(scheduler, own) == "You cannot review your own proposal."


def test_can_review_not_a_withdrawn_proposal(event, reviewer):
    withdrawn = factories.ProposalFactory(event=event, state=ProposalState.WITHDRAWN)

    assert rules.can_review(reviewer, withdrawn) is False
    assert (
        rules.review_refusal(reviewer, withdrawn) == "This proposal was withdrawn; it is no longer reviewed."
    )


@pytest.mark.parametrize("flags", [{"can_schedule": True}, {"can_edit_event": True}, {"can_send_mail": True}])
def test_can_review_needs_the_review_flag(proposal, flags):
    user = factories.team_member(proposal.event, **flags)

    assert rules.can_review(user, proposal) is False
    assert rules.review_refusal(user, proposal) == "You may not review this proposal."


def test_can_review_only_within_the_reviewers_tracks(event):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    limited = factories.team_member(event, can_review=True, tracks=[web])
    on_web = factories.ProposalFactory(event=event, track=web)
    on_data = factories.ProposalFactory(event=event, track=data)

    assert (rules.can_review(limited, on_web), rules.can_review(limited, on_data)) == (True, False)
    assert [p.code for p in rules.reviewable_proposals(limited, event)] == [on_web.code]


def test_can_review_not_another_events_proposal(reviewer):
    elsewhere = factories.ProposalFactory(event=factories.EventFactory())

    assert rules.can_review(reviewer, elsewhere) is False


def test_reviewable_narrows_a_given_queryset_and_keeps_its_class(event, reviewer):
    mine = factories.ProposalFactory(event=event, speakers=[reviewer])
    other = factories.ProposalFactory(event=event)
    visible = for_viewer(reviewer, event)

    narrowed = rules.reviewable(reviewer, event, visible)

    assert [p.code for p in narrowed] == [other.code]
    assert type(narrowed) is type(visible)
    assert mine.code in {p.code for p in visible}


# --- Who reads which reviews -----------------------------------------------------------------------


@pytest.fixture
def reviewed(event):
    """Two proposals, each reviewed by someone else."""
    first, second = factories.ProposalFactory(event=event), factories.ProposalFactory(event=event)
    factories.ReviewFactory(proposal=first, score=1)
    factories.ReviewFactory(proposal=second, score=2)
    return first, second


def test_can_read_reviews_those_who_manage_proposals(event, reviewer):
    editor = factories.team_member(event, can_edit_event=True)

    assert (rules.can_read_reviews(editor, event), rules.can_read_reviews(reviewer, event)) == (True, False)


def test_readable_reviews_editor_reads_every_review_of_the_event(event, reviewed):
    editor = factories.team_member(event, can_edit_event=True)
    factories.ReviewFactory(proposal=factories.ProposalFactory(event=factories.EventFactory()), score=3)

    readable = rules.readable_reviews(editor, event)

    assert sorted(r.score for r in readable) == [1, 2]
    assert [rules.can_read_reviews_of(editor, p) for p in reviewed] == [True, True]


def test_readable_reviews_reviewer_reads_others_only_after_reviewing_themselves(event, reviewer, reviewed):
    first, _second = reviewed
    assert list(rules.readable_reviews(reviewer, event)) == []

    Review.objects.create(proposal=first, reviewer=reviewer, score=3)

    readable = rules.readable_reviews(reviewer, event)
    assert sorted((r.proposal.code, r.score) for r in readable) == [(first.code, 1), (first.code, 3)]
    assert [rules.can_read_reviews_of(reviewer, p) for p in reviewed] == [True, False]


def test_readable_reviews_stay_within_the_reviewers_tracks(event):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    limited = factories.team_member(event, can_review=True, tracks=[web])
    moved = factories.ProposalFactory(event=event, track=web)
    Review.objects.create(proposal=moved, reviewer=limited, score=1)
    factories.ReviewFactory(proposal=moved, score=2)
    assert sorted(r.score for r in rules.readable_reviews(limited, event)) == [1, 2]

    moved.track = data  # the proposal moves to a track the reviewer's team does not see
    moved.save()

    assert list(rules.readable_reviews(limited, event)) == []
