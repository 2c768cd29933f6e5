"""Fixtures of the campaign tests: a team with the mail flags, accepted speakers, a template, an
audience of accepted speakers and a draft campaign of the two (tests/campaigns, orga, site, api)."""

import pytest

from podium.campaigns import services
from podium.proposals.enums import ProposalState
from tests import factories


@pytest.fixture
def drafter(event):
    return factories.team_member(event, name="Writers", can_draft_mail=True)


@pytest.fixture
def approver(event):
    return factories.team_member(event, name="Approvers", can_approve_mail=True)


@pytest.fixture
def sender(event):
    return factories.team_member(event, name="Senders", can_send_mail=True)


@pytest.fixture
def accepted_speakers(event):
    """Three speakers of accepted or confirmed proposals, one of them with two; one rejected speaker."""
    people = [factories.UserFactory(name=f"Speaker {n}", email=f"speaker{n}@example.org") for n in range(3)]
    factories.ProposalFactory(
        event=event, speakers=[people[0]], title="Alpha talk", state=ProposalState.ACCEPTED
    )
    factories.ProposalFactory(
        event=event, speakers=[people[0]], title="Beta talk", state=ProposalState.CONFIRMED
    )
    factories.ProposalFactory(
        event=event, speakers=[people[1]], title="Gamma talk", state=ProposalState.ACCEPTED
    )
    factories.ProposalFactory(
        event=event, speakers=[people[2]], title="Delta talk", state=ProposalState.CONFIRMED
    )
    rejected = factories.UserFactory(name="Rejected Person", email="rejected@example.org")
    factories.ProposalFactory(event=event, speakers=[rejected], title="Epsilon", state=ProposalState.REJECTED)
    return people


@pytest.fixture
def template(event, drafter):
    return services.save_template(
        event=event,
        by=drafter,
        name="Welcome",
        subject="Welcome to {event}, {name}",
        body="Hello {name},\n\nyour talk **{proposal_title}** is in.\n",
        html_enabled=True,
    )


@pytest.fixture
def audience(event, drafter):
    return services.save_audience(
        event=event,
        by=drafter,
        name="Accepted speakers",
        kind="speakers",
        filters={"states": ["accepted", "confirmed"]},
    )


@pytest.fixture
def campaign(event, drafter, template, audience, accepted_speakers):
    return services.save_campaign(
        event=event,
        by=drafter,
        name="Welcome speakers",
        audience=audience,
        template=template,
        rate_per_minute=2,
    )


def submitted_campaign(event, by):
    """A campaign in review to the event's speakers of confirmed talks, with an HTML part."""
    template = services.save_template(
        event=event, by=by, name="Crawled", subject="About {event}", body="Hello *{name}*", html_enabled=True
    )
    audience = services.save_audience(
        event=event, by=by, name="Confirmed", kind="speakers", filters={"states": ["confirmed"]}
    )
    campaign = services.save_campaign(
        event=event, by=by, name="Crawled", audience=audience, template=template
    )
    return services.submit_campaign(campaign=campaign, by=by)
