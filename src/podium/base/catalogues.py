"""The interface's translations: src/podium/locale/<language>/LC_MESSAGES/django.po, compiled to the
django.mo files Django reads, with polib (pure Python: no GNU gettext needed on any machine).

`make demo`, `make serve` and `make test` compile every catalogue whose .mo is missing or older than
its .po (`python -m podium.base.catalogues FILE.po …`, or with no argument every catalogue); the .mo
files are not kept in git. `problems` is what tests/base/test_catalogues.py checks in every catalogue:
each entry translated, none fuzzy, each placeholder of a msgid in its msgstr and none added.
"""

import re
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"
#: Python's %-placeholders (`%(name)s`, `%s`, also blocktranslate's) and str.format's (`{name}`, `{}`).
PLACEHOLDER = re.compile(
    r"%\((?P<named>\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]|%[sdifr]|\{(?P<brace>\w*)\}"
)


def catalogues(root: Path | None = None) -> list[Path]:
    """Every django.po under `root` (LOCALE: one per language), sorted."""
    return sorted((root or LOCALE).glob("*/LC_MESSAGES/django.po"))


def compile_catalogue(po_path: Path) -> Path:
    """Write the django.mo beside `po_path` (fuzzy entries are left out, as msgfmt does); its path."""
    catalogue = polib.pofile(str(po_path))
    mo_path = po_path.with_suffix(".mo")
    temporary = mo_path.with_name(f".{mo_path.name}.tmp")
    catalogue.save_as_mofile(str(temporary))
    temporary.replace(mo_path)  # a running server never reads half a file
    return mo_path


def placeholders(text: str) -> list[str]:
    """The placeholders in `text`, sorted (a positional one as its own text)."""
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text.replace("%%", "")))


def problems(po_path: Path) -> list[str]:
    """What keeps a catalogue from being complete and correct: entries untranslated or fuzzy, and
    msgstrs whose placeholders are not those of their msgid (a missing one loses a value, an added
    one breaks the page). Empty when it is fine."""
    found = []
    catalogue = polib.pofile(str(po_path))
    for entry in catalogue:
        if entry.obsolete:
            continue
        where = f"{po_path.parent.parent.name}: {entry.msgid[:60]!r}"
        if "fuzzy" in entry.flags:
            found.append(f"{where}: fuzzy")
        if entry.msgid_plural:
            translations = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
            if not translations or not all(translations):
                found.append(f"{where}: not translated (every plural form)")
                continue
            for index, text in enumerate(translations):
                source = entry.msgid if index == 0 else entry.msgid_plural
                if placeholders(text) != placeholders(source):
                    found.append(
                        f"{where}: form {index} has {placeholders(text)}, not {placeholders(source)}"
                    )
            continue
        if not entry.msgstr:
            found.append(f"{where}: not translated")
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            found.append(f"{where}: {placeholders(entry.msgstr)} instead of {placeholders(entry.msgid)}")
    return found


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or catalogues()
    for path in paths:
        print(f"{path} -> {compile_catalogue(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
