"""A ticket as a one-page PDF: event, ticket type, attendee, order code and the QR code of its signed
token (tickets.token_for). Set in the fonts of base/pdf.py, like every PDF of Podium."""

import io

from django.utils import dateformat
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import SimpleDocTemplate, Spacer, Table, TableStyle

from podium.base.pdf import BOLD, FONT, Text, qr_code, use_fonts
from podium.registration.models import Ticket
from podium.registration.tickets import token_for

QR_SIZE = 6 * cm
_BASE = ParagraphStyle("base", fontName=FONT, fontSize=12, leading=16)
STYLES = {
    "event": ParagraphStyle("event", _BASE, fontName=BOLD, fontSize=22, leading=28),
    "dates": ParagraphStyle("dates", _BASE, fontSize=12, textColor=colors.HexColor("#444444")),
    "name": ParagraphStyle("name", _BASE, fontName=BOLD, fontSize=26, leading=32),
    "line": _BASE,
    "small": ParagraphStyle("small", _BASE, fontSize=9, leading=12, textColor=colors.HexColor("#555555")),
}


def _dates(event) -> str:
    if event.date_from == event.date_to:
        return dateformat.format(event.date_from, "d F Y")
    return (
        f"{dateformat.format(event.date_from, 'd F')} \N{EN DASH} {dateformat.format(event.date_to, 'd F Y')}"
    )


def ticket_pdf(ticket: Ticket, *, compress: bool = True) -> bytes:
    """The ticket's PDF; `compress=False` keeps the page text readable (tests)."""
    use_fonts()
    order = ticket.order
    event = order.event
    details = [
        Text(event.name, STYLES["event"]),
        Text(_dates(event), STYLES["dates"]),
        Spacer(1, 0.8 * cm),
        Text(ticket.attendee_name, STYLES["name"]),
    ]
    if ticket.attendee_company:
        details.append(Text(ticket.attendee_company, STYLES["line"]))
    details += [
        Spacer(1, 0.4 * cm),
        Text(_("Ticket: %(ticket_type)s") % {"ticket_type": ticket.ticket_type.name}, STYLES["line"]),
        Text(_("Order: %(code)s") % {"code": order.code}, STYLES["line"]),
        Spacer(1, 0.4 * cm),
        Text(_("Show this code at the entrance. It is valid for one person."), STYLES["small"]),
    ]
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=_("%(event)s: ticket %(code)s") % {"event": event.name, "code": order.code},
        author="Podium",
        leftMargin=1.5 * cm,
        rightMargin=1.5 * cm,
        topMargin=1.5 * cm,
        bottomMargin=1.5 * cm,
        pageCompression=1 if compress else 0,
    )
    width = A4[0] - 3 * cm
    table = Table(
        [[details, qr_code(token_for(ticket), QR_SIZE)]],
        colWidths=[width - QR_SIZE - 0.5 * cm, QR_SIZE + 0.5 * cm],
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOX", (0, 0), (-1, -1), 0.75, colors.HexColor("#888888")),
                ("TOPPADDING", (0, 0), (-1, -1), 12),
                ("LEFTPADDING", (0, 0), (-1, -1), 12),
            ]
        )
    )
    doc.build([table])
    return out.getvalue()


def ticket_pdf_by_id(ticket: int) -> bytes:
    """The PDF of the ticket with this id as it is now (a mail's attachment, made when it is sent;
    Ticket.DoesNotExist when it is gone)."""
    return ticket_pdf(Ticket.objects.select_related("order__event", "ticket_type").get(pk=ticket))
