import pytest
from django.test import Client

from podium.campaigns import services, unsubscribe
from podium.campaigns.models import CampaignRecipient, SkipReason, Unsubscription
from podium.mail import about
from podium.mail.models import MailStatus, OutboxMail
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


def _link_of(campaign, address):
    mail = OutboxMail.objects.get(about=about.campaign(campaign.pk), to=address)
    return mail.headers["List-Unsubscribe"].strip("<>").removeprefix("http://testserver")


@pytest.fixture
def link(settings, campaign, drafter):
    settings.BASE_URL = "http://testserver"
    services.submit_campaign(campaign=campaign, by=drafter)
    return _link_of(campaign, "speaker0@example.org")


def test_opening_the_link_changes_nothing_and_shows_a_button(client, link, event):
    page = client.get(link)

    assert page.status_code == 200
    assert "speaker0@example.org" in page.content.decode()
    assert "<button" in page.content.decode()
    assert not Unsubscription.objects.exists()


def test_pressing_the_button_unsubscribes_and_later_campaigns_skip_the_person(
    client, link, event, campaign, drafter, audience, template
):
    page = client.post(link)

    assert "You are unsubscribed" in page.content.decode()
    row = Unsubscription.objects.get()
    assert (row.organiser, row.address, row.campaign) == (event.organiser, "speaker0@example.org", campaign)
    later = services.save_campaign(
        event=event, by=drafter, name="Later", audience=audience, template=template
    )
    services.submit_campaign(campaign=later, by=drafter)
    skipped = CampaignRecipient.objects.get(campaign=later, address="speaker0@example.org")
    assert skipped.skipped == SkipReason.UNSUBSCRIBED
    assert not OutboxMail.objects.filter(about=about.campaign(later.pk), to="speaker0@example.org").exists()


def test_the_one_click_post_of_a_mail_client_works_without_csrf_or_cookies(link, campaign):
    mail_client = Client(enforce_csrf_checks=True)

    response = mail_client.post(
        link, data="List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    assert Unsubscription.objects.filter(address="speaker0@example.org").exists()
    held = OutboxMail.objects.get(about=about.campaign(campaign.pk), to="speaker0@example.org")
    assert held.status == MailStatus.DISCARDED


def test_a_forged_link_is_refused(client, db):
    forged = unsubscribe.make_token(organiser_id=1, address="x@example.org", campaign_id=None)[:-3] + "abc"

    assert client.get(f"/mail/unsubscribe/{forged}/").status_code == 404
    assert client.post(f"/mail/unsubscribe/{forged}/").status_code == 404
    assert not Unsubscription.objects.exists()


def test_other_csrf_protected_pages_stay_protected(link):
    """Only the unsubscribe view is exempt: a log-in form without a token is still refused."""
    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/accounts/login/", {"username": "a", "password": "b"}).status_code == 403
