"""Two approvers press Approve at the same moment: one wins, the other is told it is approved already.
Each runs in its own thread and database connection (tests/races.py), on SQLite and PostgreSQL."""

import pytest

from podium.base.models import AuditEntry
from podium.campaigns import sending, services
from podium.campaigns.models import Campaign, CampaignState
from tests import factories
from tests.races import outcomes, race


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_one_wins(event, drafter, campaign):
    services.submit_campaign(campaign=campaign, by=drafter)
    first = factories.team_member(event, name="Approvers A", can_approve_mail=True)
    second = factories.team_member(event, name="Approvers B", can_approve_mail=True)

    results = race(
        lambda: services.approve_campaign(campaign=campaign, by=first),
        lambda: services.approve_campaign(campaign=campaign, by=second),
    )

    assert outcomes(results) == {"Campaign": 1, "StaleEdit": 1}, results
    stored = Campaign.objects.get(pk=campaign.pk)
    winner = next(r for r in results if isinstance(r, Campaign))
    assert stored.state == CampaignState.APPROVED
    assert stored.approved_by_id == winner.approved_by_id
    assert AuditEntry.objects.filter(action="campaign.approved", object_id=str(campaign.pk)).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_sends_at_once_start_one_sender(event, drafter, approver, campaign, monkeypatch):
    services.submit_campaign(campaign=campaign, by=drafter)
    services.approve_campaign(campaign=campaign, by=approver)
    first = factories.team_member(event, name="Senders A", can_send_mail=True)
    second = factories.team_member(event, name="Senders B", can_send_mail=True)
    started = []
    monkeypatch.setattr(sending, "start", started.append)  # the sender itself: test_sending.py

    results = race(
        lambda: services.send_campaign(campaign=campaign, by=first),
        lambda: services.send_campaign(campaign=campaign, by=second),
    )

    assert outcomes(results) == {"Campaign": 1, "StaleEdit": 1}, results
    assert started == [campaign.pk]
