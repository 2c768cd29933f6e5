"""The organisers' CfP question pages, the answers on the proposal and review pages (with anonymised
review), the proposals spreadsheet with one column per question, and the files given as answers."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from podium.cfp import services
from podium.cfp.models import Question
from tests import factories

pytestmark = pytest.mark.django_db


def _question(event, **data):
    return services.save_question(event=event, by=None, data={"kind": "text", **data})


def _answered(event, speaker):
    """A proposal of `speaker` answering a question about it (visible to reviewers), one hidden from
    reviewers, one about the speaker, and a file."""
    shown = _question(event, label="Why this talk?")
    hidden = _question(event, label="Budget notes", visible_to_reviewers=False)
    personal = _question(event, label="Dietary needs", target="speaker")
    upload = _question(event, label="Slides", kind="file", file_types=["pdf"])
    proposal = services.submit_with_answers(
        event=event,
        speaker=speaker,
        profile={"name": "Ada Lovelace", "bio": "B"},
        data={
            "title": "T",
            "abstract": "A",
            "session_type": event.session_types.first(),
            "track": event.tracks.first(),
        },
        answers={
            shown.pk: "It is =1+1 timely",
            hidden.pk: "Needs travel money",
            personal.pk: "Vegan",
            upload.pk: SimpleUploadedFile("deck.pdf", b"%PDF-1.4 deck", "application/pdf"),
        },
    )
    return proposal, upload.answers.get()


def test_the_pages_need_the_edit_flag(client, event, reviewer):
    client.force_login(reviewer)

    assert client.get(reverse("orga:cfp_questions", kwargs={"event": event.slug})).status_code == 403
    assert client.get(reverse("orga:cfp_question_new", kwargs={"event": event.slug})).status_code == 403


def test_an_organiser_creates_edits_and_deletes_a_question(client, event, organiser_user):
    client.force_login(organiser_user)
    web = event.tracks.get(name="Web")

    response = client.post(
        reverse("orga:cfp_question_new", kwargs={"event": event.slug}),
        {
            "target": "proposal",
            "label": "Which framework?",
            "kind": "choice",
            "choices": "Django\nFlask",
            "max_file_mb": 5,
            "position": 1,
            "required": "on",
            "active": "on",
            "visible_to_reviewers": "on",
            "tracks": [web.pk],
        },
    )

    assert response.status_code == 302
    question = Question.objects.get()
    assert question.choices == ["Django", "Flask"]
    assert list(question.tracks.all()) == [web]
    listing = client.get(reverse("orga:cfp_questions", kwargs={"event": event.slug})).content.decode()
    assert "Which framework?" in listing
    assert "Django · Flask" in listing
    edit = reverse("orga:cfp_question_edit", kwargs={"event": event.slug, "pk": question.pk})
    refused = client.post(
        edit,
        {
            "target": "proposal",
            "label": "Which?",
            "kind": "choice",
            "choices": "Only",
            "max_file_mb": 5,
            "position": 1,
            "version": 1,
        },
    )
    assert "at least two answers" in refused.content.decode()
    client.post(reverse("orga:cfp_question_delete", kwargs={"event": event.slug, "pk": question.pk}))
    assert not Question.objects.exists()


def test_another_events_question_is_a_404(client, event, organiser_user):
    other = _question(factories.EventFactory(), label="Elsewhere")
    client.force_login(organiser_user)

    response = client.get(reverse("orga:cfp_question_edit", kwargs={"event": event.slug, "pk": other.pk}))

    assert response.status_code == 404


def test_organisers_see_every_answer_on_the_proposal_page(client, event, organiser_user, speaker):
    proposal, _ = _answered(event, speaker)
    client.force_login(organiser_user)

    page = client.get(
        reverse("orga:proposal", kwargs={"event": event.slug, "code": proposal.code})
    ).content.decode()

    for text in ("Why this talk?", "It is =1+1 timely", "Needs travel money", "Vegan", "deck.pdf"):
        assert text in page


def test_reviewers_see_only_answers_for_reviewers_and_none_about_speakers_when_anonymised(
    client, event, speaker
):
    event.anonymise_review = True
    event.save(update_fields=["anonymise_review"])
    reviewer = factories.team_member(event, can_review=True)
    proposal, file_answer = _answered(event, speaker)
    client.force_login(reviewer)

    page = client.get(
        reverse("orga:review", kwargs={"event": event.slug, "code": proposal.code})
    ).content.decode()

    assert "It is =1+1 timely" in page
    assert "Needs travel money" not in page
    assert "Vegan" not in page
    assert "Ada Lovelace" not in page
    download = reverse("orga:cfp_answer_file", kwargs={"event": event.slug, "answer": file_answer.pk})
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 deck"  # read to the end: closes the file
    event.anonymise_review = False
    event.save(update_fields=["anonymise_review"])
    again = client.get(
        reverse("orga:review", kwargs={"event": event.slug, "code": proposal.code})
    ).content.decode()
    assert "Vegan" in again
    assert "Needs travel money" not in again


def test_the_file_of_an_answer_is_only_for_those_who_see_the_proposal(client, event, speaker):
    proposal, file_answer = _answered(event, speaker)
    url = reverse("orga:cfp_answer_file", kwargs={"event": event.slug, "answer": file_answer.pk})
    limited = factories.team_member(event, can_review=True, tracks=[event.tracks.get(name="Web")])
    client.force_login(limited)
    assert proposal.track.name == "Data"

    assert client.get(url).status_code == 404
    other_event = factories.EventFactory()
    client.force_login(factories.team_member(other_event, is_admin=True, can_edit_event=True))
    assert (
        client.get(
            reverse("orga:cfp_answer_file", kwargs={"event": other_event.slug, "answer": file_answer.pk})
        ).status_code
        == 404
    )


def test_the_proposals_spreadsheet_has_a_column_per_question(client, event, organiser_user, speaker):
    proposal, _ = _answered(event, speaker)
    factories.ProposalFactory(event=event)
    client.force_login(organiser_user)

    response = client.get(reverse("orga:export_proposals_csv", kwargs={"event": event.slug}))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-proposals.csv"'
    mine = next(row for row in rows if row["code"] == proposal.code)
    assert mine["Why this talk? (proposal)"] == "It is =1+1 timely"
    assert mine["Dietary needs (speaker)"] == "Vegan"
    assert mine["Slides (proposal)"] == "deck.pdf"
    assert mine["speakers"] == "Ada Lovelace"
    assert len(rows) == 2
