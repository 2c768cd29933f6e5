"""The waiting list of a sold-out ticket type: join, leave, take up an offer, let offers expire.

A person joins only while the type is sold out, once per type at a time. Freed seats are offered in
turn (offers.py): the seat is held for the person until the offer expires. Taking it up places their
order on that held seat (no other buyer can take it meanwhile); an offer not taken in time goes to
the next person, or the seat is freed when nobody waits.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError
from podium.registration import offers, orders, rules, seats
from podium.registration.answers import clean_answers, clean_attendee, event_questions
from podium.registration.enums import ACTIVE_WAITING, OrderOrigin, Visibility, WaitingState
from podium.registration.models import Order, TicketType, WaitingListEntry
from podium.registration.queries import settings_for


def _check_may_wait(ticket_type: TicketType, user) -> None:
    if not ticket_type.active:
        raise NotAllowed(_("“%(ticket_type)s” tickets are not on sale.") % {"ticket_type": ticket_type.name})
    if ticket_type.visibility == Visibility.VOUCHER:
        raise NotAllowed(
            _("“%(ticket_type)s” tickets are sold with a voucher only; there is no waiting list.")
            % {"ticket_type": ticket_type.name}
        )
    if ticket_type.visibility == Visibility.GROUP:
        rules.check_may_buy_group(user, ticket_type)


@transaction.atomic
def join_waiting_list(*, ticket_type: TicketType, user) -> WaitingListEntry:
    """A logged-in person waits for a seat of a sold-out ticket type (one they could buy). Refused while
    seats are left, for a type without a quota, and when they are waiting already.

    Side effects: audit entry.
    """
    if user is None or not user.is_authenticated:
        raise NotAllowed(_("Log in to join the waiting list."))
    ticket_type = TicketType.objects.select_related("event").get(pk=ticket_type.pk)
    if not settings_for(ticket_type.event).is_open:
        raise NotAllowed(_("Registration for %(event)s is not open.") % {"event": ticket_type.event.name})
    _check_may_wait(ticket_type, user)
    if not ticket_type.is_sold_out:
        raise ServiceError(
            _("“%(ticket_type)s” tickets are not sold out: you can buy one now.")
            % {"ticket_type": ticket_type.name}
        )
    if WaitingListEntry.objects.filter(ticket_type=ticket_type, user=user, state__in=ACTIVE_WAITING).exists():
        raise ServiceError(
            _("You are on the waiting list for “%(ticket_type)s” already.")
            % {"ticket_type": ticket_type.name}
        )
    try:
        with transaction.atomic():
            entry = WaitingListEntry.objects.create(
                event=ticket_type.event, ticket_type=ticket_type, user=user, email=user.email, name=user.name
            )
    except IntegrityError:  # the same person joined twice at once
        raise ServiceError(
            _("You are on the waiting list for “%(ticket_type)s” already.")
            % {"ticket_type": ticket_type.name}
        ) from None
    audit.record(
        action="waiting_list.joined",
        actor=user,
        target=entry,
        event_id=entry.event_id,
        ticket_type=ticket_type.name,
    )
    return entry


@seats.retry_when_busy
@transaction.atomic
def leave_waiting_list(*, entry: WaitingListEntry, by) -> WaitingListEntry:
    """The person (or an organiser) takes an entry off the waiting list; a seat offered to it goes to the
    next person, or is freed. Side effects: audit entry; offer mail to the next person."""
    entry = WaitingListEntry.objects.select_related("ticket_type__event").get(pk=entry.pk)
    if by is not None and by.pk != entry.user_id:
        rules.check_can_manage_orders(by, entry.event)
    was = entry.state
    left = WaitingListEntry.objects.filter(pk=entry.pk, state__in=ACTIVE_WAITING).update(
        state=WaitingState.WITHDRAWN
    )
    if not left:
        raise ServiceError(_("This entry is no longer on the waiting list."))
    if was == WaitingState.OFFERED:
        offers.offer_freed_seats(ticket_type=entry.ticket_type, count=1)
    entry.refresh_from_db()
    audit.record(action="waiting_list.left", actor=by, target=entry, event_id=entry.event_id)
    return entry


def _offer(event, token: str, user) -> WaitingListEntry:
    entry = (
        WaitingListEntry.objects.select_related("ticket_type__event", "event")
        .filter(event=event, token=token or None)
        .first()
    )
    if entry is None:
        raise ServiceError(_("This offer link is not valid."))
    if user is None or not user.is_authenticated or user.pk != entry.user_id:
        raise NotAllowed(
            _("This offer was made to someone else. Log in with the account that joined the waiting list.")
        )
    if entry.state == WaitingState.ACCEPTED:
        raise ServiceError(_("You have taken up this offer already."))
    if entry.state != WaitingState.OFFERED or entry.offer_expires_at <= timezone.now():
        raise ServiceError(_("This offer has expired, and the seat was offered to the next person."))
    return entry


def accept_offer(
    *,
    event,
    token: str,
    user,
    attendee_name: str | None = None,
    attendee_email: str | None = None,
    email: str | None = None,
    answers: dict | None = None,
) -> Order:
    """The person offered a seat takes it up before the offer expires: an order for one ticket of the
    type on the seat held for them (paid at once when free, else pending until the payment deadline).
    The attendee is the person unless another name and address are given. Refused for a link of
    another person, taken up already or expired; an answer that is wrong keeps the offer open.

    Side effects: audit entries, `order.placed` (and, when free, `order.paid`) webhook deliveries, the
    order mail.
    """
    entry = _offer(event, token, user)
    ticket_type = entry.ticket_type
    name, address = clean_attendee(
        attendee_name or entry.name or user.name or entry.email, attendee_email or entry.email
    )
    line = orders.Line(
        ticket_type=ticket_type,
        name=name,
        email=address,
        price=ticket_type.price,
        answers=clean_answers(event_questions(event), ticket_type, answers or {}),
    )
    return _take_up(entry=entry, line=line, email=(email or entry.email).strip().lower(), user=user)


@seats.retry_when_busy
@transaction.atomic
def _take_up(*, entry: WaitingListEntry, line: orders.Line, email: str, user) -> Order:
    taken = WaitingListEntry.objects.filter(
        pk=entry.pk, state=WaitingState.OFFERED, offer_expires_at__gt=timezone.now()
    ).update(state=WaitingState.ACCEPTED)
    if not taken:
        raise ServiceError(_("This offer has expired, and the seat was offered to the next person."))
    order = orders.write(
        event=entry.event, buyer=user, email=email, lines=[line], origin=OrderOrigin.WAITING_LIST
    )
    WaitingListEntry.objects.filter(pk=entry.pk).update(order=order)
    audit.record(
        action="waiting_list.accepted", actor=user, target=entry, event_id=entry.event_id, order=order.code
    )
    return order


@seats.retry_when_busy
@transaction.atomic
def _expire_offer(entry_id: int, now: dt.datetime) -> bool:
    expired = WaitingListEntry.objects.filter(
        pk=entry_id, state=WaitingState.OFFERED, offer_expires_at__lte=now
    ).update(state=WaitingState.EXPIRED)
    if not expired:
        return False
    entry = WaitingListEntry.objects.select_related("ticket_type__event").get(pk=entry_id)
    audit.record(action="waiting_list.offer_expired", target=entry, event_id=entry.event_id)
    offers.offer_freed_seats(ticket_type=entry.ticket_type, count=1, now=now)
    return True


def expire_offers(*, now: dt.datetime | None = None) -> int:
    """Offers not taken up in time expire (one transaction each): each held seat goes to the next person
    waiting, or is freed. Returns how many expired. Run by `podium cleanup` (sweeps.py).

    Side effects per offer: audit entry; an offer mail to the next person.
    """
    now = now or timezone.now()
    due = WaitingListEntry.objects.filter(state=WaitingState.OFFERED, offer_expires_at__lte=now)
    return sum(
        _expire_offer(pk, now)
        for pk in list(due.order_by("offer_expires_at", "pk").values_list("pk", flat=True))
    )
