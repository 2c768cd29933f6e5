"""The mails registration sends, queued in the outbox by the service that causes them.

Every order mail goes to the order's address and is found again by its key (`mail.about.order`);
a paid order's mail carries each ticket as a PDF (pdf.py), made when the mail is sent. Templates:
registration/templates/mail/; the tickets mail is one of the system mails an event may word itself
(mail.system, "order_paid").
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, npgettext

from podium.mail import about
from podium.mail.services import made_attachment, queue_mail, queue_system_mail, recipient_language
from podium.registration.enums import OrderState
from podium.registration.models import Order, Ticket, WaitingListEntry
from podium.registration.queries import settings_for
from podium.registration.tickets import pdf_filename


def _name(order: Order, tickets: list[Ticket]) -> str:
    """Whom the mail greets: the buyer, else the (first) attendee."""
    if order.buyer_id and order.buyer.name:
        return order.buyer.name
    return tickets[0].attendee_name if tickets else order.email


def _tickets(order: Order) -> list[Ticket]:
    return list(order.tickets.select_related("ticket_type").order_by("pk"))


# The maker of a ticket's PDF (registered in apps.py): made when the mail is sent.
TICKET_PDF = "registration.ticket_pdf"


def ticket_file(ticket: Ticket) -> dict:
    """The ticket's PDF as a mail attachment (the order mails', and those written in bulk), made when
    the mail is sent (`mail.services.made_attachment`): the ticket as it is then."""
    return made_attachment(
        filename=pdf_filename(ticket), content_type="application/pdf", maker=TICKET_PDF, ticket=ticket.pk
    )


def _queue(order: Order, template: str, tickets: list[Ticket], *, attachments=None, **context):
    return queue_mail(
        to=order.email,
        template=template,
        context={
            "order": order,
            "tickets": tickets,
            "name": _name(order, tickets),
            "currency": settings_for(order.event).currency,
            **context,
        },
        event=order.event,
        user=order.buyer,
        about=about.order(order.pk),
        attachments=attachments,
    )


def order_placed(order: Order):
    """The confirmation of a new order: the tickets when it is paid (free), else how to pay."""
    if order.state == OrderState.PAID:
        return order_paid(order)
    return _queue(order, "order_pending", _tickets(order))


def order_paid_values(order: Order, tickets: list[Ticket], *, name: str | None = None) -> dict:
    """The placeholder values of the tickets mail (mail.system's "order_paid") of a paid `order`, their
    words in the active language (the recipient's: see `order_paid`); `name` is whom it greets
    (default: the buyer, else the first attendee)."""
    count = len(tickets)
    path = reverse("site:my_order", kwargs={"event": order.event.slug, "code": order.code})
    return {
        "name": _name(order, tickets) if name is None else name,
        "order_code": order.code,
        "payment_note": gettext("thank you, your payment has arrived.") + " " if order.total else "",
        "here_are_your_tickets": npgettext(
            "tickets mail", "Here is your ticket", "Here are your tickets", count
        ),
        "tickets_word": npgettext("tickets mail", "ticket", "tickets", count),
        "ticket_count": count,
        "ticket_list": "\n".join(
            "  - "
            + gettext("%(ticket_type)s for %(attendee)s")
            % {"ticket_type": ticket.ticket_type.name, "attendee": ticket.attendee_name}
            for ticket in tickets
        ),
        "ticket_link": f"{settings.BASE_URL}{path}",
    }


def order_paid(order: Order):
    """The tickets of a paid order, each as a PDF; in the language of its recipient, the values too."""
    tickets = _tickets(order)
    with translation.override(recipient_language(to=order.email, user=order.buyer, event=order.event)):
        values = order_paid_values(order, tickets)
    return queue_system_mail(
        key="order_paid",
        to=order.email,
        values=values,
        event=order.event,
        user=order.buyer,
        about=about.order(order.pk),
        attachments=[ticket_file(ticket) for ticket in tickets],
    )


def order_ended(order: Order, *, expired: bool = False):
    """An order was cancelled, refunded, or expired unpaid."""
    return _queue(order, "order_cancelled", _tickets(order), expired=expired)


def ticket_reissued(ticket: Ticket):
    """One ticket issued again (new attendee, new code), as a PDF."""
    order = ticket.order
    return _queue(order, "ticket_reissued", [ticket], ticket=ticket, attachments=[ticket_file(ticket)])


def offer_link(entry: WaitingListEntry) -> str:
    """The address where the offer is taken up (the public site's page for it)."""
    path = reverse("site:ticket_offer", kwargs={"event": entry.event.slug, "token": entry.token})
    return f"{settings.BASE_URL}{path}"


def waiting_list_offer(entry: WaitingListEntry):
    """A freed seat offered to the next person on the waiting list, with a link that expires."""
    return queue_mail(
        to=entry.email,
        template="waiting_list_offer",
        context={"entry": entry, "link": offer_link(entry)},
        event=entry.event,
        user=entry.user,
        about=about.waiting_offer(entry.pk),
    )
