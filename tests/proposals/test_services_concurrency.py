"""Races that real users produce: a double-clicked submit and two people saving the same proposal.

Each runs the service in two threads with their own database connections, released at the same moment.
"""

import pytest

from podium.base.errors import StaleEdit
from podium.proposals import services
from podium.proposals.models import Proposal
from tests import factories
from tests.races import race


def _data(event):
    return {
        "title": "Raced",
        "abstract": "A",
        "description": "",
        "track": event.tracks.first(),
        "session_type": event.session_types.first(),
        "audience_level": "beginner",
        "language": "en",
        "notes": "",
    }


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_with_one_key_create_one_proposal():
    event = factories.EventFactory()
    speaker = factories.UserFactory()

    def submit():
        return services.submit_proposal(
            event=event, speaker=speaker, data=_data(event), idempotency_key="same"
        )

    first, second = race(submit, submit)

    assert isinstance(first, Proposal), first
    assert isinstance(second, Proposal), second
    assert first.pk == second.pk
    assert Proposal.objects.filter(event=event).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_edits_at_one_version_give_one_success_and_one_refusal():
    event = factories.EventFactory()
    speaker = factories.UserFactory()
    proposal = factories.ProposalFactory(event=event, speakers=[speaker])
    version = proposal.version

    def edit(title):
        return lambda: services.update_proposal(
            proposal=proposal, by=speaker, data={"title": title}, version=version
        )

    results = race(edit("From A"), edit("From B"))

    outcomes = sorted(type(r).__name__ for r in results)
    assert outcomes == ["Proposal", "StaleEdit"], results
    winner = next(r for r in results if not isinstance(r, StaleEdit))
    proposal.refresh_from_db()
    assert (proposal.title, proposal.version) == (winner.title, version + 1)
