"""The interface's catalogues (src/podium/locale/<language>/LC_MESSAGES/django.po): one for every
language the interface speaks besides LANGUAGE_CODE, each complete (nothing untranslated or fuzzy),
each msgstr with exactly its msgid's placeholders, and each compiling to the .mo Django reads,
without GNU gettext (podium.base.catalogues, run by `make`)."""

import gettext
import re

import polib
import pytest
from django.conf import settings

from podium.base import catalogues

CATALOGUES = catalogues.catalogues()
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'


@pytest.mark.parametrize(
    "language", [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
)
def test_every_language_of_the_interface_has_a_catalogue(language):
    path = catalogues.LOCALE / language / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: the interface offers {language} (settings.LANGUAGES)"
    assert len([entry for entry in polib.pofile(str(path)) if not entry.obsolete]) > 0, f"{path} is empty"


@pytest.mark.parametrize("path", CATALOGUES, ids=[path.parent.parent.name for path in CATALOGUES])
def test_every_catalogue_is_complete_and_keeps_its_placeholders(path):
    assert catalogues.problems(path) == []


@pytest.mark.parametrize("path", CATALOGUES, ids=[path.parent.parent.name for path in CATALOGUES])
def test_every_catalogue_compiles(path, tmp_path):
    copy = tmp_path / "django.po"
    copy.write_bytes(path.read_bytes())

    compiled = catalogues.compile_catalogue(copy)

    with compiled.open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    entry = next(entry for entry in polib.pofile(str(path)) if entry.msgstr and not entry.msgid_plural)
    assert translations.gettext(entry.msgid) == entry.msgstr


#: The words of the domain, one per language: (language, the English term, an English word that makes
#: the entry about something else, the other words an entry with the term must not use).
GLOSSARY = [
    ("de", r"\bsession types?\b", None, r"Vortragsart|Sitzungsart|Sessiontyp"),
    ("de", r"\bsessions?\b", r"\btalks?\b", r"\bVortr[aä]g(e|en|s)?\b"),
    ("de", r"\bproposals?\b", None, r"Vorschl[aä]g|\bAntr[aä]g|\bBeitr[aä]g(e|en|s)?\b"),
    ("de", r"\breleases?\b(?! *(at|this many))", None, r"\bVersion|\bRelease"),
    ("de", r"\btracks?\b", None, r"\bTracks?\b|\bSpur"),
    ("de", r"\breviewers?\b", None, r"Bewerter|Prüfer|Reviewer"),
    ("de", r"\bfeedback\b", None, r"Feedback"),
    ("fr", r"\bsession types?\b", None, r"types? de présentation|types? d’intervention"),
    ("fr", r"\bsessions?\b", r"\btalks?\b", r"\bexposés?\b|\binterventions?\b"),
    ("fr", r"\bproposals?\b", None, r"\bsoumissions?\b"),
    ("fr", r"\breleases?\b(?! *(at|this many))", None, r"\bversions?\b"),
    ("fr", r"\btracks?\b", None, r"\bparcours\b|\bfilières?\b|\btracks?\b"),
    ("fr", r"\breviewers?\b", None, r"relecteur|relectrice|examinat"),
    ("fr", r"\bfeedback\b", None, r"\bretours?\b|\bfeedback\b"),
]


def _unlike_the_glossary(path) -> list[str]:
    """The entries of a catalogue that name a term of the domain with another word than GLOSSARY's."""
    language = path.parent.parent.name
    found = []
    for entry in polib.pofile(str(path)):
        english = f"{entry.msgid} {entry.msgid_plural or ''}"
        translated = " ".join([entry.msgstr, *entry.msgstr_plural.values()])
        translated = catalogues.PLACEHOLDER.sub("", translated)
        for lang, term, unless, other in GLOSSARY:
            if lang != language or not re.search(term, english, re.IGNORECASE):
                continue
            if unless and re.search(unless, english, re.IGNORECASE):
                continue
            if word := re.search(other, translated, re.IGNORECASE):
                found.append(f"{entry.msgid[:60]!r}: {word.group(0)!r} for {term!r}")
    return found


@pytest.mark.parametrize("path", CATALOGUES, ids=[path.parent.parent.name for path in CATALOGUES])
def test_every_catalogue_names_each_term_of_the_domain_one_way(path):
    assert _unlike_the_glossary(path) == []


# --- The checks and the compiler themselves, on small catalogues ----------------------------------


def _catalogue(tmp_path, body: str):
    path = tmp_path / "xx" / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_a_complete_catalogue_has_no_problems_and_compiles(tmp_path):
    path = _catalogue(
        tmp_path,
        'msgid "Log in"\nmsgstr "Anmelden"\n\n'
        'msgid "%(title)s moved to %(room)s"\nmsgstr "%(title)s ist jetzt in %(room)s"\n\n'
        'msgid "{name} joined"\nmsgstr "{name} ist dabei"\n\n'
        'msgid "100%% sure"\nmsgstr "100%% sicher"\n\n'
        'msgid "%(count)s talk"\nmsgid_plural "%(count)s talks"\nmsgstr[0] "%(count)s Vortrag"\n'
        'msgstr[1] "%(count)s Vorträge"\n',
    )

    assert catalogues.problems(path) == []
    assert catalogues.catalogues(tmp_path) == [path]
    with catalogues.compile_catalogue(path).open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.gettext("Log in") == "Anmelden"
    assert translations.ngettext("%(count)s talk", "%(count)s talks", 3) == "%(count)s Vorträge"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('msgid "Log in"\nmsgstr ""\n', "not translated"),
        ('#, fuzzy\nmsgid "Log in"\nmsgstr "Anmelden"\n', "fuzzy"),
        ('msgid "%(title)s moved"\nmsgstr "verschoben"\n', "instead of ['%(title)s']"),
        ('msgid "%(title)s moved"\nmsgstr "%(titel)s verschoben"\n', "instead of ['%(title)s']"),
        ('msgid "Moved"\nmsgstr "%(title)s verschoben"\n', "instead of []"),
        ('msgid "{name} joined"\nmsgstr "{nom} ist dabei"\n', "instead of ['{name}']"),
        (
            'msgid "%(n)s talk"\nmsgid_plural "%(n)s talks"\nmsgstr[0] "Vortrag"\nmsgstr[1] "%(n)s Vorträge"\n',
            "form 0",
        ),
        (
            'msgid "%(n)s talk"\nmsgid_plural "%(n)s talks"\nmsgstr[0] "%(n)s Vortrag"\nmsgstr[1] ""\n',
            "every plural",
        ),
    ],
)
def test_the_problems_a_catalogue_can_have(tmp_path, body, problem):
    found = catalogues.problems(_catalogue(tmp_path, body))

    assert len(found) == 1
    assert problem in found[0]


def test_the_command_compiles_the_files_it_is_given(tmp_path, capsys):
    path = _catalogue(tmp_path, 'msgid "Log in"\nmsgstr "Anmelden"\n')

    assert catalogues.main([str(path)]) == 0

    assert path.with_suffix(".mo").exists()
    assert "django.mo" in capsys.readouterr().out
