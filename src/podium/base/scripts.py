"""The words the page scripts show, in the visitor's language.

The Content-Security-Policy runs only our own script files, and the interface has one gettext domain:
a script's texts are marked in Python (each audience app's `*_scripts` template tags) and handed to
the page as one JSON data block per script (`json_script`, id `<script>-messages`), which the script
reads by id. A page without the block (a release file rendered before it existed) leaves the script
its built-in English.

Texts with values carry named placeholders (`%(count)s`) the script fills. A sentence with a count
comes as both its forms ({"one": …, "other": …}); the script picks one with `Intl.PluralRules` of the
page's language (`<html lang>`), which has these two forms in every language the interface speaks.
"""

from collections.abc import Callable

from django.utils.html import json_script


def plural_forms(sentence: Callable[[int], str]) -> dict[str, str]:
    """Both forms of a sentence with a count, from `lambda n: ngettext(singular, plural, n)`."""
    return {"one": str(sentence(1)), "other": str(sentence(2))}


def messages_block(name: str, messages: dict) -> str:
    """The JSON data block the script `name` reads its texts from (lazy texts rendered now)."""

    def plain(value):
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return str(value)

    return json_script(plain(messages), f"{name}-messages")
