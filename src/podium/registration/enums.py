"""The registration domain's fixed choices, defined once for models, services, forms and the API."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from podium.proposals.enums import CODE_ALPHABET


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Anyone")
    VOUCHER = "voucher", _("Only with a voucher that unlocks it")
    GROUP = "group", _("Only a group of people")


class Group(models.TextChoices):
    SPEAKERS = "speakers", _("Speakers")
    VOLUNTEERS = "volunteers", _("Volunteers")
    TEAM = "team", _("The event's team")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    CHOICE = "choice", _("One of a list")
    BOOLEAN = "boolean", _("Yes or no")


class OrderState(models.TextChoices):
    PENDING = "pending", _("Pending payment")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


#: Orders whose tickets hold a seat each (and whose voucher counts as used).
HOLDING = (OrderState.PENDING, OrderState.PAID)


class OrderOrigin(models.TextChoices):
    PURCHASE = "purchase", _("Bought")
    ISSUED = "issued", _("Issued by the organisers")
    SPEAKER = "speaker", _("Complimentary speaker ticket")
    WAITING_LIST = "waiting_list", _("Bought from a waiting-list offer")


class DiscountKind(models.TextChoices):
    NONE = "none", _("No discount")
    PERCENT = "percent", _("Percent off")
    FIXED = "fixed", _("Amount off each ticket")


class WaitingState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a seat")
    ACCEPTED = "accepted", _("Accepted the offer")
    EXPIRED = "expired", _("Offer expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: Waiting-list entries still in the queue (one per person and ticket type at a time).
ACTIVE_WAITING = (WaitingState.WAITING, WaitingState.OFFERED)

ORDER_CODE_LENGTH = 8
TICKET_SECRET_LENGTH = 32


def new_order_code() -> str:
    """A random order code from the public code alphabet (no look-alikes); callers keep it unique
    per event."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(ORDER_CODE_LENGTH))


def new_ticket_secret() -> str:
    """A ticket's random secret: 32 characters, bound into its signed token and replaced on re-issue."""
    return secrets.token_urlsafe(24)[:TICKET_SECRET_LENGTH]


def new_offer_token() -> str:
    """The random token of a waiting-list offer's link."""
    return secrets.token_urlsafe(32)
