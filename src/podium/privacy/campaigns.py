"""A person's part of mail campaigns (matched by account and by their account's address, any case):
the campaigns they were a recipient of, their unsubscriptions, and the bounces of their address. The
export lists them; erasure deletes them (the campaigns' mails themselves are scrubbed with the other
mail to them, privacy/erase.py)."""

from django.db.models import Q

from podium.campaigns.models import CampaignRecipient, Unsubscription
from podium.mail.models import Bounce


def _when(moment):
    return moment.isoformat() if moment else None


def _recipients(user):
    return CampaignRecipient.objects.filter(Q(user=user) | Q(address=user.email.strip().lower()))


def _address(user) -> str:
    return user.email.strip().lower()


def export(user) -> dict:
    """The campaigns they were sent (or skipped from), their unsubscriptions, their address's bounces."""
    recipients = (
        _recipients(user).select_related("campaign__event", "mail").order_by("campaign__created", "pk")
    )
    unsubscriptions = (
        Unsubscription.objects.filter(address=_address(user))
        .select_related("organiser")
        .order_by("created", "pk")
    )
    bounces = Bounce.objects.filter(address=_address(user)).order_by("created", "pk")
    return {
        "campaign_mails": [
            {
                "event": row.campaign.event.slug,
                "campaign": row.campaign.name,
                "address": row.address,
                "name": row.name,
                "skipped": row.skipped,
                "status": row.mail.status if row.mail else None,
                "sent_at": _when(row.mail.sent_at) if row.mail else None,
            }
            for row in recipients
        ],
        "unsubscriptions": [
            {"organiser": row.organiser.slug, "address": row.address, "created": _when(row.created)}
            for row in unsubscriptions
        ],
        "bounces": [
            {
                "address": row.address,
                "source": row.source,
                "reason": row.reason,
                "created": _when(row.created),
            }
            for row in bounces
        ],
    }


def erase(user) -> dict[str, int]:
    """Delete the person's campaign recipient rows, unsubscriptions and bounces. Call inside the
    erasure's transaction, before the account's address is replaced (their address is erased, so no
    campaign can reach it again)."""
    address = _address(user)
    return {
        "campaign recipients": _recipients(user).delete()[0],
        "unsubscriptions": Unsubscription.objects.filter(address=address).delete()[0],
        "bounces": Bounce.objects.filter(address=address).delete()[0],
    }
