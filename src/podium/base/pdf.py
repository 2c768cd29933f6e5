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

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
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


def qr_code(value: str, size: float) -> Drawing:
    """A square QR code drawing of `size` points encoding `value`."""
    widget = QrCodeWidget(value)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    return drawing


def text(value) -> str:
    """Plain text for a reportlab Paragraph, which reads a little markup: `<`, `>` and `&` escaped."""
    return escape(str(value or ""))
