import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.proposals import materials, services
from podium.proposals.enums import ProposalState
from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _pdf(content=PDF, name="talk.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_speaker_gives_links_after_the_cfp_closed(event, proposal, speaker):
    event.cfp_closes = event.cfp_opens + (event.cfp_closes - event.cfp_opens) / 100
    event.save()
    proposal.state = ProposalState.CONFIRMED
    proposal.save()

    saved = materials.save_materials(
        proposal=proposal,
        by=speaker,
        links=[{"title": "Code", "url": "https://example.org/code"}],
        attachments=[{"title": "Slides", "url": "https://example.org/slides.pdf"}],
        version=proposal.version,
    )

    assert saved.links == [{"title": "Code", "url": "https://example.org/code"}]
    assert saved.version == proposal.version + 1


def test_links_must_be_web_addresses(proposal, speaker):
    with pytest.raises(ServiceError, match="http"):
        materials.save_materials(
            proposal=proposal,
            by=speaker,
            links=[{"title": "x", "url": "javascript:alert(1)"}],
            attachments=[],
        )


def test_others_may_not_change_a_sessions_material(event, proposal, reviewer):
    stranger = factories.UserFactory()
    for user in (stranger, reviewer):
        with pytest.raises(NotAllowed):
            materials.save_materials(proposal=proposal, by=user, links=[], attachments=[])


def test_a_withdrawn_session_takes_no_slides_from_its_speaker(proposal, speaker):
    proposal.state = ProposalState.WITHDRAWN
    proposal.save()

    with pytest.raises(NotAllowed, match="no longer in the program"):
        materials.upload_slides(proposal=proposal, by=speaker, upload=_pdf())


def test_a_stale_material_edit_is_refused(proposal, speaker):
    with pytest.raises(StaleEdit):
        materials.save_materials(proposal=proposal, by=speaker, links=[], attachments=[], version=99)


def test_uploaded_slides_become_an_attachment(proposal, speaker, settings):
    saved = materials.upload_slides(proposal=proposal, by=speaker, upload=_pdf(), title="My slides")

    [item] = saved.attachments
    assert item["title"] == "My slides"
    assert item["url"].startswith(settings.BASE_URL + "/media/slides/")
    assert item["url"].endswith(".pdf")
    name = item["url"].removeprefix(settings.BASE_URL + settings.MEDIA_URL)
    with default_storage.open(name) as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"<script>alert(1)</script>", "not a PDF"), (b"%PDF-1.4 no end", "not a PDF")],
)
def test_only_pdfs_are_taken_as_slides(proposal, speaker, content, message):
    with pytest.raises(ServiceError, match=message):
        materials.upload_slides(proposal=proposal, by=speaker, upload=_pdf(content))
    proposal.refresh_from_db()
    assert proposal.attachments == []


def test_slides_over_the_limit_are_refused(proposal, speaker, monkeypatch):
    big = _pdf(PDF + b" " * 100)
    big.size = 21 * 1024 * 1024
    with pytest.raises(ServiceError, match="limit is 20 MB"):
        materials.upload_slides(proposal=proposal, by=speaker, upload=big)


def test_the_video_team_sets_a_recording(event, proposal):
    video_team = factories.team_member(event, can_schedule=True)

    saved = materials.set_recording(
        proposal=proposal,
        by=video_team,
        video_url="https://video.example.org/1",
        recording_license="CC BY 4.0",
    )

    assert (saved.video_url, saved.recording_license) == ("https://video.example.org/1", "CC BY 4.0")


def test_speakers_and_reviewers_do_not_set_recordings(proposal, speaker, reviewer):
    for user in (speaker, reviewer):
        with pytest.raises(NotAllowed):
            materials.set_recording(proposal=proposal, by=user, video_url="https://video.example.org/1")


def test_a_do_not_record_session_refuses_a_recording(proposal, organiser_user):
    proposal.do_not_record = True
    proposal.save()

    with pytest.raises(ServiceError, match="do not consent to recording") as refused:
        materials.set_recording(proposal=proposal, by=organiser_user, video_url="https://video.example.org/1")

    assert refused.value.field == "video_url"
    proposal.refresh_from_db()
    assert proposal.video_url == ""
    # Clearing stays possible.
    assert materials.set_recording(proposal=proposal, by=organiser_user, video_url="").video_url == ""


def test_the_organiser_edit_form_path_also_refuses_a_recording_of_a_do_not_record_session(
    proposal, organiser_user
):
    proposal.do_not_record = True
    proposal.save()

    with pytest.raises(ServiceError, match="do not consent to recording"):
        services.update_proposal(
            proposal=proposal,
            by=organiser_user,
            data={"video_url": "https://video.example.org/1"},
            version=proposal.version,
            as_organiser=True,
        )
    proposal.video_url = "https://video.example.org/1"
    proposal.do_not_record = False
    proposal.save()
    with pytest.raises(ServiceError, match="do not consent to recording"):
        services.update_proposal(
            proposal=proposal,
            by=organiser_user,
            data={"do_not_record": True},
            version=proposal.version,
            as_organiser=True,
        )
