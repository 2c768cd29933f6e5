"""Pieces the PDF documents share."""

import io

import segno
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from podium.base.pdf import BOLD, FONT, qr_code, text, use_fonts
from tests.pdf import fonts, pdf_text, qr_modules


def test_qr_code_encodes_the_value_in_a_square_with_its_quiet_zone():
    drawing = qr_code("https://program.example.org/x", size=100)

    assert drawing.value == "https://program.example.org/x"
    assert (drawing.width, drawing.height) == (100, 100)
    grid = qr_modules(drawing)
    expected = segno.make("https://program.example.org/x", error="m", micro=False)
    assert len(grid) == expected.symbol_size(scale=1, border=4)[0]
    assert grid == [[bool(dark) for dark in row] for row in expected.matrix_iter(border=4)]
    assert not any(grid[0])
    assert not any(row[0] for row in grid)
    # Three finder patterns: the top-left one starts after the quiet zone.
    assert grid[4][4:11] == [True] * 7
    assert grid[5][4:11] == [True] + [False] * 5 + [True]


def test_qr_code_of_a_ticket_token_has_error_correction_m_at_least():
    token = "T" * 120  # a signed ticket token is about this long
    drawing = qr_code(token, size=170)

    symbol = segno.make(token, error="m", micro=False)
    assert symbol.error in {"M", "Q", "H"}  # M at least: a phone over a crumpled ticket still reads it
    assert len(qr_modules(drawing)) == symbol.symbol_size(scale=1, border=4)[0]


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
