"""The registration domain's fixed choices, defined once for models, services, forms and the API."""

import secrets

from django.db import models

from podium.proposals.enums import CODE_ALPHABET


class Visibility(models.TextChoices):
    PUBLIC = "public", "Anyone"
    VOUCHER = "voucher", "Only with a voucher that unlocks it"
    GROUP = "group", "Only a group of people"


class Group(models.TextChoices):
    SPEAKERS = "speakers", "Speakers"
    VOLUNTEERS = "volunteers", "Volunteers"
    TEAM = "team", "The event's team"


class QuestionKind(models.TextChoices):
    TEXT = "text", "Text"
    CHOICE = "choice", "One of a list"
    BOOLEAN = "boolean", "Yes or no"


class OrderState(models.TextChoices):
    PENDING = "pending", "Pending payment"
    PAID = "paid", "Paid"
    CANCELLED = "cancelled", "Cancelled"
    REFUNDED = "refunded", "Refunded"


#: Orders whose tickets hold a seat each (and whose voucher counts as used).
HOLDING = (OrderState.PENDING, OrderState.PAID)


class OrderOrigin(models.TextChoices):
    PURCHASE = "purchase", "Bought"
    ISSUED = "issued", "Issued by the organisers"
    SPEAKER = "speaker", "Complimentary speaker ticket"
    WAITING_LIST = "waiting_list", "Bought from a waiting-list offer"


class DiscountKind(models.TextChoices):
    NONE = "none", "No discount"
    PERCENT = "percent", "Percent off"
    FIXED = "fixed", "Amount off each ticket"


class WaitingState(models.TextChoices):
    WAITING = "waiting", "Waiting"
    OFFERED = "offered", "Offered a seat"
    ACCEPTED = "accepted", "Accepted the offer"
    EXPIRED = "expired", "Offer expired"
    WITHDRAWN = "withdrawn", "Withdrawn"


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
