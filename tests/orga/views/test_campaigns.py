import pytest

from podium.campaigns import services
from podium.campaigns.models import Campaign, CampaignState, Unsubscription
from podium.mail.models import Bounce, MailStatus, OutboxMail
from tests import factories
from tests.campaigning import (  # noqa: F401 (fixtures)
    accepted_speakers,
    approver,
    audience,
    campaign,
    drafter,
    sender,
    template,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def _base(event):
    return f"/orga/event/{event.slug}/campaigns/"


def test_a_drafter_makes_a_campaign_and_previews_it(
    client, event, drafter, template, audience, accepted_speakers
):
    client.force_login(drafter)
    response = client.post(
        _base(event) + "new/",
        {"name": "Hello", "audience": audience.pk, "template": template.pk, "rate_per_minute": 50},
    )
    made = Campaign.objects.get(name="Hello")
    assert response.status_code == 302
    assert response["Location"] == f"{_base(event)}{made.pk}/"

    page = client.get(f"{_base(event)}{made.pk}/?to=speaker1@example.org").content.decode()

    assert "3 people match the audience now" in page
    assert "Welcome to" in page
    assert "Speaker 1" in page
    assert "<strong>Gamma talk</strong>" in page  # the HTML part
    assert "Mail campaigns" in client.get(f"/orga/event/{event.slug}/").content.decode()


def test_the_campaign_form_shows_the_refusal_and_keeps_the_input(client, event, drafter, template, audience):
    client.force_login(drafter)
    response = client.post(
        _base(event) + "new/",
        {"name": "Kept name", "audience": audience.pk, "template": template.pk, "rate_per_minute": 0},
    )
    assert response.status_code == 200
    assert "Kept name" in response.content.decode()
    assert not Campaign.objects.exists()


def test_review_approve_and_send_through_the_pages(
    client, event, campaign, drafter, approver, sender, monkeypatch, django_capture_on_commit_callbacks
):
    from podium.campaigns import sending

    monkeypatch.setattr(sending, "sleep", lambda seconds: None)
    action = f"{_base(event)}{campaign.pk}/action/"
    client.force_login(drafter)
    client.post(action, {"action": "submit"})
    client.post(action, {"action": "approve"})  # a drafter may not approve
    assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.IN_REVIEW

    client.force_login(approver)
    page = client.get(f"{_base(event)}{campaign.pk}/?to=speaker2@example.org").content.decode()
    assert "Speaker 2" in page
    assert "3 held" in page
    client.post(action, {"action": "approve"})
    client.force_login(sender)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, {"action": "send"})

    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.SENT
    log = client.get(f"{_base(event)}{campaign.pk}/recipients/").content.decode()
    assert log.count("Sent") >= 3


def test_the_submitter_sees_that_another_must_approve(client, event, campaign):
    both = factories.team_member(event, name="Both", can_draft_mail=True, can_approve_mail=True)
    services.submit_campaign(campaign=campaign, by=both)
    client.force_login(both)

    page = client.get(f"{_base(event)}{campaign.pk}/").content.decode()
    client.post(f"{_base(event)}{campaign.pk}/action/", {"action": "approve"})

    assert "another team member who approves mail approves it" in page
    assert Campaign.objects.get(pk=campaign.pk).state == CampaignState.IN_REVIEW


def test_a_template_with_an_unknown_placeholder_is_refused_on_the_page(client, event, drafter):
    client.force_login(drafter)
    response = client.post(
        _base(event) + "templates/new/",
        {"name": "T", "subject": "Hi {name}", "body": "Dear {speaker.user.email}"},
    )

    assert response.status_code == 200
    assert "attribute paths and indexes are not allowed" in response.content.decode()
    assert not event.campaign_templates.exists()


def test_the_template_page_lists_placeholders_and_previews_with_examples(client, event, drafter):
    client.force_login(drafter)
    page = client.post(
        _base(event) + "templates/new/",
        {
            "name": "T",
            "subject": "Hi {name}",
            "body": "Your *talk*: {proposal_title}",
            "html_enabled": "on",
            "preview": "1",
        },
    ).content.decode()

    assert "{ticket_link}" in page
    assert "{proposal_title}" in page
    assert "Hi Ada Lovelace" in page
    assert "<em>talk</em>" in page
    assert not event.campaign_templates.exists()


