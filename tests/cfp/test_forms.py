from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from podium.cfp import services
from podium.cfp.forms import AnswersForm, ProposalForm
from podium.cfp.queries import answers_of, proposal_questions
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)
from tests.proposals.test_forms import GERMAN, labels_and_levels

pytestmark = pytest.mark.django_db


def _question(event, **data):
    return services.save_question(event=event, by=None, data={"kind": "text", **data})


def test_the_form_turns_input_into_the_services_answers(event):
    text = _question(event, label="Why?")
    number = _question(event, label="Years", kind="number", min_value=Decimal(1), max_value=Decimal(9))
    many = _question(event, label="Topics", kind="multiple", choices="A\nB")
    yes = _question(event, label="Agree", kind="boolean", required=True)
    upload = _question(event, label="Slides", kind="file", file_types=["pdf"])
    questions = proposal_questions(event)
    pdf = SimpleUploadedFile("deck.pdf", b"%PDF-1.4", "application/pdf")

    form = AnswersForm(
        {f"q_{text.pk}": "Because", f"q_{number.pk}": "3", f"q_{many.pk}": ["B"], f"q_{yes.pk}": "on"},
        {f"q_{upload.pk}": pdf},
        questions=questions,
    )

    assert form.is_valid(), form.errors
    assert form.answers() == {
        text.pk: "Because",
        number.pk: "3",
        many.pk: ["B"],
        yes.pk: True,
        upload.pk: pdf,
    }
    assert form.fields[f"q_{number.pk}"].help_text == "A number, at least 1 and at most 9."
    assert form.fields[f"q_{yes.pk}"].label == "Agree"
    assert form.fields[f"q_{text.pk}"].label == "Why? (optional)"


def test_a_stored_file_can_be_kept_or_removed(event, speaker):
    upload = _question(event, label="Slides", kind="file", file_types=["pdf"])
    proposal = services.submit_with_answers(
        event=event,
        speaker=speaker,
        profile={"name": "S", "bio": "B"},
        data={"title": "T", "abstract": "A", "session_type": event.session_types.first()},
        answers={upload.pk: SimpleUploadedFile("deck.pdf", b"%PDF-1.4", "application/pdf")},
    )
    stored = answers_of(proposal=proposal)
    questions = proposal_questions(event)

    kept = AnswersForm({}, {}, questions=questions, answers=stored)
    removed = AnswersForm({f"q_{upload.pk}_remove": "on"}, {}, questions=questions, answers=stored)

    assert kept.is_valid()
    assert removed.is_valid()
    assert kept.answers() == {upload.pk: None}
    assert removed.answers() == {upload.pk: False}
    assert "Stored now: deck.pdf" in kept.fields[f"q_{upload.pk}"].help_text


def test_stored_answers_fill_the_form(event, speaker):
    many = _question(event, label="Topics", kind="multiple", choices="A\nB")
    yes = _question(event, label="Agree", kind="boolean")
    proposal = services.submit_with_answers(
        event=event,
        speaker=speaker,
        profile={"name": "S", "bio": "B"},
        data={"title": "T", "abstract": "A", "session_type": event.session_types.first()},
        answers={many.pk: ["A", "B"], yes.pk: True},
    )

    form = AnswersForm(questions=proposal_questions(event), answers=answers_of(proposal=proposal))

    assert form.initial == {f"q_{many.pk}": ["A", "B"], f"q_{yes.pk}": True}


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_speakers_proposal_form_labels_audience_level_and_language_in_german(event):
    with translation.override("de"):
        found = labels_and_levels(ProposalForm(event=event))

    assert found == GERMAN
