"""Speakers' complimentary tickets, following their proposals' states.

When a proposal becomes confirmed, each of its speakers gets one free ticket of the event's speaker
ticket type (its first active `speakers` group type; without one, nothing happens) unless they hold
a speakers' ticket already. When a speaker no longer has any confirmed proposal at the event
(withdrawn, cancelled), their complimentary ticket is cancelled; tickets they bought stay.

Heard on `proposals.signals.proposal_state_changed` (connected in apps.py), which is sent after the
state change has committed, so a failure here never undoes it.
"""

from decimal import Decimal

from django.db import transaction

from podium.base import audit
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from podium.registration import orders, rules, seats
from podium.registration.answers import one_line
from podium.registration.enums import HOLDING, OrderOrigin
from podium.registration.models import Order
from podium.registration.queries import speaker_ticket_type, speaker_tickets_of
from podium.registration.services import cancel_order


@seats.retry_when_busy
@transaction.atomic
def grant_speaker_ticket(*, event, user, by=None) -> Order | None:
    """Give `user` a complimentary ticket of the event's speaker type, unless the event has no such type
    or they hold a speakers' ticket already (None then). When the type is sold out, nothing is given
    and an audit entry says so. `by` None: the system (or an operator); else `can_edit_event`.

    Side effects: audit entry, `order.placed` and `order.paid` webhook deliveries, the ticket by mail.
    """
    from podium.accounts.models import User

    rules.check_can_manage_orders(by, event)
    ticket_type = speaker_ticket_type(event)
    if ticket_type is None:
        return None
    User.objects.select_for_update().filter(pk=user.pk).first()  # one grant per person at a time
    if speaker_tickets_of(user, event).exists():
        return None
    if not seats.reserve_seats(ticket_type.pk, 1):
        audit.record(
            action="order.speaker_ticket_sold_out",
            actor=by,
            target=user,
            event_id=event.pk,
            ticket_type=ticket_type.name,
        )
        return None
    line = orders.Line(
        ticket_type=ticket_type,
        name=one_line(user.name or user.email)[:200],
        email=user.email.lower(),
        price=Decimal(0),
    )
    return orders.write(
        event=event, buyer=user, email=user.email.lower(), lines=[line], origin=OrderOrigin.SPEAKER, by=by
    )


@transaction.atomic
def revoke_speaker_tickets(*, event, user, by=None) -> list[Order]:
    """Cancel `user`'s complimentary speaker tickets at the event (the orders given for speaking, not
    those they bought). `by` None: the system (or an operator); else `can_edit_event`.

    Side effects per order: as `cancel_order`.
    """
    rules.check_can_manage_orders(by, event)
    given = Order.objects.filter(event=event, buyer=user, origin=OrderOrigin.SPEAKER, state__in=HOLDING)
    return [cancel_order(order=order, by=by) for order in given.order_by("pk")]


def on_proposal_state_changed(sender, *, proposal: Proposal, old: str, new: str, **kwargs) -> None:
    """Receiver of `proposal_state_changed`: grant tickets on confirmation, revoke them when a speaker
    has no confirmed proposal left."""
    if new != ProposalState.CONFIRMED and old != ProposalState.CONFIRMED:
        return
    proposal = Proposal.objects.select_related("event").get(pk=proposal.pk)
    event = proposal.event
    for user in proposal.speakers.order_by("pk"):
        if new == ProposalState.CONFIRMED:
            grant_speaker_ticket(event=event, user=user)
        elif not event.proposals.filter(speakers=user, state=ProposalState.CONFIRMED).exists():
            revoke_speaker_tickets(event=event, user=user)


def _speaking(event):
    from podium.accounts.models import User

    return User.objects.filter(proposals__event=event, proposals__state=ProposalState.CONFIRMED).distinct()


def missing_speaker_tickets(event) -> list:
    """Speakers of confirmed proposals who hold no speakers' ticket, when the event has a speaker type."""
    if speaker_ticket_type(event) is None:
        return []
    return [user for user in _speaking(event).order_by("pk") if not speaker_tickets_of(user, event).exists()]


def reconcile_speaker_tickets(*, event, by=None) -> tuple[int, int]:
    """Bring the event's complimentary speaker tickets in line with its confirmed proposals: give one to
    every speaker of a confirmed proposal who holds no speakers' ticket (confirmed by an import, a
    co-speaker who joined later, a grant that failed after its state change committed), and cancel
    those of people who no longer speak. Returns (given, cancelled). `by` as for the grants.

    Side effects: as `grant_speaker_ticket` and `revoke_speaker_tickets`.
    """
    from podium.accounts.models import User

    if speaker_ticket_type(event) is None:
        return 0, 0
    speaking = _speaking(event)
    given = sum(
        grant_speaker_ticket(event=event, user=user, by=by) is not None
        for user in missing_speaker_tickets(event)
    )
    holding = User.objects.filter(
        orders__event=event, orders__origin=OrderOrigin.SPEAKER, orders__state__in=HOLDING
    ).exclude(pk__in=speaking.values("pk"))
    cancelled = sum(len(revoke_speaker_tickets(event=event, user=user, by=by)) for user in holding.distinct())
    return given, cancelled
