"""Mail campaigns through API tokens: the same flags and rules as the pages."""

import pytest

from podium.campaigns import services
from podium.campaigns.models import Campaign, CampaignState
from tests import factories
from tests.api.conftest import bearer, make_token
from tests.campaigning import (  # noqa: F401 (fixtures)
    accepted_speakers,
    approver,
    audience,
    campaign,
    drafter,
    sender,
    template,
)

pytestmark = pytest.mark.django_db


def _url(event, path=""):
    return f"/api/v1/orga/events/{event.slug}/{path}"


def test_a_drafter_reads_campaigns_with_counts_and_audiences_with_matches(client, event, campaign, drafter):
    services.submit_campaign(campaign=campaign, by=drafter)
    auth = bearer(make_token(drafter, event))

    listing = client.get(_url(event, "campaigns"), **auth).json()
    one = client.get(_url(event, f"campaigns/{campaign.pk}"), **auth).json()
    people = client.get(_url(event, "campaign-audiences"), **auth).json()

    assert listing["count"] == 1
    assert listing["items"][0]["state"] == "in_review"
    assert one["counts"]["held"] == 3
    assert one["counts"]["recipients"] == 3
    assert one["subject"] == "Welcome to {event}, {name}"
    assert people["items"][0]["count"] == 3
    assert people["items"][0]["kind"] == "speakers"


def test_a_drafter_creates_a_draft_and_submits_it(
    client, event, drafter, audience, template, accepted_speakers
):
    auth = bearer(make_token(drafter, event, scope="write"))

    made = client.post(
        _url(event, "campaigns"),
        {"name": "By API", "audience": audience.pk, "template": template.pk, "rate_per_minute": 10},
        content_type="application/json",
        **auth,
    )
    submitted = client.post(
        _url(event, f"campaigns/{made.json()['id']}/steps"),
        {"action": "submit"},
        content_type="application/json",
        **auth,
    )

    assert made.status_code == 201
    assert submitted.status_code == 200
    assert submitted.json()["state"] == CampaignState.IN_REVIEW


def test_the_submitter_may_not_approve_through_the_api_either(client, event, campaign):
    both = factories.team_member(event, name="Both", can_draft_mail=True, can_approve_mail=True)
    services.submit_campaign(campaign=campaign, by=both)
    auth = bearer(make_token(both, event, scope="write"))

    response = client.post(
        _url(event, f"campaigns/{campaign.pk}/steps"),
        {"action": "approve"},
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 403
    assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.IN_REVIEW


def test_a_second_approval_is_a_conflict(client, event, campaign, drafter, approver):
    services.submit_campaign(campaign=campaign, by=drafter)
    services.approve_campaign(campaign=campaign, by=approver)
    auth = bearer(make_token(approver, event, scope="write"))

    response = client.post(
        _url(event, f"campaigns/{campaign.pk}/steps"),
        {"action": "approve"},
        content_type="application/json",
        **auth,
    )

    assert response.status_code == 409


def test_refusals(client, event, campaign, drafter, reviewer, template):
    read = bearer(make_token(drafter, event))
    other = factories.EventFactory(organiser=event.organiser)
    foreign = services.save_template(event=other, by=None, name="Other", subject="S", body="B")

    assert client.get(_url(event, "campaigns"), **bearer(make_token(reviewer, event))).status_code == 403
    assert (
        client.post(
            _url(event, "campaigns"),
            {"name": "X", "audience": campaign.audience_id, "template": template.pk},
            content_type="application/json",
            **read,
        ).status_code
        == 403
    )
    write = bearer(make_token(drafter, event, scope="write"))
    response = client.post(
        _url(event, "campaigns"),
        {"name": "X", "audience": campaign.audience_id, "template": foreign.pk},
        content_type="application/json",
        **write,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "template"
    assert client.get(_url(event, "campaigns/999999"), **read).status_code == 404
