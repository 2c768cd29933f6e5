"""Registration and check-in through API tokens: ticket types, orders with their tickets, the
attendee list, check-ins; checking a ticket in and marking an order paid.

Attendees' names and addresses are read by the token users who see them on the pages
(`can_check_in` or `can_edit_event`). Tokens of the `checkin` scope (check-in devices) reach only the
attendee list and the check-in call; every other call refuses them.
"""

from django.db.models import Prefetch
from django.http import Http404
from ninja import Query, Router
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from podium.api import registration_schemas as rs
from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.idempotency import idempotent
from podium.api.organiser import IDEMPOTENCY, READ_ERRORS, WRITE_ERRORS, _event, _page
from podium.checkin import queries as checkin_queries
from podium.checkin import services as checkin_services
from podium.checkin.models import CheckIn
from podium.registration import rules as registration_rules
from podium.registration import services as registration_services
from podium.registration.models import Order, Ticket, TicketType
from podium.registration.tickets import token_for

router = Router(tags=["registration"])


def _attendee_event(request, slug: str, *, devices: bool = False, write: bool = False):
    found = _event(request, slug, devices=devices, write=write)
    if not registration_rules.can_see_attendees(request.auth.user, found):
        raise HttpError(403, "The token's user may not see this event's attendees.")
    return found


def _check_in_out(entry) -> dict | None:
    if entry is None:
        return None
    return {"desk": entry.desk, "scanned_at": entry.scanned_at, "offline": entry.offline}


def _orders_out(orders) -> list[dict]:
    return [
        {
            "code": order.code,
            "state": order.state,
            "origin": order.origin,
            "email": order.email,
            "total": order.total,
            "created_at": order.created_at,
            "paid_at": order.paid_at,
            "cancelled_at": order.cancelled_at,
            "tickets": [
                {
                    "id": ticket.pk,
                    "ticket_type": ticket.ticket_type.name,
                    "attendee_name": ticket.attendee_name,
                    "attendee_email": ticket.attendee_email,
                    "attendee_company": ticket.attendee_company,
                    "price": ticket.price,
                    "check_in": _check_in_out(checkin_queries.checked_in(ticket)),
                }
                for ticket in order.tickets.all()
            ],
        }
        for order in orders
    ]


def _orders(event):
    tickets = Ticket.objects.select_related("ticket_type", "check_in").order_by("pk")
    return Order.objects.filter(event=event).prefetch_related(Prefetch("tickets", queryset=tickets))


@router.get("/orga/events/{event}/ticket-types", response={200: rs.TicketTypeList, **READ_ERRORS}, auth=TOKEN)
def ticket_types(request, event: s.Slug):
    """The event's ticket types with their quotas and the seats taken (any team member's token)."""
    found = _event(request, event)
    types = TicketType.objects.filter(event=found).order_by("position", "name")
    return {
        "items": [
            {
                "id": t.pk,
                "name": t.name,
                "price": t.price,
                "quota": t.quota,
                "seats_taken": t.seats_taken,
                "active": t.active,
            }
            for t in types
        ]
    }


@router.get("/orga/events/{event}/orders", response={200: rs.OrderPage, **READ_ERRORS}, auth=TOKEN)
def orders(request, event: s.Slug, filters: Query[rs.OrderFilters]):
    """The event's orders, newest first, each with its tickets (and their check-ins); filter by state."""
    found = _attendee_event(request, event)
    queryset = _orders(found).order_by("-created_at", "-pk")
    if filters.state:
        queryset = queryset.filter(state=filters.state)
    return _page(queryset, filters, _orders_out)


def _attendees_out(tickets) -> list[dict]:
    rows = []
    for ticket in tickets:
        entry = checkin_queries.checked_in(ticket)
        rows.append(
            {
                "id": ticket.pk,
                "name": ticket.attendee_name,
                "company": ticket.attendee_company,
                "type": ticket.ticket_type.name,
                "order": ticket.order.code,
                "state": ticket.order.state,
                "token": token_for(ticket),
                "checked_in_at": entry.scanned_at if entry else None,
                "desk": entry.desk if entry else None,
            }
        )
    return rows


@router.get("/orga/events/{event}/attendees", response={200: rs.AttendeePage, **READ_ERRORS}, auth=TOKEN)
def attendees(request, event: s.Slug, page: Query[s.PageParams]):
    """Every ticket of the event as a check-in device keeps it (check-in tokens too): attendee, type,
    order and its state, the ticket's current token, and its check-in."""
    found = _attendee_event(request, event, devices=True)
    queryset = (
        Ticket.objects.filter(order__event=found)
        .select_related("order", "ticket_type", "check_in")
        .order_by("pk")
    )
    return _page(queryset, page, _attendees_out)


def _check_ins_out(entries) -> list[dict]:
    return [
        {
            "ticket": entry.ticket_id,
            "order": entry.ticket.order.code,
            "ticket_type": entry.ticket.ticket_type.name,
            "attendee_name": entry.ticket.attendee_name,
            "desk": entry.desk,
            "scanned_at": entry.scanned_at,
            "received_at": entry.received_at,
            "offline": entry.offline,
        }
        for entry in entries
    ]


@router.get("/orga/events/{event}/checkins", response={200: rs.CheckInPage, **READ_ERRORS}, auth=TOKEN)
def check_ins(request, event: s.Slug, page: Query[s.PageParams]):
    """The event's check-ins, earliest first."""
    found = _attendee_event(request, event)
    queryset = (
        CheckIn.objects.filter(event=found)
        .select_related("ticket__order", "ticket__ticket_type")
        .order_by("scanned_at", "pk")
    )
    return _page(queryset, page, _check_ins_out)


@router.post("/orga/events/{event}/checkins", response={200: rs.ScanOut, **WRITE_ERRORS}, auth=TOKEN)
@decorate_view(idempotent)
def check_in(
    request,
    event: s.Slug,
    data: rs.CheckInIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Check a ticket in (a write or check-in token of a user with `can_check_in`): the answer says
    checked in, already checked in (when, at which desk) or why the code admits nobody. A ticket is
    checked in once, however often and wherever it is scanned."""
    found = _event(request, event, write=True, devices=True)
    outcome = checkin_services.check_in(
        event=found,
        code=data.code,
        ticket=data.ticket,
        desk=data.desk,
        by=request.auth.user,
        scanned_at=data.scanned_at,
    )
    return outcome.data()


@router.post(
    "/orga/events/{event}/orders/{code}/paid", response={200: rs.OrderOut, **WRITE_ERRORS}, auth=TOKEN
)
@decorate_view(idempotent)
def mark_paid(request, event: s.Slug, code: s.Code, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY):
    """Record the payment of a pending order (a write token of a user with `can_edit_event`). A caller
    who may not manage orders gets 403 whether or not the code names an order: the answer does not tell
    which codes exist."""
    found = _event(request, event, write=True)
    if not registration_rules.can_manage_orders(request.auth.user, found):
        raise HttpError(403, "Only the event's organisers may manage its orders.")
    order = Order.objects.filter(event=found, code=code.upper()).first()
    if order is None:
        raise Http404("This event has no order with this code.")
    registration_services.mark_paid(order=order, by=request.auth.user)
    return _orders_out([_orders(found).get(pk=order.pk)])[0]
