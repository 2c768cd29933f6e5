"""Passing freed seats to the waiting list.

A seat given up (a cancelled, refunded or expired order, an offer not taken) is still counted in
`seats_taken` when it arrives here. It goes to the next person waiting for that ticket type: their
entry becomes `offered` with a random token and an expiry, the seat stays held for them, and a mail
with the link is queued. Only a seat nobody waits for is freed. Runs inside the caller's transaction.
"""

import datetime as dt

from django.utils import timezone

from podium.base import audit
from podium.registration import mails, seats
from podium.registration.enums import WaitingState, new_offer_token
from podium.registration.models import TicketType, WaitingListEntry
from podium.registration.queries import settings_for


def offer_next(ticket_type: TicketType, *, now: dt.datetime) -> WaitingListEntry | None:
    """Turn the longest-waiting entry of the type into an offer of a held seat; None if nobody waits.

    Each entry changes by a conditional UPDATE on its state, so two seats freed at once never go to
    the same person. Side effects: audit entry, offer mail.
    """
    hours = settings_for(ticket_type.event).offer_hours
    waiting = WaitingListEntry.objects.filter(ticket_type=ticket_type, state=WaitingState.WAITING)
    for entry in waiting.order_by("created_at", "pk")[:50]:
        taken = WaitingListEntry.objects.filter(pk=entry.pk, state=WaitingState.WAITING).update(
            state=WaitingState.OFFERED,
            token=new_offer_token(),
            offered_at=now,
            offer_expires_at=now + dt.timedelta(hours=hours),
        )
        if taken:
            entry.refresh_from_db()
            audit.record(
                action="waiting_list.offered",
                target=entry,
                event_id=entry.event_id,
                ticket_type=ticket_type.name,
                expires=entry.offer_expires_at.isoformat(),
            )
            mails.waiting_list_offer(entry)
            return entry
    return None


def offer_freed_seats(*, ticket_type: TicketType, count: int, now: dt.datetime | None = None) -> list:
    """`count` seats of `ticket_type` were given up and are still counted as taken: offer each to the
    next person waiting (the seat stays held) and free the seats nobody waits for.

    Runs in the caller's transaction (the cancellation, expiry or refusal that gave them up). Returns
    the entries that got an offer. Side effects: per offer an audit entry and a mail.
    """
    now = now or timezone.now()
    offered = []
    for _ in range(count):
        entry = offer_next(ticket_type, now=now)
        if entry is None:
            break
        offered.append(entry)
    seats.free_seats(ticket_type.pk, count - len(offered))
    return offered
