"""What a ticket's QR code carries, and reading it back at the door.

The code is a token signed with the site's secret key (`django.core.signing`, its own salt) binding
the event id, the ticket id and the ticket's random secret; never the id alone, so nobody can make a
valid ticket by counting. Re-issuing a ticket (a new attendee) replaces its secret, and the old code
stops working. `read_token` answers with the ticket or refuses with a reason a person can act on.
"""

from django.core import signing
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from podium.base.errors import ServiceError
from podium.registration.enums import OrderState
from podium.registration.models import Ticket

SALT = "podium.registration.ticket"

FORGED = "forged"
OTHER_EVENT = "other_event"
UNKNOWN = "unknown"
REISSUED = "reissued"
CANCELLED = "cancelled"
UNPAID = "unpaid"


def pdf_filename(ticket: Ticket) -> str:
    """The name a ticket's PDF is downloaded and mailed under (here, not in pdf.py: naming the file needs
    no ReportLab, and the mails name it in processes that never make one)."""
    return f"ticket-{ticket.order.code}-{ticket.pk}.pdf"


class InvalidTicket(ServiceError):
    """A ticket code that does not admit anyone; `reason` is one of the constants above."""

    def __init__(self, message: str, *, reason: str):
        super().__init__(message)
        self.reason = reason


def token_for(ticket: Ticket) -> str:
    """The signed token of the ticket's QR code."""
    return signing.dumps([ticket.order.event_id, ticket.pk, ticket.secret], salt=SALT, compress=True)


def _parts(token: str) -> tuple[int, int, str]:
    try:
        data = signing.loads((token or "").strip(), salt=SALT)
    except signing.BadSignature:
        data = None
    if (
        not isinstance(data, list)
        or len(data) != 3
        or not all(isinstance(part, int) and not isinstance(part, bool) for part in data[:2])
        or not isinstance(data[2], str)
    ):
        raise InvalidTicket(
            _("This is not a valid ticket code: it was changed or not issued by this event."), reason=FORGED
        )
    return data[0], data[1], data[2]


def read_token(event, token: str) -> Ticket:
    """The paid ticket of `event` the token names, or `InvalidTicket`: forged or altered, another
    event's, unknown, re-issued (an older code), cancelled or refunded, not paid yet."""
    event_id, ticket_id, secret = _parts(token)
    if event_id != event.pk:
        raise InvalidTicket(_("This ticket is for another event."), reason=OTHER_EVENT)
    ticket = (
        Ticket.objects.select_related("order", "ticket_type").filter(pk=ticket_id, order__event=event).first()
    )
    if ticket is None:
        raise InvalidTicket(_("This ticket does not exist (any more)."), reason=UNKNOWN)
    if not constant_time_compare(ticket.secret, secret):
        raise InvalidTicket(
            _("This ticket was re-issued: this code is no longer valid. Show the newest ticket."),
            reason=REISSUED,
        )
    if ticket.order.state in (OrderState.CANCELLED, OrderState.REFUNDED):
        raise InvalidTicket(
            _("This ticket's order was cancelled.")
            if ticket.order.state == OrderState.CANCELLED
            else _("This ticket's order was refunded."),
            reason=CANCELLED,
        )
    if ticket.order.state != OrderState.PAID:
        raise InvalidTicket(_("This ticket's order is not paid yet."), reason=UNPAID)
    return ticket
