"""Every field of every Podium model is classified for personal data (podium.privacy)."""

from django.apps import apps
from django.conf import settings
from django.db import models

from podium import privacy

HOW_TO = (
    "Classify it in podium/privacy/__init__.py FIELDS as PERSONAL, SECRET, LINK, COPY or "
    "NOT_PERSONAL (see the module docstring and docs/privacy.md), then make sure export and erase "
    "handle it (tests/privacy/test_export.py, tests/privacy/test_erase.py)."
)


def podium_fields() -> dict[str, models.Field]:
    """{"app.Model.field": field} of every forward field (concrete, many-to-many, generic) of every
    model in podium.*."""
    found = {}
    for model in apps.get_models():
        if not model.__module__.startswith("podium."):
            continue
        for field in model._meta.get_fields():
            if field.auto_created and not field.concrete:
                continue  # reverse relations: classified on the model that declares them
            found[f"{model._meta.label}.{field.name}"] = field
    return found


def _points_at_users(field) -> bool:
    return (
        field.is_relation
        and field.related_model is not None
        and (field.related_model._meta.label == settings.AUTH_USER_MODEL)
    )


def test_every_model_field_is_classified():
    missing = sorted(set(podium_fields()) - set(privacy.FIELDS))

    assert missing == [], f"Unclassified model fields: {', '.join(missing)}. {HOW_TO}"


def test_the_registry_names_no_field_that_is_gone():
    stale = sorted(set(privacy.FIELDS) - set(podium_fields()))

    assert stale == [], f"Classified but no longer in the models (remove them): {', '.join(stale)}"


def test_every_classification_is_a_known_marker():
    assert {label for label, marker in privacy.FIELDS.items() if marker not in privacy.MARKERS} == set()


def test_links_are_exactly_the_relations_to_accounts():
    relations = {label for label, field in podium_fields().items() if _points_at_users(field)}

    assert set(privacy.fields_marked(privacy.LINK)) == relations


def test_every_link_says_what_erasure_does_with_its_rows():
    assert set(privacy.ON_ERASE) == set(privacy.fields_marked(privacy.LINK))
    assert set(privacy.ON_ERASE.values()) <= {privacy.DELETE, privacy.REMOVE, privacy.KEEP}


def test_copy_columns_hold_text_json_or_bytes():
    fields = podium_fields()
    kinds = (models.CharField, models.TextField, models.JSONField, models.BinaryField)

    assert [
        label for label in privacy.fields_marked(privacy.COPY) if not isinstance(fields[label], kinds)
    ] == []


def test_an_unclassified_field_fails_with_a_message_telling_what_to_do(monkeypatch):
    monkeypatch.delitem(privacy.FIELDS, "accounts.User.name")

    try:
        test_every_model_field_is_classified()
    except AssertionError as exc:
        message = str(exc)
    else:
        message = ""

    assert "accounts.User.name" in message
    assert "Classify it in podium/privacy/__init__.py" in message
