"""What the campaign pages and the API read: campaigns with their counts, recipients with their mail,
and one address's mail history with an organiser."""

from django.db.models import Count, Q

from podium.campaigns.models import Campaign, CampaignRecipient, Unsubscription
from podium.mail.models import Bounce, MailStatus, OutboxMail

COUNTS = {
    "recipient_count": Count("recipients", distinct=True),
    "skipped_count": Count("recipients", filter=~Q(recipients__skipped=""), distinct=True),
    "held_count": Count("recipients", filter=Q(recipients__mail__status=MailStatus.HELD), distinct=True),
    "queued_count": Count(
        "recipients",
        filter=Q(recipients__mail__status__in=[MailStatus.QUEUED, MailStatus.SENDING]),
        distinct=True,
    ),
    "sent_count": Count("recipients", filter=Q(recipients__mail__status=MailStatus.SENT), distinct=True),
    "failed_count": Count("recipients", filter=Q(recipients__mail__status=MailStatus.FAILED), distinct=True),
    "discarded_count": Count(
        "recipients", filter=Q(recipients__mail__status=MailStatus.DISCARDED), distinct=True
    ),
}


def campaigns_with_counts(event):
    """The event's campaigns, newest first, each with its counts (one query)."""
    return (
        Campaign.objects.filter(event=event)
        .select_related("audience", "template", "created_by", "submitted_by", "approved_by", "sent_by")
        .annotate(**COUNTS)
        .order_by("-created", "-pk")
    )


def campaign_with_counts(event, pk: int) -> Campaign:
    return campaigns_with_counts(event).get(pk=pk)


def recipients_of(campaign):
    """Every person of a submitted campaign with their mail (status, sent time), by address."""
    return (
        CampaignRecipient.objects.filter(campaign=campaign).select_related("mail").order_by("address", "pk")
    )


def skipped_of(campaign):
    return recipients_of(campaign).exclude(skipped="")


def history(organiser, address: str) -> dict:
    """Every mail of the organiser's events to `address`, its bounces and its unsubscription."""
    address = address.strip().lower()
    mails = (
        OutboxMail.objects.filter(event__organiser=organiser, to__iexact=address)
        .select_related("event", "campaign_recipient__campaign")
        .order_by("-created", "-pk")
    )
    return {
        "address": address,
        "mails": mails,
        "bounces": list(Bounce.objects.filter(address=address).order_by("-created", "-pk")),
        "unsubscription": Unsubscription.objects.filter(organiser=organiser, address=address)
        .select_related("campaign")
        .first(),
    }
