import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.cfp import services
from podium.cfp.models import Answer, Question
from podium.proposals.models import Proposal, SpeakerProfile
from tests import factories

pytestmark = pytest.mark.django_db


def question(event, by=None, **data):
    values = {"label": "How often have you spoken?", "kind": "text", "target": "proposal", **data}
    return services.save_question(event=event, by=by, data=values)


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (20, 20), "#3366cc").save(out, format="PNG")
    return out.getvalue()


def _submit(event, speaker, answers, **data):
    return services.submit_with_answers(
        event=event,
        speaker=speaker,
        profile={"name": "Ada Speaker", "bio": "Writes Python."},
        data={
            "title": "Typing in anger",
            "abstract": "Types.",
            "session_type": event.session_types.get(name="Talk"),
            "track": event.tracks.get(name="Web"),
            **data,
        },
        answers=answers,
        idempotency_key=data.pop("key", None),
    )


# --- Questions -----------------------------------------------------------------------------------


def test_save_question_checks_the_actor_and_records(event, organiser_user, reviewer):
    with pytest.raises(NotAllowed):
        question(event, by=reviewer)

    saved = question(event, by=organiser_user, kind="choice", choices="Yes\nNo\n yes \n")

    assert saved.choices == ["Yes", "No"]
    assert AuditEntry.objects.filter(action="cfp_question.saved", actor=organiser_user).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"label": "  "}, "label"),
        ({"kind": "choice", "choices": "Only one"}, "choices"),
        ({"kind": "multiple", "choices": ""}, "choices"),
        ({"kind": "number", "min_value": Decimal(5), "max_value": Decimal(1)}, "max_value"),
        ({"kind": "file", "file_types": []}, "file_types"),
        ({"kind": "file", "file_types": ["pdf"], "max_file_mb": 500}, "max_file_mb"),
    ],
)
def test_save_question_refuses_bad_set_up(event, data, field):
    with pytest.raises(ServiceError) as refused:
        question(event, **data)

    assert refused.value.field == field
    assert not Question.objects.exists()


def test_save_question_refuses_a_duplicate_label_and_foreign_tracks(event):
    question(event, label="Slides?")
    with pytest.raises(ServiceError, match="already"):
        question(event, label="slides?")
    question(event, label="Slides?", target="speaker")  # another target: fine

    other = factories.EventFactory()
    with pytest.raises(ServiceError) as refused:
        question(event, label="Other", tracks=list(other.tracks.all()))
    assert refused.value.field == "tracks"


def test_save_question_drops_what_its_kind_does_not_use(event):
    saved = question(event, kind="text", choices="A\nB", min_value=Decimal(1), file_types=["pdf"])

    assert (saved.choices, saved.min_value, saved.file_types) == ([], None, [])


def test_save_question_refuses_a_stale_edit(event, organiser_user):
    saved = question(event, by=organiser_user)
    services.save_question(event=event, by=organiser_user, data={"label": "New"}, question=saved, version=1)

    with pytest.raises(StaleEdit):
        services.save_question(
            event=event, by=organiser_user, data={"label": "Mine"}, question=saved, version=1
        )
    assert Question.objects.get().label == "New"


def test_delete_question_refuses_one_with_answers(event, speaker, organiser_user):
    asked = question(event)
    _submit(event, speaker, {asked.pk: "Twice"})

    with pytest.raises(ServiceError, match="inactive"):
        services.delete_question(question=asked, by=organiser_user)
    Answer.objects.all().delete()
    services.delete_question(question=asked, by=organiser_user)

    assert not Question.objects.exists()


def test_copy_questions_maps_limits_by_name_and_skips_existing(event):
    web, talk = event.tracks.get(name="Web"), event.session_types.get(name="Talk")
    question(event, label="Plain", kind="choice", choices="A\nB", required=True, position=3)
    question(event, label="Web only", tracks=[web], session_types=[talk])
    question(event, label="Gone track", tracks=[event.tracks.get(name="Data")])
    target = factories.EventFactory(setup=False)
    target.tracks.create(name="web")
    target.session_types.create(name="Talk", duration_minutes=30)
    question(target, label="plain")

    copied = services.copy_questions(source=event, target=target)

    assert [q.label for q in copied] == ["Web only", "Gone track"]
    web_only = target.cfp_questions.get(label="Web only")
    assert [t.name for t in web_only.tracks.all()] == ["web"]
    assert [t.name for t in web_only.session_types.all()] == ["Talk"]
    assert web_only.active
    # Its only track is missing in the new event: copied, but not asked of everyone.
    assert not target.cfp_questions.get(label="Gone track").active
    assert target.cfp_questions.count() == 3
    assert services.copy_questions(source=event, target=target) == []


