"""Mail texts that organisers write: `{name}` placeholders filled in once per recipient.

A text an organiser writes (a campaign, an edited system mail) is not a Django template and not a
Python format string: it may only name placeholders from a list the mail offers, by plain name.
`{name}` is replaced by its value, `{{` and `}}` are literal braces, and nothing else is special.

- Unknown names, attribute paths (`{proposal.title}`, `{speaker.user.password}`), indexes
  (`{names[0]}`), conversions and format specs (`{name!r}`, `{name:>10}`) and unbalanced braces are
  refused when the text is saved (`check`), with every offending placeholder named.
- Values are substituted in one pass over the organiser's text (`fill`): a value that itself contains
  `{event}` or `{{` arrives as typed, never filled in again. A speaker called "{ticket_link}" gets
  their name in the mail, not someone's ticket link.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# One token: an escaped brace, a placeholder, or a lone brace (an error).
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")


@dataclass(frozen=True)
class Placeholder:
    """One value a mail offers: its name in the text, what it means, and an example for previews."""

    name: str
    help: str
    example: str = ""


def used(text: str) -> list[str]:
    """The placeholder names a text uses, in order of first use (errors ignored)."""
    names: list[str] = []
    for match in _TOKEN.finditer(text):
        name = match.group(1)
        if name is not None and _NAME.match(name) and name not in names:
            names.append(name)
    return names


def problems(text: str, allowed) -> list[str]:
    """What is wrong with the placeholders of `text`, given the names it may use; empty when nothing."""
    allowed = set(allowed)
    found: list[str] = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            problem = _("A lone “%(brace)s”: write “%(braces)s” for a brace in the text.") % {
                "brace": token,
                "braces": token * 2,
            }
        elif not name.strip():
            problem = _("An empty placeholder “{}”.")
        elif _NAME.match(name):
            if name in allowed:
                continue
            problem = _("“%(placeholder)s” is not a placeholder this mail offers.") % {"placeholder": token}
        elif re.match(r"[A-Za-z_]\w*[.\[]", name):
            problem = _(
                "“%(placeholder)s”: attribute paths and indexes are not allowed; use a placeholder as listed."
            ) % {"placeholder": token}
        elif re.match(r"[A-Za-z_]\w*[!:]", name):
            problem = _(
                "“%(placeholder)s”: conversions and formats are not allowed; use a placeholder as listed."
            ) % {"placeholder": token}
        else:
            problem = _(
                "“%(placeholder)s” is not a placeholder: names are lower-case letters, digits and “_”."
            ) % {"placeholder": token}
        if problem not in found:
            found.append(problem)
    return found


def check(text: str, allowed, *, field: str | None = None) -> None:
    """Raise ValidationError naming every placeholder problem of `text` (for a form's or service's
    save). `field` puts the errors on that form field."""
    found = problems(text, allowed)
    if found:
        raise ValidationError({field: found} if field else found)


def fill(text: str, values: dict[str, object]) -> str:
    """`text` with each `{name}` replaced by `str(values[name])`, in one pass.

    A name without a value becomes the empty string, so a text checked against a list is always
    filled; a value is inserted as is and never read for placeholders again."""

    def replace(match: re.Match) -> str:
        piece = match.group(0)
        if piece in ("{{", "}}"):
            return piece[0]
        name = match.group(1)
        if name is not None and _NAME.match(name):
            value = values.get(name)
            return "" if value is None else str(value)
        return piece

    return _TOKEN.sub(replace, text)


def examples(placeholders) -> dict[str, str]:
    """Each placeholder's example value: what a preview without a recipient fills in."""
    return {p.name: p.example or f"[{p.name}]" for p in placeholders}
