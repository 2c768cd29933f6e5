"""Pieces the PDF documents share (door signs and the program in interop/printing.py, tickets in
registration/pdf.py, badges in checkin/badges.py).

Text is set in DejaVu Sans (base/fonts/, embedded as a subset of the letters used), so names in Polish,
Czech, Turkish, Greek or Cyrillic print as written; the PDF standard fonts know Western European letters
only. DejaVu Sans has no Chinese, Japanese or Korean letters: `text()` sets those in one of the CJK fonts
every PDF reader knows by name (Adobe's Asian fonts, which reportlab names without embedding them; a
reader without them substitutes a system font), chosen by the value's script (kana: Japanese, Hangul:
Korean, else Chinese), so a badge or visa letter for 王小明 or 山田太郎 prints the name and not empty
boxes. Right-to-left text (Hebrew, Arabic, Persian) is put in the order it is drawn (python-bidi) with
its Arabic letters joined (arabic-reshaper: the presentation forms DejaVu Sans has), as reportlab draws
what it is given left to right. That is right for one line (names, rooms, short titles); a right-to-left
text reportlab wraps onto several lines keeps each line's words in order, but its lines come out last
first. Letters no font here has (Devanagari, Thai) still print as boxes: `unprintable()` names the words
holding them, so a page producing such a document says so. Call `use_fonts()` before drawing or
measuring text with FONT or BOLD.
"""

import functools
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
import segno

# The library's Python implementation: it mirrors brackets in right-to-left runs ("(Maryam)" after an
# Arabic name), which its newer `bidi.get_display` (0.6.12) leaves as ")Maryam(".
from bidi.algorithm import get_display
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.shapes import Path as ShapePath
from reportlab.lib import colors
from reportlab.lib.attrmap import AttrMap, AttrMapValue
from reportlab.lib.validators import isString
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

FONT = "PodiumSans"
BOLD = "PodiumSans-Bold"
_FONTS = Path(__file__).resolve().parent / "fonts"
#: The CJK fonts (reportlab's names for Adobe's Asian fonts) for letters DejaVu Sans lacks.
CHINESE, JAPANESE, KOREAN = "STSong-Light", "HeiseiKakuGo-W5", "HYGothic-Medium"
# Letters those fonts have: CJK symbols and punctuation, kana, Hangul, Han ideographs (with extension A
# and the compatibility ideographs), Hangul syllables and jamo, full- and half-width forms.
_CJK = (
    (0x1100, 0x11FF),
    (0x2E80, 0x2FDF),
    (0x3000, 0x30FF),
    (0x3130, 0x318F),
    (0x31F0, 0x31FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7AF),
    (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),
)
# Hangul: jamo, compatibility jamo, syllables.
_HANGUL = (
    frozenset(range(0x1100, 0x1200)) | frozenset(range(0x3130, 0x3190)) | frozenset(range(0xAC00, 0xD7B0))
)


@functools.cache
def use_fonts() -> None:
    """Register FONT and BOLD with reportlab (once per process; reading the files takes a few ms)."""
    pdfmetrics.registerFont(TTFont(FONT, _FONTS / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, _FONTS / "DejaVuSans-Bold.ttf"))
    # <b> in a Paragraph switches to the bold face (and a bold style stays bold); there is no italic.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)
    pdfmetrics.registerFontFamily(BOLD, normal=BOLD, bold=BOLD, italic=BOLD, boldItalic=BOLD)
    for name in (CHINESE, JAPANESE, KOREAN):
        pdfmetrics.registerFont(UnicodeCIDFont(name))


@functools.cache
def _covered() -> frozenset[int]:
    """The code points DejaVu Sans (regular and bold alike) has a letter for."""
    use_fonts()
    regular, bold = (pdfmetrics.getFont(name).face.charToGlyph for name in (FONT, BOLD))
    return frozenset(regular).intersection(bold)


def _in_cjk(code: int) -> bool:
    return any(low <= code <= high for low, high in _CJK)


def _cjk_font(value: str) -> str:
    """The CJK font for `value`'s letters DejaVu Sans lacks: Japanese when it holds kana, Korean when
    it holds Hangul, else Chinese (Han letters alone are most often a Chinese name)."""
    if any(0x3040 <= ord(char) <= 0x30FF or 0x31F0 <= ord(char) <= 0x31FF for char in value):
        return JAPANESE
    if any(ord(char) in _HANGUL for char in value):
        return KOREAN
    return CHINESE


def _visual(value: str) -> str:
    """`value` in the order its letters are drawn, left to right: right-to-left runs (Hebrew, Arabic,
    Persian) turned round and their brackets mirrored, Arabic letters in their joined forms; text
    without such letters as it is."""
    if not any(unicodedata.bidirectional(char) in ("R", "AL") for char in value):
        return value
    return get_display(arabic_reshaper.reshape(value))


def runs(value: str) -> list[tuple[str | None, str]]:
    """`value` cut into runs of (font, text): None for the letters DejaVu Sans has (and those no font
    here has), a CJK font's name for the letters it sets instead."""
    covered = _covered()
    cjk = None
    result: list[tuple[str | None, str]] = []
    for char in value:
        code = ord(char)
        font = None
        if code not in covered and _in_cjk(code):
            cjk = cjk or _cjk_font(value)
            font = cjk
        if result and result[-1][0] == font:
            result[-1] = (font, result[-1][1] + char)
        else:
            result.append((font, char))
    return result


def unprintable(value) -> list[str]:
    """The words of `value` (each once, in order) holding letters no font here has: they print as
    empty boxes (CJK letters and right-to-left text print, see the module's notes)."""
    covered = _covered()

    def missing(word: str) -> bool:
        return any(ord(char) not in covered and not _in_cjk(ord(char)) for char in _visual(word))

    return list(dict.fromkeys(word for word in str(value or "").split() if missing(word)))


def draw_string(canvas, x: float, y: float, value: str, font: str, size: float) -> None:
    """`canvas.drawString` of `value` in `font` at `size` points, its CJK letters in their font."""
    use_fonts()
    for cjk, part in runs(_visual(value)):
        canvas.setFont(cjk or font, size)
        canvas.drawString(x, y, part)
        x += pdfmetrics.stringWidth(part, cjk or font, size)


def width(value: str, font: str, size: float) -> float:
    """The width of `value` set in `font` at `size` points, its CJK letters in their font."""
    use_fonts()
    return sum(pdfmetrics.stringWidth(part, cjk or font, size) for cjk, part in runs(_visual(value)))


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
    """Plain text for a reportlab Paragraph, which reads a little markup: `<`, `>` and `&` escaped,
    right-to-left runs in drawing order, and the letters DejaVu Sans lacks that a CJK font has in
    that font."""
    return "".join(
        escape(part) if font is None else f'<font name="{font}">{escape(part)}</font>'
        for font, part in runs(_visual(str(value or "")))
    )
