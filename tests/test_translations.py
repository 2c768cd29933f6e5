"""Every word a visitor reads in a template is marked for translation, and the catalogues translate them.

Each template is read as Django's lexer sees it: text inside `{% translate %}`/`{% blocktranslate %}`,
comments, variables and tags is set aside, and what is left is read as HTML. Any word left in the
text of an element or in an attribute a person reads (title, alt, placeholder, aria-label, a button's
value, a `data-…` text the page's script shows) is a word a German or French visitor would see in
English. Plain-text templates (`.txt`, mail) are read the same way without the HTML.
In Python, a translation call inside an f-string is refused: the extractor does not read it, so its
words would stay English in every language.

Run one part while marking: `pytest tests/test_translations.py -k orga/schedule`.
"""

import io
import re
import tokenize
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

import podium

SOURCE = Path(podium.__file__).resolve().parent
TEMPLATES = sorted(
    path
    for path in SOURCE.glob("*/templates/**/*")
    if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".svg"} and "admin" not in path.parts
)
#: Stands for whatever Django fills in (a variable, a tag, translated text).
HOLE = "\x00"
WORD = re.compile(r"[^\W\d_]{2,}")
READ_ATTRIBUTES = {
    "title",
    "alt",
    "placeholder",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "label",
}
BUTTON_TYPES = {"submit", "button", "reset"}
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp"}
#: Words that are the same in every language the interface speaks (names and formats, not prose).
SAME_IN_EVERY_LANGUAGE = {
    "Podium",
    "iCal",
    "ICS",
    "CSV",
    "JSON",
    "XML",
    "PDF",
    "API",
    "QR",
    "frab",
    "Markdown",
    "HTML",
    "URL",
    "SSE",
    "ID",
    "OK",
    "E-mail",
    "vCard",
    "YAML",
    "Prometheus",
}
TEXT_SUFFIXES = {".txt"}


def _fill_holes(source: str) -> str:
    """The template with everything Django fills in (and all translated text) replaced by HOLE."""
    parts: list[str] = []
    skip_until: str | None = None
    for token in Lexer(source).tokenize():
        if skip_until is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == skip_until:
                skip_until = None
            continue
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name in {"blocktranslate", "blocktrans"}:
                skip_until = "endblocktranslate" if name == "blocktranslate" else "endblocktrans"
            elif name == "comment":
                skip_until = "endcomment"
        parts.append(HOLE)
    return "".join(parts)


def _words(text: str) -> list[str]:
    return [word for word in WORD.findall(text.replace(HOLE, " ")) if word not in SAME_IN_EVERY_LANGUAGE]


class _Reader(HTMLParser):
    """Collects "line N: text" for every untranslated word a person would read."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.skipping: list[str] = []

    def _report(self, what: str, text: str) -> None:
        if _words(text):
            shown = " ".join(text.replace(HOLE, "…").split())
            self.found.append(f"line {self.getpos()[0]}: {what} {shown!r}")

    def handle_starttag(self, tag, attrs):
        values = {name: (value or "") for name, value in attrs}
        for name, value in values.items():
            if name in READ_ATTRIBUTES:
                self._report(f"<{tag} {name}>", value)
            elif name == "value" and tag == "input" and values.get("type", "") in BUTTON_TYPES:
                self._report(f"<{tag} value>", value)
            elif name.startswith("data-") and len(_words(value)) >= 2 and " " in value.strip():
                self._report(f"<{tag} {name}>", value)
        if tag in SKIPPED_ELEMENTS:
            self.skipping.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self._report("text", data)


def untranslated(path: Path) -> list[str]:
    """What in the template at `path` a person would read in English whatever their language."""
    filled = _fill_holes(path.read_text(encoding="utf-8"))
    if path.suffix in TEXT_SUFFIXES:
        return [
            f"line {number}: text {' '.join(line.replace(HOLE, '…').split())!r}"
            for number, line in enumerate(filled.splitlines(), start=1)
            if _words(line)
        ]
    reader = _Reader()
    reader.feed(filled)
    reader.close()
    return reader.found


@pytest.mark.parametrize("path", TEMPLATES, ids=[str(path.relative_to(SOURCE)) for path in TEMPLATES])
def test_every_visible_word_is_marked_for_translation(path):
    assert untranslated(path) == []


def test_the_reader_finds_unmarked_text_and_passes_marked_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "{% load i18n %}<h1>{% translate 'Schedule' %}</h1>"
        '<a href="{% url "x" %}" title="Open it">{{ talk.title }}</a>'
        "{% blocktranslate with n=count %}{{ n }} talks left{% endblocktranslate %}"
        "{# a note #}{% comment %}Not shown{% endcomment %}<p>Room · {{ room }}</p>"
        '<input type="submit" value="Save"><script src="x.js"></script><code>make demo</code>'
        '<img alt="{% translate "Logo" %}" src="{{ logo }}"> — 12:00 CSV'
    )

    found = untranslated(page)

    assert found == [
        "line 1: <a title> 'Open it'",
        "line 1: text 'Room · …'",
        "line 1: <input value> 'Save'",
    ]
    mail = tmp_path / "mail.txt"
    mail.write_text("{% load i18n %}{% translate 'Hello' %} {{ name }},\n\nYour talk was accepted.\n")
    assert untranslated(mail) == ["line 3: text 'Your talk was accepted.'"]


# --- Python: words the extractor cannot see ----------------------------------------------------------

#: A translation call inside an f-string: makemessages (xgettext) does not read into f-strings, so its
#: words never reach the catalogues and print in English in every language.
CALL_IN_FSTRING = re.compile(r"\b(?:_|gettext|gettext_lazy|pgettext|pgettext_lazy|ngettext|npgettext)\(")


def calls_in_fstrings(source: str) -> list[int]:
    """The lines of `source` where an f-string holds a translation call."""
    lines = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        prefix = (
            re.match(r"[A-Za-z]*", token.string).group(0).lower() if token.type == tokenize.STRING else ""
        )
        if "f" in prefix and CALL_IN_FSTRING.search(token.string):
            lines.append(token.start[0])
    return lines


def test_the_fstring_reader_finds_a_call_the_extractor_misses():
    source = (
        "a = f\"{help} {gettext('Needed to go on.')}\"\n"
        "b = f\"{_('Verification')}\"\n"
        'c = _("fine") + f"{value}"\n'
        "d = \"gettext('not code')\"\n"
    )
    assert calls_in_fstrings(source) == [1, 2]


def test_no_translation_call_hides_in_an_fstring():
    found = [
        f"{path.relative_to(SOURCE)}:{line}"
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        for line in calls_in_fstrings(path.read_text())
    ]
    assert found == []
