"""Pieces the PDF documents share (door signs and the program in interop/printing.py, tickets in
registration/pdf.py, badges in checkin/badges.py).

Text is set in DejaVu Sans (base/fonts/, embedded as a subset of the letters used), so names in Polish,
Czech, Turkish, Greek or Cyrillic print as written; the PDF standard fonts know Western European letters
only. Letters DejaVu Sans lacks (Chinese, Japanese, Korean) print as empty boxes. Call `use_fonts()`
before drawing or measuring text with FONT or BOLD.
"""

import functools
from pathlib import Path
from xml.sax.saxutils import escape

import segno
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.shapes import Path as ShapePath
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isString
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "PodiumSans"
BOLD = "PodiumSans-Bold"
_FONTS = Path(__file__).resolve().parent / "fonts"


@functools.cache
def use_fonts() -> None:
    """Register FONT and BOLD with reportlab (once per process; reading the files takes a few ms)."""
    pdfmetrics.registerFont(TTFont(FONT, _FONTS / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, _FONTS / "DejaVuSans-Bold.ttf"))
    # <b> in a Paragraph switches to the bold face (and a bold style stays bold); there is no italic.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    pdfmetrics.registerFontFamily(BOLD, normal=BOLD, bold=BOLD, italic=BOLD, boldItalic=BOLD)


# The quiet zone around a QR code, in modules (ISO/IEC 18004 asks for 4).
QUIET_ZONE = 4


class QrCode(Drawing):
    """A QR code drawing; `value` is what it encodes."""

    _attrMap = AttrMap(BASE=Drawing, value=AttrMapValue(isString, desc="the encoded text"))  # noqa: N815 (reportlab's name)


def qr_code(value: str, size: float) -> QrCode:
    """A square QR code drawing of `size` points encoding `value`, its quiet zone included: error
    correction M at least (a higher level when it fits in the same size), each row's run of dark modules
    one rectangle of a single path. Encoded by segno in about a millisecond (reportlab's own encoder took about 100)."""
    rows = [list(row) for row in segno.make(value, error="m", micro=False).matrix_iter(border=QUIET_ZONE)]
    module = size / len(rows)
    dark = ShapePath(fillColor=colors.black, strokeColor=None, strokeWidth=0)  # one shape: quick to draw
    for y, row in enumerate(rows):
        top, bottom = size - y * module, size - (y + 1) * module
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            dark.moveTo(start * module, bottom)
            dark.lineTo(x * module, bottom)
            dark.lineTo(x * module, top)
            dark.lineTo(start * module, top)
            dark.closePath()
    drawing = QrCode(size, size, dark)
    drawing.value = value
    return drawing


def text(value) -> str:
    """Plain text for a reportlab Paragraph, which reads a little markup: `<`, `>` and `&` escaped."""
    return escape(str(value or ""))