# --- Answers -------------------------------------------------------------------------------------


def test_submit_with_answers_saves_everything_in_one_go(event, speaker):
    text = question(event, label="Why you?", required=True)
    number = question(event, label="Years", kind="number", min_value=Decimal(0), max_value=Decimal(60))
    many = question(event, label="Topics", kind="multiple", choices="Web\nData\nOps")
    about_me = question(event, label="T-shirt", kind="choice", choices="S\nM\nL", target="speaker")
    agree = question(event, label="Code of conduct", kind="boolean", required=True)

    proposal = _submit(
        event,
        speaker,
        {text.pk: " Because ", number.pk: "12.50", many.pk: ["ops", "Web"], about_me.pk: "m", agree.pk: True},
    )

    answers = {a.question.label: a for a in Answer.objects.select_related("question")}
    assert answers["Why you?"].proposal == proposal
    assert answers["Why you?"].value == "Because"
    assert answers["Years"].value == "12.5"
    assert answers["Topics"].options == ["Web", "Ops"]
    assert answers["Code of conduct"].value == "yes"
    profile = SpeakerProfile.objects.get(user=speaker, event=event)
    assert answers["T-shirt"].profile == profile
    assert answers["T-shirt"].value == "M"
    assert answers["T-shirt"].proposal is None
    assert AuditEntry.objects.filter(action="cfp_answers.saved").exists()


@pytest.mark.parametrize(
    ("kind", "extra", "raw", "message"),
    [
        ("number", {"min_value": Decimal(1), "max_value": Decimal(10)}, "11", "at most 10"),
        ("number", {"min_value": Decimal(1)}, "0", "at least 1"),
        ("number", {}, "lots", "Enter a number"),
        ("number", {}, "NaN", "Enter a number"),
        ("choice", {"choices": "A\nB"}, "C", "not one of"),
        ("multiple", {"choices": "A\nB"}, ["A", "Z"], "not one of"),
        ("text", {}, "x" * 301, "under 300"),
        ("boolean", {"required": True}, False, "Tick this box"),
        ("text", {"required": True}, "   ", "needs an answer"),
    ],
)
def test_a_bad_answer_saves_nothing(event, speaker, kind, extra, raw, message):
    asked = question(event, kind=kind, **extra)

    with pytest.raises(ServiceError, match=message) as refused:
        _submit(event, speaker, {asked.pk: raw})

    assert refused.value.field == f"q_{asked.pk}"
    assert not Proposal.objects.exists()
    assert not SpeakerProfile.objects.exists()
    assert not Answer.objects.exists()


def test_every_refused_answer_is_reported(event, speaker):
    first = question(event, label="One", required=True)
    second = question(event, label="Two", kind="number", max_value=Decimal(1))

    with pytest.raises(services.AnswerErrors) as refused:
        _submit(event, speaker, {second.pk: "5"})

    assert {e.field for e in refused.value.errors} == {f"q_{first.pk}", f"q_{second.pk}"}


def test_a_required_question_of_another_track_is_not_required_and_ignored(event, speaker):
    data = event.tracks.get(name="Data")
    asked = question(event, label="Which dataset?", required=True, tracks=[data])
    tutorial_only = question(
        event,
        label="Laptop?",
        kind="boolean",
        required=True,
        session_types=[event.session_types.get(name="Tutorial")],
    )

    proposal = _submit(event, speaker, {asked.pk: "Ignored", tutorial_only.pk: False})

    assert proposal.track.name == "Web"
    assert not Answer.objects.exists()
    with pytest.raises(ServiceError, match="needs an answer"):
        _submit(event, speaker, {}, track=data, key="other")


def test_inactive_questions_are_not_asked(event, speaker):
    question(event, label="Old", required=True, active=False)

    assert _submit(event, speaker, {})


def test_a_repeated_submission_changes_nothing(event, speaker):
    asked = question(event, label="Why?")
    first = _submit(event, speaker, {asked.pk: "First"}, key="same")

    again = _submit(event, speaker, {asked.pk: "Second"}, key="same")

    assert again == first
    assert Answer.objects.get().value == "First"


def test_update_proposal_with_answers_changes_and_drops_answers(event, speaker):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    web_q = question(event, label="Web question", tracks=[web])
    all_q = question(event, label="For all")
    proposal = _submit(event, speaker, {web_q.pk: "Django", all_q.pk: "Yes"})

    saved = services.update_proposal_with_answers(
        proposal=proposal, by=speaker, data={"track": data}, version=proposal.version, answers={all_q.pk: ""}
    )

    assert saved.track == data
    # Emptied, and the Web question no longer applies to a Data proposal.
    assert not Answer.objects.exists()


