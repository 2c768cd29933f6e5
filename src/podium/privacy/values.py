"""Finding and replacing one person's values wherever the system copied them (COPY columns, files)."""

import html
import json
import re
from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.db import transaction
from django.db.models import BinaryField, JSONField, Q

from podium.privacy import COPY, fields_marked

# Values shorter than this are replaced only where they are the person's own field, never in copies
# (a two-letter name would otherwise rewrite every word it happens to be).
MIN_LENGTH = 3


def _forms(value: str) -> list[str]:
    """The ways a value appears in stored text: as is, HTML-escaped, and inside JSON strings."""
    forms = {
        value,
        html.escape(value),
        html.escape(value, quote=False),
        json.dumps(value)[1:-1],
        json.dumps(value, ensure_ascii=False)[1:-1],
    }
    return sorted(form for form in forms if form)


def _pattern(form: str) -> str:
    """A regex for one form that does not match inside a longer word."""
    before = r"(?<!\w)" if re.match(r"\w", form[0]) else ""
    after = r"(?!\w)" if re.match(r"\w", form[-1]) else ""
    return before + re.escape(form) + after


@dataclass(frozen=True)
class Values:
    """One person's values and what each is replaced with: {value: replacement}."""

    replacements: dict[str, str]

    @classmethod
    def of(cls, pairs) -> "Values":
        """From (value, replacement) pairs; empty and too short values are left out, longest first so
        an address is replaced before the name it contains."""
        found = {}
        for value, replacement in pairs:
            value = (value or "").strip()
            if len(value) >= MIN_LENGTH and value not in found:
                found[value] = replacement
        return cls(dict(sorted(found.items(), key=lambda item: -len(item[0]))))

    @cached_property
    def _compiled(self) -> list[tuple[re.Pattern, str]]:
        return [
            (re.compile("|".join(_pattern(form) for form in _forms(value)), re.IGNORECASE), replacement)
            for value, replacement in self.replacements.items()
        ]

    def needles(self) -> list[str]:
        """Every stored form of every value (for database pre-filtering)."""
        return sorted({form for value in self.replacements for form in _forms(value)})

    def found_in(self, text: str) -> bool:
        return any(pattern.search(text) for pattern, _ in self._compiled)

    def scrub_text(self, text: str) -> str:
        for pattern, replacement in self._compiled:
            text = pattern.sub(replacement, text)
        return text

    def scrub(self, value):
        """`value` (text, or JSON-like data: dicts, lists, strings) with every value replaced."""
        if isinstance(value, str):
            return self.scrub_text(value)
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, dict):
            return {self.scrub(key): self.scrub(item) for key, item in value.items()}
        return value


def copy_columns():
    """(model, field name) of every COPY column in the registry."""
    for label in fields_marked(COPY):
        app_label, model_name, field_name = label.split(".")
        yield apps.get_model(app_label, model_name), field_name


@transaction.atomic
def scrub_copies(values: Values) -> int:
    """Replace the values in every COPY column, row by row (in the caller's transaction, if any).

    Rows are found with a case-insensitive search for each stored form of each value, then rewritten
    in Python. Returns the number of rows changed.
    """
    changed = 0
    needles = values.needles()
    if not needles:
        return 0
    for model, name in copy_columns():
        field = model._meta.get_field(name)
        rows = model.objects.select_for_update().only("pk", name)
        if not isinstance(field, BinaryField):  # bytes cannot be searched in SQL: read them all
            rows = rows.filter(
                Q.create([(f"{name}__icontains", needle) for needle in needles], connector=Q.OR)
            )
        for row in rows:
            before = getattr(row, name)
            after = _scrubbed(values, field, before)
            if after != before:
                model.objects.filter(pk=row.pk).update(**{name: after})
                changed += 1
    return changed


def _scrubbed(values: Values, field, value):
    if value is None:
        return None
    if isinstance(field, JSONField):
        return values.scrub(value)
    if isinstance(field, BinaryField):
        text = bytes(value).decode("utf-8", errors="surrogateescape")
        return values.scrub_text(text).encode("utf-8", errors="surrogateescape")
    return values.scrub_text(value)
