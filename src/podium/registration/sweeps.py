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
