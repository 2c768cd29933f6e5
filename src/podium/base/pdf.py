"""Pieces the PDF documents share (door signs and the program in interop/printing.py, tickets in
registration/pdf.py)."""

from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing


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
