"""Pieces the PDF documents share."""

import io

import segno
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from podium.base.pdf import BOLD, FONT, qr_code, text, unprintable, use_fonts, width
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


def test_chinese_japanese_and_korean_letters_are_set_in_a_cjk_font_not_as_empty_boxes():
    """DejaVu Sans has none of them: each run of such letters is set in the CJK font of the value's
    script, the rest in the embedded font; a reader's copy and paste gives the name back."""
    names = ["王小明", "山田 太郎 (やまだ)", "김민준", "Zoë 李 & <Wang>"]
    use_fonts()
    out = io.BytesIO()
    style = ParagraphStyle("name", fontName=FONT, fontSize=12)
    SimpleDocTemplate(out).build([Paragraph(text(name), style) for name in names])

    document = out.getvalue()
    assert [line.replace(" ", "") for line in pdf_text(document).splitlines()] == [
        name.replace(" ", "") for name in names
    ]
    assert {"DejaVuSans", "STSong-Light", "HeiseiKakuGo-W5", "HYGothic-Medium"} <= fonts(document)
    # Han letters alone are taken for Chinese; with kana, Japanese.
    assert text("山田 太郎") == '<font name="STSong-Light">山田</font> <font name="STSong-Light">太郎</font>'
    assert (
        text("山田 やまだ")
        == '<font name="HeiseiKakuGo-W5">山田</font> <font name="HeiseiKakuGo-W5">やまだ</font>'
    )
    assert text("<王>") == '&lt;<font name="STSong-Light">王</font>&gt;'
    assert text("ㅎㅎ") == '<font name="HYGothic-Medium">ㅎㅎ</font>'  # Hangul compatibility jamo


def test_words_no_font_here_prints_as_written_are_named():
    assert unprintable("Ana नमस्ते Ana नमस्ते") == ["नमस्ते"]  # each word once
    assert unprintable("ไทย Somchai") == ["ไทย"]
    assert unprintable("דוד Cohen, سارة, مریم") == []  # right to left: drawn in order, joined
    assert unprintable("王小明 Zoë Łukasz Юлия Αθηνά") == []
    assert unprintable(None) == unprintable(" \n") == []


def test_a_cjk_name_is_as_wide_as_its_cjk_letters():
    assert width("王小明", BOLD, 10) == 30  # a CJK letter is one em
    assert width("Ana 王", BOLD, 10) == width("Ana ", BOLD, 10) + 10


def test_right_to_left_names_are_drawn_in_order_with_arabic_letters_joined():
    """reportlab draws left to right what it is given: an Arabic name came out unjoined and backwards. The letters are given in drawing order, Arabic ones in their joined forms."""
    assert text("سارة Haddad") == "Haddad ﺓﺭﺎﺳ"
    assert text("דוד כהן") == "ןהכ דוד"
    assert text("مریم (Maryam)") == "(Maryam) ﻢﯾﺮﻣ"  # Persian; the brackets stay around the name
    assert text("<سارة>") == "&lt;ﺓﺭﺎﺳ&gt;"  # escaped after reordering: the markup stays whole
    assert width("سارة", BOLD, 10) == width("ﺓﺭﺎﺳ", BOLD, 10)

    use_fonts()
    out = io.BytesIO()
    SimpleDocTemplate(out).build([Paragraph(text("سارة"), ParagraphStyle("name", fontName=BOLD))])
    drawn = pdf_text(out.getvalue()).strip()
    assert set(drawn) == set("ﺓﺭﺎﺳ")  # the joined forms (a reader may give them back in either order)
    assert "\ufffd" not in drawn
