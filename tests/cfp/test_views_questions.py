"""The CfP questions on the speaker's pages: submission (also without the page's script), the edit of
a proposal, the profile, and the files given as answers."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from podium.cfp import services
from podium.cfp.models import Answer
from podium.proposals.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db


def _question(event, **data):
    return services.save_question(event=event, by=None, data={"kind": "text", **data})


def _post(event, questions, track=None, **extra):
    data = {
        "profile-name": "Guido Speaker",
        "profile-bio": "Writes Python.",
        "title": "Typing in anger",
        "abstract": "Types, pragmatically.",
        "description": "",
        "track": (track or event.tracks.get(name="Web")).pk,
        "session_type": event.session_types.get(name="Talk").pk,
        "audience_level": "beginner",
        "language": "en",
        "idempotency_key": "key-1",
    }
    data.update(extra)
    return data


def test_the_submit_page_shows_every_active_question_with_its_limits(client, event, speaker):
    data_track = event.tracks.get(name="Data")
    _question(event, label="Why this talk?", required=True, help_text="Tell the reviewers.")
    _question(event, label="Which dataset?", tracks=[data_track])
    _question(event, label="T-shirt size", kind="choice", choices="S\nM", target="speaker")
    _question(event, label="Retired question", active=False)
    client.force_login(speaker)

    page = client.get(reverse("cfp:submit", kwargs={"event": event.slug})).content.decode()

    assert "Why this talk?" in page
    assert "Tell the reviewers." in page
    assert "Which dataset? (optional)" in page
    assert "Asked only for: Data" in page
    assert f'data-tracks="{data_track.pk}"' in page
    assert "T-shirt size" in page
    assert "Retired question" not in page
    assert "podium/cfp-questions.js" in page


def test_submitting_saves_the_answers(client, event, speaker):
    why = _question(event, label="Why?", required=True)
    years = _question(event, label="Years", kind="number", max_value=Decimal(50))
    size = _question(event, label="Size", kind="choice", choices="S\nM", target="speaker")
    client.force_login(speaker)

    response = client.post(
        reverse("cfp:submit", kwargs={"event": event.slug}),
        _post(
            event,
            [],
            **{
                f"proposal-q-q_{why.pk}": "Because",
                f"proposal-q-q_{years.pk}": "7",
                f"speaker-q-q_{size.pk}": "M",
            },
        ),
    )

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert {a.question.label: a.value for a in Answer.objects.select_related("question")} == {
        "Why?": "Because",
        "Years": "7",
        "Size": "M",
    }
    assert Answer.objects.get(question=why).proposal == proposal


def test_a_missing_required_answer_shows_next_to_the_question_and_saves_nothing(client, event, speaker):
    why = _question(event, label="Why?", required=True)
    years = _question(event, label="Years", kind="number", max_value=Decimal(50))
    client.force_login(speaker)

    response = client.post(
        reverse("cfp:submit", kwargs={"event": event.slug}),
        _post(event, [], **{f"proposal-q-q_{years.pk}": "99"}),
    )

    assert response.status_code == 200
    assert response.context["proposal_answers"].errors == {
        f"q_{why.pk}": ["This question needs an answer."],
        f"q_{years.pk}": ["Enter a number of at most 50."],
    }
    assert not Proposal.objects.exists()


def test_without_the_script_a_required_question_of_another_track_is_not_required(client, event, speaker):
    """The page without its script shows every question; a speaker who chose the Web track (or
    switched to it) leaves the Data question empty, or even answers it: it is not required and not
    kept."""
    data_only = _question(
        event, label="Which dataset?", required=True, tracks=[event.tracks.get(name="Data")]
    )
    client.force_login(speaker)

    response = client.post(
        reverse("cfp:submit", kwargs={"event": event.slug}),
        _post(event, [], **{f"proposal-q-q_{data_only.pk}": "Left over from Data"}),
    )

    assert response.status_code == 302
    assert Proposal.objects.get().track.name == "Web"
    assert not Answer.objects.exists()

    again = client.post(
        reverse("cfp:submit", kwargs={"event": event.slug}),
        _post(event, [], track=event.tracks.get(name="Data"), idempotency_key="key-2"),
    )
    assert again.status_code == 200
    assert again.context["proposal_answers"].errors == {
        f"q_{data_only.pk}": ["This question needs an answer."]
    }
    assert Proposal.objects.count() == 1


def test_the_speaker_edits_answers_with_the_proposal(client, event, speaker):
    why = _question(event, label="Why?", required=True)
    slides = _question(event, label="Slides", kind="file", file_types=["pdf"])
    proposal = services.submit_with_answers(
        event=event,
        speaker=speaker,
        profile={"name": "S", "bio": "B"},
        data={"title": "T", "abstract": "A", "session_type": event.session_types.first()},
        answers={why.pk: "First"},
    )
    client.force_login(speaker)
    url = reverse("cfp:proposal", kwargs={"event": event.slug, "code": proposal.code})
    page = client.get(url).content.decode()
    assert 'value="First"' in page
    assert 'enctype="multipart/form-data"' in page

    response = client.post(
        url,
        {
            "title": "T",
            "abstract": "A",
            "session_type": proposal.session_type_id,
            "track": event.tracks.first().pk,
            "audience_level": "beginner",
            "language": "en",
            "version": proposal.version,
            f"proposal-q-q_{why.pk}": "Second",
            f"proposal-q-q_{slides.pk}": SimpleUploadedFile("deck.pdf", b"%PDF-1.4 deck", "application/pdf"),
        },
    )

    assert response.status_code == 302
    assert Answer.objects.get(question=why).value == "Second"
    stored = Answer.objects.get(question=slides)
    assert stored.file_name == "deck.pdf"
    download = client.get(reverse("cfp:answer_file", kwargs={"event": event.slug, "answer": stored.pk}))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == b"%PDF-1.4 deck"
    client.force_login(factories.UserFactory())
    assert (
        client.get(reverse("cfp:answer_file", kwargs={"event": event.slug, "answer": stored.pk})).status_code
        == 404
    )


def test_the_profile_asks_the_questions_about_speakers_that_apply(client, event, speaker, proposal):
    size = _question(event, label="Size", kind="choice", choices="S\nM", target="speaker", required=True)
    _question(event, label="GPU needs", target="speaker", tracks=[event.tracks.get(name="Web")])
    client.force_login(speaker)
    url = reverse("cfp:profile", kwargs={"event": event.slug})

    page = client.get(url).content.decode()
    assert "Size" in page
    assert "GPU needs" not in page  # their proposal is in Data

    refused = client.post(url, {"name": "S", "bio": "B"})
    assert refused.context["answers_form"].errors == {f"q_{size.pk}": ["This question needs an answer."]}
    saved = client.post(url, {"name": "S", "bio": "B", f"speaker-q-q_{size.pk}": "S"})
    assert saved.status_code == 302
    assert Answer.objects.get().value == "S"