def test_update_proposal_with_answers_is_refused_for_others(event, speaker):
    asked = question(event)
    proposal = _submit(event, speaker, {asked.pk: "Mine"})
    stranger = factories.UserFactory()

    with pytest.raises(NotAllowed):
        services.update_proposal_with_answers(
            proposal=proposal, by=stranger, data={}, version=proposal.version, answers={asked.pk: "Theirs"}
        )
    assert Answer.objects.get().value == "Mine"


def test_a_refused_answer_keeps_the_proposal_as_it_was(event, speaker):
    asked = question(event, kind="number", max_value=Decimal(3))
    proposal = _submit(event, speaker, {asked.pk: "2"})

    with pytest.raises(ServiceError):
        services.update_proposal_with_answers(
            proposal=proposal,
            by=speaker,
            data={"title": "Changed"},
            version=proposal.version,
            answers={asked.pk: "9"},
        )

    proposal.refresh_from_db()
    assert proposal.title == "Typing in anger"
    assert Answer.objects.get().value == "2"


def test_speaker_questions_limited_to_tracks_follow_the_speakers_proposals(event, speaker):
    data = event.tracks.get(name="Data")
    asked = question(event, label="GPU?", target="speaker", required=True, tracks=[data])
    _submit(event, speaker, {})  # a Web proposal: not asked

    with pytest.raises(ServiceError, match="needs an answer"):
        _submit(event, speaker, {}, track=data, key="second")
    _submit(event, speaker, {asked.pk: "A100"}, track=data, key="second")

    profile = SpeakerProfile.objects.get(user=speaker)
    saved = services.save_profile_with_answers(
        event=event, user=speaker, profile={"name": "Ada", "bio": "B"}, answers={asked.pk: "H100"}
    )
    assert saved == profile
    assert Answer.objects.get(profile=profile).value == "H100"
    with pytest.raises(ServiceError, match="needs an answer"):
        services.save_profile_with_answers(
            event=event, user=speaker, profile={"name": "Ada", "bio": "B"}, answers={asked.pk: ""}
        )


def test_file_answers_are_checked_replaced_and_removed(event, speaker, django_capture_on_commit_callbacks):
    asked = question(event, label="Slides", kind="file", file_types=["pdf"], max_file_mb=1)
    pdf = SimpleUploadedFile("my slides.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    proposal = _submit(event, speaker, {asked.pk: pdf})

    answer = Answer.objects.get()
    assert answer.file_name == "my slides.pdf"
    assert answer.file.name.startswith("cfp-answers/")
    assert answer.file.name.endswith(".pdf")
    first_file = answer.file.name
    storage = answer.file.storage

    fake = SimpleUploadedFile("evil.pdf", b"<script>alert(1)</script>", "application/pdf")
    with pytest.raises(ServiceError, match="accepted kind: PDF"):
        services.update_proposal_with_answers(
            proposal=proposal, by=speaker, data={}, version=proposal.version, answers={asked.pk: fake}
        )
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (1024 * 1024 + 1), "application/pdf")
    with pytest.raises(ServiceError, match="limit is 1 MB"):
        services.update_proposal_with_answers(
            proposal=proposal, by=speaker, data={}, version=proposal.version, answers={asked.pk: big}
        )
    # None keeps the stored file.
    services.update_proposal_with_answers(
        proposal=proposal, by=speaker, data={}, version=proposal.version, answers={asked.pk: None}
    )
    assert Answer.objects.get().file.name == first_file

    proposal.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_proposal_with_answers(
            proposal=proposal, by=speaker, data={}, version=proposal.version, answers={asked.pk: False}
        )
    assert not Answer.objects.exists()
    assert not storage.exists(first_file)


def test_image_and_text_answers(event, speaker):
    image_q = question(event, label="Headshot", kind="file", file_types=["image"])
    text_q = question(event, label="Notes file", kind="file", file_types=["text"])
    png = SimpleUploadedFile("me.png", _png(), "image/png")
    text = SimpleUploadedFile("notes.txt", "Grüße\n".encode(), "text/plain")

    _submit(event, speaker, {image_q.pk: png, text_q.pk: text})

    names = Answer.objects.values_list("file", flat=True)
    assert sorted(name.rsplit(".", 1)[1] for name in names) == ["png", "txt"]
    binary = SimpleUploadedFile("x.txt", b"\x00\x01binary", "text/plain")
    with pytest.raises(ServiceError, match="Plain text"):
        _submit(event, speaker, {text_q.pk: binary}, key="again")
