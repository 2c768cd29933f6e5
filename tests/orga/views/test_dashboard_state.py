"""The event dashboard's state: unpublished changes, conflicts, review progress, decisions, confirmations."""

import pytest
from django.urls import reverse

from podium.proposals.enums import ProposalState
from tests import factories, program
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _page(client, event):
    return client.get(reverse("orga:event", kwargs={"event": event.slug}))


@pytest.fixture
def chair(event):
    return factories.team_member(
        event, name="Chairs", is_admin=True, can_edit_event=True, can_review=True, can_schedule=True,
        can_send_mail=True,
    )  # fmt: skip


def test_unpublished_changes_and_conflicts_are_counted(client, event, chair):
    first = program.placed_talk(event, "First", "Hall A", program.at(event, 10), chair)
    program.release(event, chair)
    program.placed_talk(
        event, "Second", "Room 101", program.at(event, 10), chair, speakers=first.ordered_speakers
    )
    client.force_login(chair)

    response = _page(client, event)

    schedule = response.context["state"]["schedule"]
    assert schedule["unpublished"] == 1
    assert schedule["kinds"] == [("New", 1)]
    errors = next(c for c in schedule["conflicts"] if c["severity"] == "error")
    assert errors["count"] >= 1  # the speaker is in two rooms at once
    page = response.content.decode()
    assert reverse("orga:schedule_release", kwargs={"event": event.slug}) in page
    assert 'data-count="unpublished">1<' in page


def test_nothing_unpublished_after_a_release(client, event, chair):
    program.placed_talk(event, "First", "Hall A", program.at(event, 10), chair)
    program.release(event, chair)
    client.force_login(chair)

    assert _page(client, event).context["state"]["schedule"]["unpublished"] == 0


def test_review_progress_counts_done_and_expected(client, event, chair):
    reviewers = [factories.team_member(event, name=f"R{n}", can_review=True) for n in range(2)]
    proposals = [factories.ProposalFactory(event=event) for _ in range(3)]
    factories.ReviewFactory(proposal=proposals[0], reviewer=reviewers[0])
    factories.ReviewFactory(proposal=proposals[1], reviewer=reviewers[1])
    client.force_login(chair)

    reviews = _page(client, event).context["state"]["reviews"]

    # Three reviewers (the chair reviews too) and three proposals in review.
    assert (reviews["in_review"], reviews["reviewers"], reviews["done"], reviews["expected"]) == (3, 3, 2, 9)


def test_track_limited_reviewers_are_expected_only_in_their_track(client, event, chair):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    factories.team_member(event, name="Web reviewers", can_review=True, tracks=[web])
    factories.ProposalFactory(event=event, track=web)
    factories.ProposalFactory(event=event, track=data)
    client.force_login(chair)

    reviews = _page(client, event).context["state"]["reviews"]

    assert reviews["expected"] == 2 + 1


def test_decisions_and_confirmations_pending(client, event, chair):
    factories.ProposalFactory(event=event)
    factories.ProposalFactory(event=event, pending_state=ProposalState.ACCEPTED)
    factories.ProposalFactory(event=event, state=ProposalState.ACCEPTED)
    factories.ProposalFactory(event=event, state=ProposalState.CONFIRMED)
    client.force_login(chair)

    response = _page(client, event)

    assert response.context["state"]["decisions"] == {"unsent": 1, "undecided": 1, "unconfirmed": 1}
    page = response.content.decode()
    assert reverse("orga:outbox", kwargs={"event": event.slug}) in page
    assert "?state=accepted" in page
    assert "?state=submitted" in page


def test_reviewers_see_only_the_review_progress(client, event, reviewer):
    client.force_login(reviewer)

    assert set(_page(client, event).context["state"]) == {"reviews"}


def test_the_dashboard_query_count_is_bounded(client, event, chair):
    client.force_login(chair)
    hours = iter(range(9, 18))

    def grow(n):
        for _ in range(n):
            reviewer = factories.team_member(event, can_review=True)
            proposal = factories.ProposalFactory(event=event)
            factories.ReviewFactory(proposal=proposal, reviewer=reviewer)
            factories.ProposalFactory(event=event, state=ProposalState.ACCEPTED)

    program.placed_talk(event, "Placed", "Hall A", program.at(event, next(hours)), chair)
    assert_constant_queries(client, reverse("orga:event", kwargs={"event": event.slug}), grow)
