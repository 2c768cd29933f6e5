"""What `podium cleanup` does for registration (registered in apps.py): unpaid orders past their
payment deadline are cancelled, waiting-list offers not taken up in time expire. Both give the seats
to the next person waiting, or free them."""

import datetime as dt

from podium.base.cleanup import Removal
from podium.registration.enums import OrderState, WaitingState
from podium.registration.models import Order, WaitingListEntry
from podium.registration.services import expire_orders
from podium.registration.waiting_list import expire_offers


def _said(count: int, what: str, reason: str) -> list[Removal]:
    return [Removal(f"{count} {what}", reason)] if count else []


def expired_orders(*, now: dt.datetime, dry_run: bool) -> list[Removal]:
    """Pending orders past their payment deadline: cancelled, seats freed or offered."""
    if dry_run:
        count = Order.objects.filter(state=OrderState.PENDING, expires_at__lte=now).count()
    else:
        count = expire_orders(now=now)
    return _said(count, "unpaid ticket order(s)", "payment deadline passed")


def expired_offers(*, now: dt.datetime, dry_run: bool) -> list[Removal]:
    """Waiting-list offers not taken up in time: passed on to the next person or freed."""
    if dry_run:
        count = WaitingListEntry.objects.filter(state=WaitingState.OFFERED, offer_expires_at__lte=now).count()
    else:
        count = expire_offers(now=now)
    return _said(count, "waiting-list offer(s)", "not taken up in time")


def speaker_tickets(*, now: dt.datetime, dry_run: bool) -> list[Removal]:
    """Complimentary speaker tickets repaired against confirmed proposals (see
    speaker_tickets.reconcile_speaker_tickets), for events whose dates have not passed."""
    from podium.events.models import Event
    from podium.registration.speaker_tickets import missing_speaker_tickets, reconcile_speaker_tickets

    given = cancelled = 0
    for event in Event.objects.filter(date_to__gte=now.date(), ticket_types__isnull=False).distinct():
        if dry_run:
            given += len(missing_speaker_tickets(event))
            continue
        done = reconcile_speaker_tickets(event=event)
        given, cancelled = given + done[0], cancelled + done[1]
    return _said(given, "speaker ticket(s) given", "confirmed speaker without one") + _said(
        cancelled, "speaker ticket(s) cancelled", "no confirmed proposal left"
    )
