"""Sending at a rate, and a sender stopped at any point and started again: nobody gets a mail twice."""

import pytest
from django.core import mail as django_mail
from django.core.management import call_command

from podium.campaigns import sending, services
from podium.campaigns.models import CampaignState
from podium.mail import about
from podium.mail.models import MailStatus, OutboxMail
from podium.mail.services import deliver

pytestmark = pytest.mark.django_db


class Killed(Exception):
    pass


@pytest.fixture
def sending_campaign(campaign, drafter, approver, sender, monkeypatch):
    """The campaign, approved and marked sending, at one mail a minute (its sender not started)."""
    monkeypatch.setattr(sending, "sleep", lambda seconds: None)
    campaign.rate_per_minute = 1
    campaign.save()
    services.submit_campaign(campaign=campaign, by=drafter)
    services.approve_campaign(campaign=campaign, by=approver)
    return services.send_campaign(campaign=campaign, by=sender)  # on_commit not run: not started


def _sent_to():
    return sorted(message.to[0] for message in django_mail.outbox)


def _statuses(campaign):
    return sorted(
        OutboxMail.objects.filter(about=about.campaign(campaign.pk)).values_list("status", flat=True)
    )


def test_each_batch_is_at_most_the_rate(sending_campaign):
    ids, done = sending.release_batch(sending_campaign.pk)

    assert len(ids) == 1
    assert not done
    assert _statuses(sending_campaign) == [MailStatus.HELD, MailStatus.HELD, MailStatus.QUEUED]


def test_a_sender_killed_between_release_and_delivery_is_resumed_without_duplicates(
    sending_campaign, monkeypatch
):
    calls = []

    def dies_on_the_second_batch(*, ids=None):
        calls.append(ids)
        if len(calls) == 2:  # the first batch is delivered; the sender dies before delivering the second
            raise Killed
        return deliver(ids=ids)

    monkeypatch.setattr(sending, "deliver", dies_on_the_second_batch)
    with pytest.raises(Killed):
        sending.run(sending_campaign.pk)
    assert _sent_to() == ["speaker0@example.org"]
    assert MailStatus.QUEUED in _statuses(sending_campaign)

    monkeypatch.setattr(sending, "deliver", deliver)
    call_command("campaigns", "send")

    assert _sent_to() == ["speaker0@example.org", "speaker1@example.org", "speaker2@example.org"]
    assert _statuses(sending_campaign) == [MailStatus.SENT] * 3
    sending_campaign.refresh_from_db()
    assert sending_campaign.state == CampaignState.SENT


def test_a_sender_killed_mid_delivery_and_started_twice_sends_each_mail_once(sending_campaign, monkeypatch):
    original = sending.release_batch
    batches = []

    def dies_after_two_batches(campaign_id):
        if len(batches) == 2:
            raise Killed
        batches.append(1)
        return original(campaign_id)

    monkeypatch.setattr(sending, "release_batch", dies_after_two_batches)
    with pytest.raises(Killed):
        sending.run(sending_campaign.pk)
    monkeypatch.setattr(sending, "release_batch", original)

    sending.resume()
    sending.resume(sending_campaign.pk)  # a second resume finds nothing more to do

    assert _sent_to() == ["speaker0@example.org", "speaker1@example.org", "speaker2@example.org"]


def test_a_cancelled_campaign_stops_its_sender(sending_campaign, approver):
    sending.release_batch(sending_campaign.pk)
    services.cancel_campaign(campaign=sending_campaign, by=approver)

    ids, done = sending.release_batch(sending_campaign.pk)

    assert (ids, done) == ([], True)
    assert _statuses(sending_campaign) == [MailStatus.DISCARDED, MailStatus.DISCARDED, MailStatus.QUEUED]


def test_without_on_commit_delivery_released_mail_waits_for_the_worker(sending_campaign, settings):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False

    sending.run(sending_campaign.pk)

    assert django_mail.outbox == []
    assert _statuses(sending_campaign) == [MailStatus.QUEUED] * 3


def test_start_runs_the_sender_in_the_background_without_a_broker(sending_campaign, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    sending.start(sending_campaign.pk)  # PODIUM_BACKGROUND_THREADS is off in tests: runs inline

    assert len(django_mail.outbox) == 3
