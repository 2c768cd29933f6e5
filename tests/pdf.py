"""Reading back the PDFs Podium makes: the text is set in an embedded subset font, so its strings are
glyph numbers; pypdf reads them back through the font's Unicode map, as a reader's copy and paste does."""

import io
import re

from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """The text drawn on every page, page after page, one line of text per line."""
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def media_boxes(content: bytes) -> list[tuple[float, float]]:
    """The (width, height) of every page, from its /MediaBox."""
    reader = PdfReader(io.BytesIO(content))
    return [(round(float(page.mediabox.width)), round(float(page.mediabox.height))) for page in reader.pages]


def page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def fonts(content: bytes) -> set[str]:
    """The base names of the fonts the document uses (a subset's name without its six-letter tag)."""
    return {
        re.sub(r"^[A-Z]{6}\+", "", name.decode()) for name in re.findall(rb"/BaseFont /([^\s/>]+)", content)
    }


def qr_modules(drawing) -> list[list[bool]]:
    """The modules of a QR code drawing of base/pdf.py (`qr_code`), quiet zone included, top row
    first: each dark run of a row is a rectangle of its one path, read back from the path's points."""
    (path,) = drawing.contents
    points = list(zip(path.points[::2], path.points[1::2], strict=True))
    rectangles = [points[n : n + 4] for n in range(0, len(points), 4)]  # moveTo and three lineTo each
    module = rectangles[0][2][1] - rectangles[0][0][1]
    size = round(drawing.height / module)
    grid = [[False] * size for _ in range(size)]
    for (left, bottom), (right, _), _, _ in rectangles:
        row = size - 1 - round(bottom / module)
        for column in range(round(left / module), round(right / module)):
            grid[row][column] = True
    return grid
