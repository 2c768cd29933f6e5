"""The proposal's fields in the reader's language (the real catalogues)."""

import pytest
from django.utils import translation

from podium.proposals.forms import ProposalFieldsForm
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db]


def labels_and_levels(form) -> tuple[dict, list]:
    """The labels of audience level and language, and the levels offered, as a person reads them."""
    labels = {name: str(form[name].label) for name in ("audience_level", "language")}
    return labels, [str(label) for _value, label in form.fields["audience_level"].choices]


GERMAN = (
    {"audience_level": "Zielgruppenniveau", "language": "Sprache"},
    ["Einsteiger", "Fortgeschrittene", "Experten"],
)


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_audience_level_and_language_are_labelled_in_german(event):
    with translation.override("de"):
        found = labels_and_levels(ProposalFieldsForm(event=event))

    assert found == GERMAN
