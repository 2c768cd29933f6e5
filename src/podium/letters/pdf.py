"""An approved invitation letter as a one-page PDF on the event's letterhead: addressed "To whom it
may concern", the person as in their passport, the event and its dates, the travel dates, who pays,
the approver's signature line, and the verification code with its address (text and QR code). Set
in the fonts of base/pdf.py, so names in any European script print as written."""

import io

from django.conf import settings
from django.urls import reverse
from django.utils import dateformat
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from podium.base.pdf import BOLD, FONT, Text, qr_code, unprintable, use_fonts
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
    return dateformat.format(day, "d F Y")


def event_dates(event) -> str:
    if event.date_from == event.date_to:
        return _day(event.date_from)
    return _("%(first_day)s to %(last_day)s") % {
        "first_day": _day(event.date_from),
        "last_day": _day(event.date_to),
    }


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
    values = {"organiser": organiser, "event": event.name, "dates": event_dates(event)}
    if letter.role == LetterRole.SPEAKER:
        invited = _(
            "%(organiser)s, the organiser of %(event)s, confirms that the following person is invited "
            "to speak at %(event)s, held from %(dates)s:"
        )
    else:
        invited = _(
            "%(organiser)s, the organiser of %(event)s, confirms that the following person is invited "
            "to attend %(event)s, held from %(dates)s:"
        )
    details = [
        (_("Name (as in passport)"), letter.passport_name),
        (_("Nationality"), letter.nationality or "—"),
        (_("Passport number"), letter.passport_number or "—"),
        (_("Date of birth"), _day(letter.date_of_birth) if letter.date_of_birth else "—"),
    ]
    person = Table(
        [
            [
                Text(label, STYLES["body"]),
                Text(value, STYLES["body"], bold=True),
            ]
            for label, value in details
        ],
        colWidths=[5 * cm, 11 * cm],
    )
    person.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    decided = letter.decided_at or letter.updated_at
    story = [
        Text(event.name, STYLES["head"]),
        Text(
            _("%(dates)s · organised by %(organiser)s")
            % {"dates": event_dates(event), "organiser": organiser},
            STYLES["sub"],
        ),
        Spacer(1, 0.2 * cm),
        HRFlowable(width="100%", thickness=0.75, color=colors.HexColor("#888888")),
        Spacer(1, 0.6 * cm),
        Text(_day(decided), STYLES["body"]),
        Text(_("To whom it may concern,"), STYLES["body"]),
        Text(invited % values, STYLES["body"]),
        person,
        Spacer(1, 0.2 * cm),
        Text(
            _("They intend to arrive on %(arrival)s and to leave on %(departure)s.")
            % {"arrival": _day(letter.arrival), "departure": _day(letter.departure)},
            STYLES["body"],
        ),
        Text(
            _(
                "The organisers do not pay for travel, accommodation or other costs of the visit unless "
                "stated otherwise in writing. This letter does not oblige %(organiser)s to provide any "
                "financial support."
            )
            % {"organiser": organiser},
            STYLES["body"],
        ),
        Spacer(1, 1.2 * cm),
        Paragraph("_______________________________", STYLES["body"]),
        Text(letter.approver_name or organiser, STYLES["body"], bold=True),
        Text(_("for %(organiser)s, %(event)s") % values, STYLES["sub"]),
        Spacer(1, 1 * cm),
    ]
    check = [
        Text(_("Verification"), STYLES["small"], bold=True),
        Text(_("Code: %(code)s") % {"code": letter.verification_code}, STYLES["small"]),
        Text(
            _("Check this letter at %(address)s with the code above, or scan the QR code.")
            % {"address": verify_url(letter, with_code=False)},
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
        title=_("%(event)s: invitation letter") % {"event": event.name},
        author=organiser,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.5 * cm,
        pageCompression=1 if compress else 0,
    )
    doc.build(story)
    return out.getvalue()


def unprintable_words(letter: LetterRequest) -> list[str]:
    """The words of what the PDF prints about the person and the organiser (their names, nationality,
    passport number, the event's name) that it cannot print as written (base.pdf `unprintable`)."""
    event = letter.event
    printed = (
        letter.passport_name,
        letter.nationality,
        letter.passport_number,
        letter.approver_name,
        event.name,
        event.organiser.name,
    )
    return unprintable(" ".join(value or "" for value in printed))


def filename(letter: LetterRequest) -> str:
    return f"invitation-letter-{letter.event.slug}-{letter.pk}.pdf"
