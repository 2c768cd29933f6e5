"""A person's orders, tickets and waiting-list places: their part of the export and of the erasure.

The person's orders are those they bought (or that were sent to their address); their tickets are
those in their orders and those naming their address as the attendee's. Erasure keeps the orders
(money and seats were counted) without the person's address, puts the erased name on the tickets that
name them, clears their company and answers, replaces the ticket's secret (the old QR code no longer
admits anyone), drops the PDF copies of those tickets from the outbox, and takes them off every
waiting list (an offered seat goes to the next person) before deleting the entries.
"""

from django.db.models import Q

from podium.mail import about
from podium.mail.models import OutboxMail
from podium.registration.enums import ACTIVE_WAITING, new_ticket_secret
from podium.registration.models import Answer, Order, Ticket, WaitingListEntry
from podium.registration.waiting_list import leave_waiting_list


def _when(moment):
    return moment.isoformat() if moment else None


def orders_of(user, address: str | None = None):
    address = address or user.email
    return Order.objects.filter(Q(buyer=user) | Q(email__iexact=address))


def tickets_naming(address: str):
    return Ticket.objects.filter(attendee_email__iexact=address)


def export(user) -> dict:
    """The person's orders (with every ticket in them), the tickets elsewhere that name them, and
    their waiting-list places. Ticket secrets and offer tokens are never exported."""
    orders = (
        orders_of(user)
        .select_related("event", "voucher")
        .prefetch_related("tickets__ticket_type", "tickets__answers__question", "tickets__check_in")
    )
    order_ids = set()
    exported_orders = []
    for order in orders.order_by("created_at", "pk"):
        order_ids.add(order.pk)
        exported_orders.append(
            {
                "event": order.event.slug,
                "code": order.code,
                "email": order.email,
                "state": order.state,
                "origin": order.origin,
                "total": str(order.total),
                "voucher": order.voucher.code if order.voucher_id else None,
                "created_at": _when(order.created_at),
                "paid_at": _when(order.paid_at),
                "cancelled_at": _when(order.cancelled_at),
                "tickets": [_ticket(ticket) for ticket in order.tickets.all()],
            }
        )
    elsewhere = (
        tickets_naming(user.email)
        .exclude(order_id__in=order_ids)
        .select_related("order__event", "ticket_type", "check_in")
        .prefetch_related("answers__question")
    )
    entries = WaitingListEntry.objects.filter(user=user).select_related("event", "ticket_type")
    return {
        "orders": exported_orders,
        "tickets": [
            {"event": ticket.order.event.slug, "order": ticket.order.code, **_ticket(ticket)}
            for ticket in elsewhere.order_by("pk")
        ],
        "waiting_list": [
            {
                "event": entry.event.slug,
                "ticket_type": entry.ticket_type.name,
                "name": entry.name,
                "email": entry.email,
                "state": entry.state,
                "created_at": _when(entry.created_at),
                "offered_at": _when(entry.offered_at),
                "offer_expires_at": _when(entry.offer_expires_at),
            }
            for entry in entries.order_by("created_at", "pk")
        ],
    }


def _ticket(ticket: Ticket) -> dict:
    return {
        "ticket_type": ticket.ticket_type.name,
        "attendee_name": ticket.attendee_name,
        "attendee_email": ticket.attendee_email,
        "attendee_company": ticket.attendee_company,
        "price": str(ticket.price),
        "answers": {answer.question.label: answer.value for answer in ticket.answers.all()},
        "created_at": _when(ticket.created_at),
        "checked_in": _checked_in(ticket),
    }


def _checked_in(ticket: Ticket) -> dict | None:
    """When and at which desk the ticket was let in (checkin.CheckIn), or None."""
    check_in = getattr(ticket, "check_in", None)
    if check_in is None:
        return None
    return {"scanned_at": _when(check_in.scanned_at), "desk": check_in.desk, "offline": check_in.offline}


def values(user) -> list[tuple[str, str]]:
    """The person's values that mails and audit entries may have copied: names on their tickets and
    waiting-list places (replaced by the erased name by the caller)."""
    names = set(tickets_naming(user.email).values_list("attendee_name", flat=True))
    names |= set(WaitingListEntry.objects.filter(user=user).values_list("name", flat=True))
    return sorted(name for name in names if name)


def erase(user, *, name: str, address: str) -> dict[str, int]:
    """Erase the person's registration data (see the module docstring); call before the account's
    address changes. Returns counts."""
    old_address = user.email
    active = WaitingListEntry.objects.filter(user=user, state__in=ACTIVE_WAITING)
    for entry in active.order_by("pk"):
        leave_waiting_list(entry=entry, by=None)
    entries = WaitingListEntry.objects.filter(user=user).delete()[0]
    tickets = list(tickets_naming(old_address).select_related("order"))
    for ticket in tickets:
        ticket.attendee_name, ticket.attendee_email, ticket.attendee_company = name, address, ""
        ticket.secret = new_ticket_secret()
    Ticket.objects.bulk_update(tickets, ["attendee_name", "attendee_email", "attendee_company", "secret"])
    Answer.objects.filter(ticket__in=tickets).update(value="")
    # The PDF tickets mailed to someone else (the buyer) show the person: drop them from those mails.
    keys = {about.order(ticket.order_id) for ticket in tickets}
    OutboxMail.objects.filter(about__in=keys).update(attachments=[])
    orders = orders_of(user, old_address).update(email=address)
    return {"orders": orders, "tickets": len(tickets), "waiting-list entries": entries}
