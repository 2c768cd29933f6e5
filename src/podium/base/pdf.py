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
what it is given left to right. That is right for one line; a value that may wrap onto several lines is
a `Text`, which breaks it into lines in reading order before putting each line in drawing order (else the
lines of a right-to-left title would come out last first). Letters no font here has (Devanagari,
Thai) still print as boxes: `unprintable()` names the words holding them, so a page producing such a
document says so. Call `use_fonts()` before drawing or measuring text with FONT or BOLD.
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
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.validators import isString
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

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


def _has_right_to_left(value: str) -> bool:
    """Whether `value` holds a Hebrew or Arabic (or Persian) letter."""
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in value)


def _visual(value: str, right_to_left: bool | None = None) -> str:
    """`value` in the order its letters are drawn, left to right: right-to-left runs (Hebrew, Arabic,
    Persian) turned round and their brackets mirrored, Arabic letters in their joined forms; text
    without such letters as it is. The direction of the whole is `right_to_left`, else its first strong
    letter's."""
    if not _has_right_to_left(value):
        return value
    base = None if right_to_left is None else ("R" if right_to_left else "L")
    return get_display(arabic_reshaper.reshape(value), base_dir=base)


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


def text(value, *, right_to_left: bool | None = None) -> str:
    """Plain text for a reportlab Paragraph, which reads a little markup: `<`, `>` and `&` escaped,
    right-to-left runs in drawing order (for one line: a value that may wrap is a `Text`), and the
    letters DejaVu Sans lacks that a CJK font has in that font."""
    return "".join(
        escape(part) if font is None else f'<font name="{font}">{escape(part)}</font>'
        for font, part in runs(_visual(str(value or ""), right_to_left))
    )


def _right_to_left(value: str) -> bool:
    """Whether `value` reads right to left as a whole: its first strong letter is Hebrew or Arabic (the
    rule a browser applies to `dir="auto"`)."""
    for char in value:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


class Text(Paragraph):
    """A paragraph of a plain value (a name, a title, a sentence holding them), not markup: `text()` of
    it, in `style`, bold with `bold`.

    A value with right-to-left letters is broken into lines here, in reading order, when the paragraph
    learns its width, and each line is then put in drawing order on its own, with the direction of the
    whole value: a Hebrew title over three lines reads from the top line down, and a Hebrew name inside
    an English sentence keeps its first word first where the line breaks inside it. Such a value that
    reads right to left as a whole is set flush right where the style sets it flush left. Other values
    are a plain Paragraph, wrapped by reportlab."""

    def __init__(self, value, style, *, bold: bool = False):
        self.value = str(value or "")
        self.bold = bold
        self.base_style = style
        super().__init__(self._markup([self.value], None), style)

    def _markup(self, lines: list[str], right_to_left: bool | None) -> str:
        joined = "<br/>".join(text(line, right_to_left=right_to_left) for line in lines)
        return f"<b>{joined}</b>" if self.bold else joined

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        if _has_right_to_left(self.value):
            style = self.base_style
            right_to_left = _right_to_left(self.value)
            if right_to_left and style.alignment == TA_LEFT:
                style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
            room = availWidth - style.leftIndent - style.rightIndent
            lines = _lines(self.value, BOLD if self.bold else style.fontName, style.fontSize, room)
            Paragraph.__init__(self, self._markup(lines, right_to_left), style)
        return super().wrap(availWidth, availHeight)


def _lines(value: str, font: str, size: float, room: float) -> list[str]:
    """`value` broken into lines of at most `room` points at spaces, in reading order (a word longer
    than a line keeps a line of its own)."""
    lines: list[str] = []
    for paragraph in value.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if line and width(candidate, font, size) > room:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines
