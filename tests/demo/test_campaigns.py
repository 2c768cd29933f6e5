"""The demo's mail campaign: in review, one held mail per confirmed speaker, approvable by another
member only. The demo is built once per test session (the `demo_output` fixture, tests/conftest.py)."""

from django.test import Client

from podium.accounts.models import User
from podium.campaigns import audiences, rules
from podium.campaigns.models import CampaignState
from podium.mail import about
from podium.mail.models import MailStatus, OutboxMail


def test_the_demo_has_a_campaign_in_review_to_its_confirmed_speakers(pycon):
    campaign = pycon.campaigns.get()
    people = audiences.recipients(campaign.audience)
    held = OutboxMail.objects.filter(about=about.campaign(campaign.pk))

    assert campaign.state == CampaignState.IN_REVIEW
    assert len(people) > 10
    assert held.count() == len(people)
    assert set(held.values_list("status", flat=True)) == {MailStatus.HELD}
    assert rules.self_approval_refused(campaign.submitted_by, campaign)
    one = held.first()
    assert "{" not in one.body
    assert "List-Unsubscribe" in one.headers


def test_its_review_page_shows_the_count_and_a_preview(pycon):
    campaign = pycon.campaigns.get()
    client = Client()
    client.force_login(User.objects.get(pk=campaign.submitted_by_id))

    page = client.get(f"/orga/event/{pycon.slug}/campaigns/{campaign.pk}/").content.decode()

    assert "In review" in page
    assert f"{campaign.recipients.exclude(mail=None).count()} held" in page
    assert "Speaker room" in page
