"""Pieces the PDF documents share."""

import io
import unicodedata

import segno
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from podium.base.pdf import BOLD, FONT, Text, qr_code, text, unprintable, use_fonts, width
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


def _lines_drawn(flowable, room: float) -> list[list[str]]:
    """The words of each line of text `flowable` draws in a frame `room` points wide, top line first,
    right-to-left words in reading order (a reader may give their letters back in either order)."""
    use_fonts()
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=(room + 200, 800), leftMargin=94, rightMargin=94)
    document.build([flowable])  # the frame's own padding is 6 points on each side
    lines = [line.split() for line in pdf_text(out.getvalue()).splitlines() if line.strip()]
    return [[_read(word) for word in line] for line in lines]


def _read(word: str) -> str:
    right_to_left = any(unicodedata.bidirectional(char) == "R" for char in word)
    return word[::-1] if right_to_left and word[::-1] in HEBREW else word


HEBREW = {"אחת", "שתיים", "שלוש", "ארבע", "חמש", "שש", "שבע", "שמונה", "שרה", "כהן"}


def test_a_right_to_left_text_over_several_lines_reads_from_the_top_line_down():
    """A Hebrew title broken over lines by reportlab came out with its last words on the top line: it
    turned the whole title round, then filled lines from the left. Text breaks it in reading order."""
    words = ["אחת", "שתיים", "שלוש", "ארבע", "חמש", "שש", "שבע", "שמונה"]
    style = ParagraphStyle("title", fontName=FONT, fontSize=12, leading=15)
    room = width(" ".join(words[:3]), FONT, 12) + 14

    lines = _lines_drawn(Text(" ".join(words), style), room)

    assert [sorted(line) for line in lines] == [sorted(words[:3]), sorted(words[3:6]), sorted(words[6:])]


def test_a_right_to_left_name_broken_inside_a_sentence_keeps_its_first_word_first():
    style = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    room = width("Invited: שרה", FONT, 10) + 13

    lines = _lines_drawn(Text("Invited: שרה כהן to speak", style), room)

    assert lines[0] == ["Invited:", "שרה"]
    assert "".join(lines[1]).startswith("כהן")  # (the reader runs "כהן to" together)


def test_a_text_reading_right_to_left_is_set_flush_right_and_others_as_their_style_says():
    style = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    hebrew, english = Text("שלום עולם", style), Text("Hello שלום", style)
    for paragraph in (hebrew, english):
        paragraph.wrap(200, 100)

    assert hebrew.style.alignment == TA_RIGHT
    assert english.style.alignment == TA_LEFT
    assert Text("Hello", style, bold=True).text == "<b>Hello</b>"
