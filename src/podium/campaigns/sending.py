"""Sending a campaign: its held mails are released to the outbox queue at the campaign's rate.

A batch is at most `rate_per_minute` mails, released by a conditional UPDATE HELD → QUEUED and then
delivered (mail.services.deliver claims each row before it is sent). The rows were written once, at
submission, one per address; so a sender stopped at any point (a crash, a restart, a deploy) and
started again (`podium campaigns send`, or another send of the same batch) releases only what is still
held and delivers only what is still queued: nobody gets a campaign twice.

With a broker the Celery task `podium.campaigns.send_batch` releases one batch and schedules the next a
minute later; without one a background thread (base.background) runs the loop.
"""

import logging
import time

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from podium.base import audit, background
from podium.campaigns.models import Campaign, CampaignState
from podium.mail import about
from podium.mail.models import MailStatus, OutboxMail
from podium.mail.services import deliver

log = logging.getLogger(__name__)
MINUTE = 60.0
#: The pause between batches; tests replace it.
sleep = time.sleep


def campaign_mails(campaign: Campaign):
    return OutboxMail.objects.filter(event_id=campaign.event_id, about=about.campaign(campaign.pk))


def release_batch(campaign_id: int) -> tuple[list[int], bool]:
    """Release the next batch of a sending campaign's held mails. Returns (the ids released, whether
    the campaign is done: nothing left held, or no longer sending). Marks it sent when nothing is left."""
    with transaction.atomic():
        campaign = Campaign.objects.filter(pk=campaign_id).first()
        if campaign is None or campaign.state != CampaignState.SENDING:
            return [], True
        held = campaign_mails(campaign).filter(status=MailStatus.HELD)
        ids = list(held.order_by("pk").values_list("pk", flat=True)[: campaign.rate_per_minute])
        # Conditional: a row released (or discarded) by someone else meanwhile is not touched again.
        OutboxMail.objects.filter(pk__in=ids, status=MailStatus.HELD).update(status=MailStatus.QUEUED)
        if held.exists():
            return ids, False
        finished = Campaign.objects.filter(pk=campaign.pk, state=CampaignState.SENDING).update(
            state=CampaignState.SENT, sent_at=timezone.now()
        )
        if finished:
            audit.record(action="campaign.sent", target=campaign, event_id=campaign.event_id)
    return ids, True


def deliver_released(campaign_id: int, ids: list[int] | None = None) -> int:
    """Deliver the campaign's queued mail (the given ids, or all still queued); claims make this safe
    to run twice. Without on-commit delivery the deliver_mail worker sends them instead."""
    if not settings.PODIUM_DELIVER_MAIL_ON_COMMIT:
        return 0
    if ids is None:
        campaign = Campaign.objects.filter(pk=campaign_id).first()
        if campaign is None:
            return 0
        ids = list(campaign_mails(campaign).filter(status=MailStatus.QUEUED).values_list("pk", flat=True))
    return deliver(ids=ids) if ids else 0


def run(campaign_id: int, *, max_batches: int | None = None) -> int:
    """Release and deliver a sending campaign batch by batch, a minute apart, until it is done (or
    `max_batches`). First delivers what an interrupted run left queued. Returns how many were released."""
    deliver_released(campaign_id)
    released = batches = 0
    while max_batches is None or batches < max_batches:
        started = time.monotonic()
        ids, done = release_batch(campaign_id)
        if ids:
            released += len(ids)
            deliver_released(campaign_id, ids)
            batches += 1
        if done:
            break
        pause = MINUTE - (time.monotonic() - started)
        if pause > 0:
            sleep(pause)
    return released


def resume(campaign_id: int | None = None) -> dict[int, int]:
    """Run every campaign that is sending (or only `campaign_id`) to its end. Returns released per campaign."""
    campaigns = Campaign.objects.filter(state=CampaignState.SENDING).order_by("pk")
    if campaign_id is not None:
        campaigns = campaigns.filter(pk=campaign_id)
    return {pk: run(pk) for pk in campaigns.values_list("pk", flat=True)}


def start(campaign_id: int) -> None:
    """Start the sender of one campaign: the Celery task with a broker, a background thread without."""
    from podium.campaigns.tasks import send_batch

    if settings.CELERY_TASK_ALWAYS_EAGER:
        background.submit("campaigns", run, campaign_id)
        return
    try:
        send_batch.delay(campaign_id)
    except Exception as exc:  # broker unreachable: `podium campaigns send` resumes it
        log.warning("could not hand campaign %s to the worker: %s", campaign_id, exc)


def start_after_commit(campaign_id: int) -> None:
    transaction.on_commit(lambda: start(campaign_id))
