import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from podium.cfp import services
from tests import factories
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


def _answered(event, speaker):
    web = event.tracks.get(name="Web")
    why = services.save_question(event=event, by=None, data={"label": "Why?", "tracks": [web]})
    budget = services.save_question(
        event=event, by=None, data={"label": "Budget", "visible_to_reviewers": False}
    )
    diet = services.save_question(event=event, by=None, data={"label": "Diet", "target": "speaker"})
    topics = services.save_question(
        event=event, by=None, data={"label": "Topics", "kind": "multiple", "choices": "A\nB\nC"}
    )
    slides = services.save_question(
        event=event, by=None, data={"label": "Slides", "kind": "file", "file_types": ["pdf"]}
    )
    proposal = services.submit_with_answers(
        event=event,
        speaker=speaker,
        profile={"name": "Ada", "bio": "B"},
        data={"title": "T", "abstract": "A", "session_type": event.session_types.first(), "track": web},
        answers={
            why.pk: "Because",
            budget.pk: "Travel",
            diet.pk: "Vegan",
            topics.pk: ["C", "A"],
            slides.pk: SimpleUploadedFile("deck.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    return proposal, {"why": why, "budget": budget, "diet": diet}


def test_organisers_read_the_questions(client, event, organiser_user, speaker):
    _answered(event, speaker)
    secret = make_token(organiser_user, event)

    response = client.get(f"/api/v1/orga/events/{event.slug}/questions", **bearer(secret))

    assert response.status_code == 200
    body = response.json()
    assert [q["label"] for q in body] == ["Why?", "Budget", "Diet", "Topics", "Slides"]
    assert body[0]["tracks"] == [event.tracks.get(name="Web").pk]
    assert body[3]["choices"] == ["A", "B", "C"]
    assert body[4]["file_types"] == ["pdf"]


def test_answers_on_a_proposal_and_in_bulk(client, event, organiser_user, speaker):
    proposal, _ = _answered(event, speaker)
    factories.ProposalFactory(event=event)
    secret = make_token(organiser_user, event)

    one = client.get(f"/api/v1/orga/events/{event.slug}/proposals/{proposal.code}/answers", **bearer(secret))
    every = client.get(f"/api/v1/orga/events/{event.slug}/answers", **bearer(secret))

    answers = {a["label"]: a for a in one.json()["answers"]}
    assert answers["Why?"]["value"] == "Because"
    assert answers["Topics"]["options"] == ["A", "C"]
    assert answers["Slides"]["value"] == "deck.pdf"
    assert answers["Diet"]["speaker"] == event.speaker_profiles.get(user=speaker).code
    assert len(every.json()) == 2
    mine = next(row for row in every.json() if row["code"] == proposal.code)
    assert mine == one.json()


def test_reviewers_under_anonymised_review_get_no_personal_answers(client, event, speaker):
    event.anonymise_review = True
    event.save(update_fields=["anonymise_review"])
    proposal, _ = _answered(event, speaker)
    reviewer = factories.team_member(event, can_review=True)
    secret = make_token(reviewer, event)

    questions = client.get(f"/api/v1/orga/events/{event.slug}/questions", **bearer(secret)).json()
    one = client.get(f"/api/v1/orga/events/{event.slug}/proposals/{proposal.code}/answers", **bearer(secret))
    every = client.get(f"/api/v1/orga/events/{event.slug}/answers", **bearer(secret)).json()

    assert "Budget" not in [q["label"] for q in questions]
    labels = [a["label"] for a in one.json()["answers"]]
    assert labels == ["Why?", "Topics", "Slides"]
    assert "Vegan" not in one.content.decode()
    assert "Vegan" not in str(every)


def test_another_events_proposal_is_a_404(client, event, organiser_user, speaker):
    other = factories.EventFactory(organiser=event.organiser)
    proposal, _ = _answered(other, speaker)
    secret = make_token(organiser_user, event)

    response = client.get(
        f"/api/v1/orga/events/{event.slug}/proposals/{proposal.code}/answers", **bearer(secret)
    )

    assert response.status_code == 404
