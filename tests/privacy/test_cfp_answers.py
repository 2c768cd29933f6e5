import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from podium.cfp import services
from podium.cfp.models import Answer
from podium.privacy import cfp_answers
from podium.privacy.erase import erase_person
from podium.privacy.export import export_person

pytestmark = pytest.mark.django_db


def _answers(event, speaker):
    about_me = services.save_question(event=event, by=None, data={"label": "Diet", "target": "speaker"})
    rider = services.save_question(
        event=event,
        by=None,
        data={"label": "Rider", "target": "speaker", "kind": "file", "file_types": ["text"]},
    )
    about_talk = services.save_question(event=event, by=None, data={"label": "Why?"})
    proposal = services.submit_with_answers(
        event=event,
        speaker=speaker,
        profile={"name": "Ada", "bio": "B"},
        data={"title": "T", "abstract": "A", "session_type": event.session_types.first()},
        answers={
            about_me.pk: "Vegan",
            rider.pk: SimpleUploadedFile("rider.txt", b"A quiet room", "text/plain"),
            about_talk.pk: "Timely",
        },
    )
    return proposal


def test_the_export_lists_the_answers_about_the_person(event, speaker):
    _answers(event, speaker)

    exported = export_person(user=speaker)["cfp_answers"]

    assert [(row["question"], row["value"], row["file_name"]) for row in exported] == [
        ("Diet", "Vegan", ""),
        ("Rider", "", "rider.txt"),
    ]
    assert exported[1]["file"].startswith("cfp-answers/")


def test_erasure_deletes_them_and_their_files_and_keeps_the_proposals(
    event, speaker, django_capture_on_commit_callbacks
):
    _answers(event, speaker)
    stored = Answer.objects.exclude(file="").get()
    storage, name = stored.file.storage, stored.file.name

    with django_capture_on_commit_callbacks(execute=True):
        counts = erase_person(user=speaker, by=None)

    assert counts["cfp answers"] == 2
    assert list(Answer.objects.values_list("value", flat=True)) == ["Timely"]
    assert not storage.exists(name)
    assert cfp_answers.export(speaker) == {"cfp_answers": []}
