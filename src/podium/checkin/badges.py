"""Name badges as PDF: the attendee's name, company, ticket type, the event's name and the ticket's QR
code (its signed token, so a badge scans at the door like the ticket). Two layouts: one A6 badge per
page, or A4 sheets of eight 86 by 55 mm labels (Avery L7418-style: two across, four down). Set in the
fonts of base/pdf.py, like the tickets."""

import io

from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, A6
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from podium.base.pdf import BOLD, FONT, Text, qr_code, use_fonts, width
from podium.registration.tickets import token_for

A6_LAYOUT = "a6"
AVERY_LAYOUT = "avery"
LAYOUTS = (A6_LAYOUT, AVERY_LAYOUT)

LABEL = (86 * mm, 55 * mm)
COLUMNS, ROWS = 2, 4
COLUMN_GAP = 10 * mm
GREY = colors.HexColor("#555555")


def _name_size(name: str, room: float, largest: int, smallest: int = 11) -> int:
    """The largest font size (down to `smallest`) at which the name fits on one line (`room` wide)."""
    use_fonts()
    for size in range(largest, smallest - 1, -1):
        if width(name, BOLD, size) <= room:
            return size
    return smallest


def _paragraph(canvas, value: str, style: ParagraphStyle, x: float, top: float, width: float) -> float:
    """Draw `value` wrapped to `width` with its top at `top`; returns the y below it."""
    paragraph = Text(value, style)
    _w, height = paragraph.wrapOn(canvas, width, 1000)
    paragraph.drawOn(canvas, x, top - height)
    return top - height


def _badge(canvas, ticket, *, x, y, width, height, qr, large: bool) -> None:
    """One badge in the box (x, y, width, height): event and name across the top, then the company and
    ticket type, and the QR code (centred below on A6, at the bottom right of a label)."""
    pad = 6 * mm if large else 4 * mm
    full_width = width - 2 * pad
    # On a label the company and type sit beside the QR code; on A6 above it.
    side_width = full_width if large else full_width - qr - 2 * mm
    name_size = _name_size(ticket.attendee_name, full_width, 30 if large else 20)
    small, line = (10, 13) if large else (7, 9)
    styles = {
        "event": ParagraphStyle("event", fontName=FONT, fontSize=small, leading=small * 1.2, textColor=GREY),
        "name": ParagraphStyle("name", fontName=BOLD, fontSize=name_size, leading=name_size * 1.2),
        "line": ParagraphStyle("line", fontName=FONT, fontSize=line, leading=line * 1.25),
    }
    top = y + height - pad
    top = _paragraph(canvas, ticket.order.event.name, styles["event"], x + pad, top, full_width)
    top = _paragraph(canvas, ticket.attendee_name, styles["name"], x + pad, top - 2 * mm, full_width)
    top -= 1 * mm
    if ticket.attendee_company:
        top = _paragraph(canvas, ticket.attendee_company, styles["line"], x + pad, top, side_width)
    _paragraph(canvas, ticket.ticket_type.name, styles["line"], x + pad, top, side_width)
    drawing = qr_code(token_for(ticket), qr)
    if large:
        renderPDF.draw(drawing, canvas, x + (width - qr) / 2, y + pad)
    else:
        renderPDF.draw(drawing, canvas, x + width - pad - qr, y + pad)


def badges_pdf(event, tickets, *, layout: str = A6_LAYOUT, compress: bool = True) -> bytes:
    """The badges of `tickets` (with their orders and types loaded) in `layout` (LAYOUTS); an event
    without tickets gets one empty page. `compress=False` keeps the page text readable (tests)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown badge layout {layout!r}")
    use_fonts()
    out = io.BytesIO()
    pagesize = A6 if layout == A6_LAYOUT else A4
    canvas = Canvas(out, pagesize=pagesize, pageCompression=1 if compress else 0)
    canvas.setTitle(_("%(event)s: badges") % {"event": event.name})
    canvas.setAuthor("Podium")
    tickets = list(tickets)
    if layout == A6_LAYOUT:
        for ticket in tickets:
            _badge(canvas, ticket, x=0, y=0, width=A6[0], height=A6[1], qr=55 * mm, large=True)
            canvas.showPage()
    else:
        left = (A4[0] - COLUMNS * LABEL[0] - (COLUMNS - 1) * COLUMN_GAP) / 2
        bottom = (A4[1] - ROWS * LABEL[1]) / 2
        per_sheet = COLUMNS * ROWS
        for start in range(0, len(tickets), per_sheet):
            for place, ticket in enumerate(tickets[start : start + per_sheet]):
                row, column = divmod(place, COLUMNS)
                x = left + column * (LABEL[0] + COLUMN_GAP)
                y = bottom + (ROWS - 1 - row) * LABEL[1]
                _badge(canvas, ticket, x=x, y=y, width=LABEL[0], height=LABEL[1], qr=28 * mm, large=False)
            canvas.showPage()
    if not tickets:
        canvas.showPage()
    canvas.save()
    return out.getvalue()
