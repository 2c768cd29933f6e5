"""Reusable reads about registration: an event's settings, the seat invariant, speaker tickets."""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from podium.base.errors import ServiceError
from podium.registration.enums import HOLDING, Group, Visibility, WaitingState
from podium.registration.models import Order, RegistrationSettings, Ticket, TicketType, Voucher


def settings_for(event) -> RegistrationSettings:
    """The event's registration settings: the stored row, or the defaults (unsaved; registration closed)."""
    found = RegistrationSettings.objects.filter(event=event).first()
    return found if found is not None else RegistrationSettings(event=event)


def seats_held(event) -> dict[int, int]:
    """{ticket type id: seats its tickets in pending or paid orders and its open offers hold}, counted
    from the rows (what `seats_taken` must say)."""
    types = TicketType.objects.filter(event=event).annotate(
        tickets_held=Count("tickets", filter=Q(tickets__order__state__in=HOLDING), distinct=True),
        offers_open=Count("waiting_list", filter=Q(waiting_list__state=WaitingState.OFFERED), distinct=True),
    )
    return {row.pk: row.tickets_held + row.offers_open for row in types}


def seat_count_drift(event) -> dict[str, tuple[int, int]]:
    """{ticket type name: (seats_taken, seats held by the rows)} for every type of the event whose
    counter disagrees with its rows; empty when the invariant holds. Also lists vouchers whose
    `times_used` disagrees with their pending and paid orders, as "voucher <code>"."""
    held = seats_held(event)
    drift = {
        ticket_type.name: (ticket_type.seats_taken, held[ticket_type.pk])
        for ticket_type in TicketType.objects.filter(event=event)
        if ticket_type.seats_taken != held[ticket_type.pk]
    }
    vouchers = Voucher.objects.filter(event=event).annotate(
        orders_held=Count("orders", filter=Q(orders__state__in=HOLDING))
    )
    drift.update(
        {
            f"voucher {voucher.code}": (voucher.times_used, voucher.orders_held)
            for voucher in vouchers
            if voucher.times_used != voucher.orders_held
        }
    )
    return drift


def speaker_ticket_type(event) -> TicketType | None:
    """The type of the speakers' complimentary tickets: the event's first active `speakers` group type."""
    return (
        TicketType.objects.filter(event=event, visibility=Visibility.GROUP, group=Group.SPEAKERS, active=True)
        .order_by("position", "pk")
        .first()
    )


def speaker_tickets_of(user, event):
    """Tickets of a `speakers` type that `user` holds in the event (bought or given, pending or paid),
    whether they bought them or are named on them."""
    return Ticket.objects.filter(
        order__event=event,
        order__state__in=HOLDING,
        ticket_type__visibility=Visibility.GROUP,
        ticket_type__group=Group.SPEAKERS,
    ).filter(Q(order__buyer=user) | Q(attendee_email__iexact=user.email))


def orders_of(user, event):
    """The user's orders for the event, newest first, with their tickets."""
    if not user.is_authenticated:
        return Order.objects.none()
    return (
        Order.objects.filter(event=event, buyer=user)
        .prefetch_related("tickets__ticket_type")
        .order_by("-created_at", "-pk")
    )


def find_voucher(event, code: str) -> Voucher | None:
    """The event's voucher with this code, in any letter case (codes are unique ignoring case)."""
    code = (code or "").strip()
    if not code:
        return None
    return Voucher.objects.filter(event=event, code__iexact=code).select_related("ticket_type").first()


def usable_voucher(event, code: str, *, now=None) -> Voucher | None:
    """The event's voucher with this code if it can still be used (None for no code); a ServiceError
    (field `voucher_code`) saying why not for an unknown, expired or used-up one."""
    if not (code or "").strip():
        return None
    now = now or timezone.now()
    voucher = find_voucher(event, code)
    if voucher is None:
        raise ServiceError(
            _("There is no voucher “%(code)s”.") % {"code": code.strip()}, field="voucher_code"
        )
    if voucher.valid_until is not None and voucher.valid_until <= now:
        raise ServiceError(_("This voucher has expired."), field="voucher_code")
    if voucher.times_used >= voucher.max_usages:
        raise ServiceError(_("This voucher has been used up."), field="voucher_code")
    return voucher
