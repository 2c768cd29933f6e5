"""Pieces the PDF documents share."""

import io

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from podium.base.pdf import BOLD, FONT, qr_code, text, use_fonts
from tests.pdf import fonts, pdf_text


def test_qr_code_encodes_the_value_in_a_square():
    drawing = qr_code("https://program.example.org/x", size=100)

    (widget,) = drawing.contents
    assert isinstance(widget, QrCodeWidget)
    assert widget.value == "https://program.example.org/x"
    assert (drawing.width, drawing.height) == (100, 100)


def test_text_escapes_the_markup_a_paragraph_reads():
    assert text('Q&A <b>"panic"</b>') == 'Q&amp;A &lt;b&gt;"panic"&lt;/b&gt;'
    assert text(None) == ""


def test_names_in_any_european_script_print_as_written_in_the_embedded_font():
    names = ["Łukasz Dvořák", "Şule Öztürk", "Αθηνά Παπαδοπούλου", "Юлия Ковалёва", "Siobhán O'Brien"]
    use_fonts()
    out = io.BytesIO()
    style = ParagraphStyle("name", fontName=FONT, fontSize=12)
    story = [Paragraph(text(name), style) for name in names]
    story.append(Paragraph(f"<b>{text(names[0])}</b>", style))
    SimpleDocTemplate(out).build(story)

    document = out.getvalue()
    assert pdf_text(document).splitlines() == [*names, names[0]]
    # <b> switches to the bold face; reportlab lists Helvetica as its page's starting font, unused.
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= fonts(document)
    assert BOLD != FONT