def test_the_audience_page_shows_who_matches(client, event, drafter, accepted_speakers):
    client.force_login(drafter)
    response = client.post(
        _base(event) + "audiences/new/", {"name": "Confirmed", "kind": "speakers", "states": ["confirmed"]}
    )
    page = client.get(response["Location"]).content.decode()

    assert '<strong class="audience-count">2</strong>' in page
    assert "speaker0@example.org" in page
    assert "speaker2@example.org" in page
    assert "speaker1@example.org" not in page


def test_the_audience_form_refuses_a_missing_state(client, event, drafter):
    client.force_login(drafter)
    response = client.post(_base(event) + "audiences/new/", {"name": "None", "kind": "speakers"})
    assert response.status_code == 200
    assert not event.campaign_audiences.exists()


def test_every_page_refuses_a_reviewer(client, event, campaign, reviewer):
    client.force_login(reviewer)
    urls = [
        "",
        "new/",
        f"{campaign.pk}/",
        f"{campaign.pk}/recipients/",
        "templates/",
        "audiences/",
        "people/",
    ]
    assert {client.get(_base(event) + url).status_code for url in urls} == {403}
    assert client.post(f"{_base(event)}{campaign.pk}/action/", {"action": "submit"}).status_code == 403


def test_an_approver_may_read_but_not_write_drafts(client, event, campaign, approver):
    client.force_login(approver)
    assert client.get(f"{_base(event)}{campaign.pk}/").status_code == 200
    assert client.get(_base(event) + "templates/new/").status_code == 403


def test_another_events_campaign_is_not_found(client, event, campaign):
    other = factories.EventFactory(organiser=event.organiser)
    client.force_login(factories.team_member(other, is_admin=True, events=[other]))
    assert client.get(f"/orga/event/{other.slug}/campaigns/{campaign.pk}/").status_code == 404


def test_the_person_page_shows_mail_bounces_and_unsubscription_and_resubscribes(
    client, event, campaign, drafter, sender
):
    services.submit_campaign(campaign=campaign, by=drafter)
    Bounce.objects.create(address="speaker0@example.org", source=Bounce.Source.REPORT, reason="mailbox full")
    services.unsubscribe_address(organiser=event.organiser, address="speaker0@example.org", campaign=campaign)
    client.force_login(drafter)

    page = client.get(_base(event) + "people/?address=Speaker0@example.org").content.decode()
    refused = client.post(_base(event) + "people/resubscribe/", {"address": "speaker0@example.org"})
    client.force_login(sender)
    client.post(_base(event) + "people/resubscribe/", {"address": "speaker0@example.org"})

    assert "Welcome to" in page
    assert "mailbox full" in page
    assert "Unsubscribed" in page
    assert refused.status_code == 403
    assert not Unsubscription.objects.exists()


def test_the_campaign_list_needs_the_same_queries_for_more_campaigns(
    client, event, drafter, template, audience
):
    client.force_login(drafter)

    def grow(n):
        for _ in range(n):
            services.save_campaign(
                event=event,
                by=drafter,
                name=f"C{Campaign.objects.count()}",
                audience=audience,
                template=template,
            )

    assert_constant_queries(client, _base(event), grow)


def test_the_recipient_list_needs_the_same_queries_for_more_people(client, event, campaign, drafter):
    services.submit_campaign(campaign=campaign, by=drafter)
    client.force_login(drafter)
    url = f"{_base(event)}{campaign.pk}/recipients/"

    def grow(n):
        for _ in range(n):
            index = campaign.recipients.count()
            mail = OutboxMail.objects.create(
                event=event,
                to=f"more{index}@example.org",
                subject="s",
                body="b",
                template="campaign",
                status=MailStatus.SENT,
            )
            campaign.recipients.create(address=f"more{index}@example.org", name="More", mail=mail)

    assert_constant_queries(client, url, grow)


def test_the_contact_lists_are_linked_for_those_who_keep_them(client, event, drafter, approver):
    link = f'href="/orga/organiser/{event.organiser.slug}/contacts/"'

    client.force_login(drafter)
    assert link in client.get(_base(event)).content.decode()
    assert client.get(f"/orga/organiser/{event.organiser.slug}/contacts/").status_code == 200

    client.force_login(approver)  # approves campaigns, keeps no contacts
    assert link not in client.get(_base(event)).content.decode()
