import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from podium.proposals.enums import ProposalState
from tests import factories

pytestmark = pytest.mark.django_db


def _url(proposal):
    return reverse("cfp:material", kwargs={"event": proposal.event.slug, "code": proposal.code})


def test_a_speaker_uploads_slides_and_links_after_the_cfp(client, event, proposal, speaker):
    proposal.state = ProposalState.CONFIRMED
    proposal.save()
    event.cfp_closes = event.cfp_opens + (event.cfp_closes - event.cfp_opens) / 100
    event.save()
    client.force_login(speaker)
    assert (
        "Slides and links"
        in client.get(
            reverse("cfp:proposal", kwargs={"event": event.slug, "code": proposal.code})
        ).content.decode()
    )

    client.post(_url(proposal), {"part": "slides", "slides": SimpleUploadedFile("s.pdf", b"%PDF-1.7\n%%EOF")})
    response = client.post(
        _url(proposal),
        {"part": "links", "links": "Repo | https://example.org/repo", "attachments": "", "version": ""},
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.links == [{"title": "Repo", "url": "https://example.org/repo"}]
    assert proposal.attachments == []  # the speaker's list replaced the uploaded one


def test_a_file_that_is_not_a_pdf_is_refused_with_a_message(client, proposal, speaker):
    client.force_login(speaker)

    response = client.post(
        _url(proposal), {"part": "slides", "slides": SimpleUploadedFile("s.pdf", b"MZ\x90\x00")}
    )

    assert response.status_code == 200
    assert "not a PDF" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.attachments == []


def test_someone_elses_proposal_is_not_found(client, proposal):
    client.force_login(factories.UserFactory())

    assert client.get(_url(proposal)).status_code == 404


def test_a_do_not_record_session_shows_not_recorded(client, proposal, speaker):
    proposal.do_not_record = True
    proposal.save()
    client.force_login(speaker)

    assert "Not recorded" in client.get(_url(proposal)).content.decode()


def test_a_post_without_its_part_saves_the_links(client, proposal, speaker):
    client.force_login(speaker)

    response = client.post(_url(proposal), {"links": "Repo | https://example.org/repo", "attachments": ""})

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.links == [{"title": "Repo", "url": "https://example.org/repo"}]
    assert "recording_form" not in client.get(_url(proposal)).context
