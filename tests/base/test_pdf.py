"""Pieces the PDF documents share."""

from reportlab.graphics.barcode.qr import QrCodeWidget

from podium.base.pdf import qr_code, text


def test_qr_code_encodes_the_value_in_a_square():
    drawing = qr_code("https://program.example.org/x", size=100)

    (widget,) = drawing.contents
    assert isinstance(widget, QrCodeWidget)
    assert widget.value == "https://program.example.org/x"
    assert (drawing.width, drawing.height) == (100, 100)


def test_text_escapes_the_markup_a_paragraph_reads():
    assert text('Q&A <b>"panic"</b>') == 'Q&amp;A &lt;b&gt;"panic"&lt;/b&gt;'
    assert text(None) == ""
