"""The words of the page scripts as JSON data blocks (podium.base.scripts), and the checks every
script's texts share: the keys a script reads are the keys its page gives it, and the script's
built-in English (for pages rendered without the data) is the server's English word for word."""

import json
import re
from pathlib import Path

from django.utils.translation import gettext_lazy, ngettext

import podium
from podium.base.scripts import messages_block, plural_forms

SOURCE = Path(podium.__file__).resolve().parent


def script_source(name: str) -> str:
    (path,) = SOURCE.glob(f"*/static/podium/{name}.js")
    return path.read_text()


def keys_read(source: str) -> set[str]:
    """The texts a script reads (`TEXT.<key>`)."""
    return set(re.findall(r"\bTEXT\.(\w+)", source))


def keys_built_in(source: str) -> set[str]:
    """The keys of the script's English `const TEXT = {…};` or, read with the shared reader (messages.js),
    `const TEXT = window.podiumMessages("<name>", {…});` (its top level)."""
    block = re.search(
        r'^(\s*)const TEXT = (?:window\.podiumMessages\("[\w-]+", )?\{(.*?)^\1\}\)?;',
        source,
        re.DOTALL | re.MULTILINE,
    )
    assert block, "the script has no `const TEXT = {…};`"
    indent = block.group(1) + "  "
    return set(re.findall(rf"^{indent}(\w+): ", block.group(2), re.MULTILINE))


def english_texts(messages: dict) -> list[str]:
    """Every text of a script's messages (both forms of a count's sentence)."""
    found = []
    for value in messages.values():
        found.extend(english_texts(value) if isinstance(value, dict) else [str(value)])
    return found


def check_script(name: str, messages: dict, *, data_only: frozenset = frozenset()) -> None:
    """The script `name` reads exactly the texts `messages` gives it and has them in English too
    (`data_only`: keys only the page gives, such as names of states the server knows)."""
    source = script_source(name)
    assert keys_read(source) == set(messages), name
    assert keys_built_in(source) == set(messages), name
    missing = [
        text
        for key, value in messages.items()
        if key not in data_only
        for text in english_texts({key: value})
        if json.dumps(text, ensure_ascii=False) not in source
    ]
    assert missing == [], f"{name}.js lacks the English of {missing}"
    assert (
        f'getElementById("{name}-messages")' in source
        or f'const TEXT = window.podiumMessages("{name}", {{' in source
    )


def test_the_shared_reader_puts_the_pages_words_over_the_english():
    reader = script_source("messages")

    assert "window.podiumMessages = (name, english) =>" in reader
    assert "document.getElementById(`${name}-messages`)" in reader


def test_plural_forms_gives_the_form_for_one_and_for_more():
    forms = plural_forms(lambda n: ngettext("%(count)s scan", "%(count)s scans", n))

    assert forms == {"one": "%(count)s scan", "other": "%(count)s scans"}


def test_the_block_is_json_the_script_finds_by_its_name():
    block = messages_block("agenda", {"copy": gettext_lazy("Copy"), "forms": {"one": "a", "other": "b"}})

    assert block.startswith('<script id="agenda-messages" type="application/json">')
    assert json.loads(re.sub(r"^<script[^>]*>|</script>$", "", block)) == {
        "copy": "Copy",
        "forms": {"one": "a", "other": "b"},
    }


def test_a_text_cannot_end_the_block_early():
    block = messages_block("stars", {"x": "</script><script>alert(1)</script> & <b>"})

    assert block.count("</script>") == 1
    assert "<b>" not in block
