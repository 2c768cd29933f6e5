"""An approved invitation letter as a one-page PDF on the event's letterhead: addressed "To whom it
may concern", the person as in their passport, the event and its dates, the travel dates, who pays,
the approver's signature line, and the verification code with its address (text and QR code). Set
in the fonts of base/pdf.py, so names in any European script print as written."""

import io

from django.conf import settings
from django.urls import reverse
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from podium.base.pdf import BOLD, FONT, qr_code, use_fonts
from podium.base.pdf import text as pdf_text
from podium.letters.models import LetterRequest, LetterRole

QR_SIZE = 3.2 * cm
_BASE = ParagraphStyle("base", fontName=FONT, fontSize=11, leading=15)
STYLES = {
    "head": ParagraphStyle("head", _BASE, fontName=BOLD, fontSize=18, leading=22),
    "sub": ParagraphStyle("sub", _BASE, fontSize=10, leading=13, textColor=colors.HexColor("#444444")),
    "body": ParagraphStyle("body", _BASE, spaceAfter=8),
    "small": ParagraphStyle("small", _BASE, fontSize=8.5, leading=11, textColor=colors.HexColor("#555555")),
}


def _day(day) -> str:
    return f"{day:%d %B %Y}"


def event_dates(event) -> str:
    if event.date_from == event.date_to:
        return _day(event.date_from)
    return f"{_day(event.date_from)} to {_day(event.date_to)}"


def verify_url(letter: LetterRequest, *, with_code: bool = True) -> str:
    """The public page that checks the letter (with its code), or the form that asks for a code."""
    if with_code:
        path = reverse(
            "site:letter_verified",
            kwargs={"event": letter.event.slug, "verification": letter.verification_code},
        )
    else:
        path = reverse("site:letter_verify", kwargs={"event": letter.event.slug})
    return f"{settings.BASE_URL}{path}"


def letter_pdf(letter: LetterRequest, *, compress: bool = True) -> bytes:
    """The letter's PDF; `compress=False` keeps the page text readable (tests)."""
    use_fonts()
    event = letter.event
    organiser = event.organiser.name
    purpose = "to speak at" if letter.role == LetterRole.SPEAKER else "to attend"
    details = [
        ("Name (as in passport)", letter.passport_name),
        ("Nationality", letter.nationality or "—"),
        ("Passport number", letter.passport_number or "—"),
        ("Date of birth", _day(letter.date_of_birth) if letter.date_of_birth else "—"),
    ]
    person = Table(
        [
            [
                Paragraph(pdf_text(label), STYLES["body"]),
                Paragraph(f"<b>{pdf_text(value)}</b>", STYLES["body"]),
            ]
            for label, value in details
        ],
        colWidths=[5 * cm, 11 * cm],
    )
    person.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    decided = letter.decided_at or letter.updated_at
    story = [
        Paragraph(pdf_text(event.name), STYLES["head"]),
        Paragraph(pdf_text(f"{event_dates(event)} · organised by {organiser}"), STYLES["sub"]),
        Spacer(1, 0.2 * cm),
        HRFlowable(width="100%", thickness=0.75, color=colors.HexColor("#888888")),
        Spacer(1, 0.6 * cm),
        Paragraph(pdf_text(_day(decided)), STYLES["body"]),
        Paragraph("To whom it may concern,", STYLES["body"]),
        Paragraph(
            pdf_text(
                f"{organiser}, the organiser of {event.name}, confirms that the following person is invited {purpose} {event.name}, held from {event_dates(event)}:"
            ),
            STYLES["body"],
        ),
        person,
        Spacer(1, 0.2 * cm),
        Paragraph(
            pdf_text(
                f"They intend to arrive on {_day(letter.arrival)} and to leave on {_day(letter.departure)}."
            ),
            STYLES["body"],
        ),
        Paragraph(
            pdf_text(
                f"The organisers do not pay for travel, accommodation or other costs of the visit unless "
                f"stated otherwise in writing. This letter does not oblige {organiser} to provide any "
                "financial support."
            ),
            STYLES["body"],
        ),
        Spacer(1, 1.2 * cm),
        Paragraph("_______________________________", STYLES["body"]),
        Paragraph(f"<b>{pdf_text(letter.approver_name or organiser)}</b>", STYLES["body"]),
        Paragraph(pdf_text(f"for {organiser}, {event.name}"), STYLES["sub"]),
        Spacer(1, 1 * cm),
    ]
    check = [
        Paragraph("<b>Verification</b>", STYLES["small"]),
        Paragraph(pdf_text(f"Code: {letter.verification_code}"), STYLES["small"]),
        Paragraph(
            pdf_text(
                f"Check this letter at {verify_url(letter, with_code=False)} with the code above, or scan the QR code."
            ),
            STYLES["small"],
        ),
    ]
    footer = Table(
        [[check, qr_code(verify_url(letter), QR_SIZE)]],
        colWidths=[A4[0] - 4 * cm - QR_SIZE - 0.4 * cm, QR_SIZE + 0.4 * cm],
    )
    footer.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888"))]
        )
    )
    story.append(footer)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        title=f"{event.name}: invitation letter",
        author=organiser,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.5 * cm,
        pageCompression=1 if compress else 0,
    )
    doc.build(story)
    return out.getvalue()


def filename(letter: LetterRequest) -> str:
    return f"invitation-letter-{letter.event.slug}-{letter.pk}.pdf"
