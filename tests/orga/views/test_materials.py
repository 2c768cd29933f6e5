import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def _url(proposal):
    return reverse("orga:proposal_material", kwargs={"event": proposal.event.slug, "code": proposal.code})


def test_the_video_team_adds_a_recording(client, event, proposal):
    client.force_login(factories.team_member(event, can_schedule=True))

    response = client.post(_url(proposal), {"part": "recording", "video_url": "https://video.example.org/x",
                                            "recording_license": "CC BY", "version": proposal.version})  # fmt: skip

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.video_url == "https://video.example.org/x"


def test_a_do_not_record_session_says_so_and_refuses(client, event, proposal, organiser_user):
    proposal.do_not_record = True
    proposal.save()
    client.force_login(organiser_user)

    page = client.get(_url(proposal)).content.decode()
    assert "Not recorded" in page
    response = client.post(_url(proposal), {"part": "recording", "video_url": "https://video.example.org/x"})
    assert "do not consent to recording" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.video_url == ""


def test_organisers_upload_slides_and_edit_links(client, event, proposal, organiser_user):
    client.force_login(organiser_user)

    client.post(_url(proposal), {"part": "slides", "slides": SimpleUploadedFile("s.pdf", PDF), "title": ""})
    proposal.refresh_from_db()
    assert proposal.attachments[0]["title"] == "Slides"
    response = client.post(_url(proposal), {"part": "links", "links": "Repo | ftp://x", "attachments": ""})
    assert "http" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.links == []
    assert len(proposal.attachments) == 1


def test_reviewers_may_not_open_it(client, event, proposal, reviewer):
    client.force_login(reviewer)

    assert client.get(_url(proposal)).status_code == 403


def test_a_post_of_an_unknown_part_saves_nothing_and_shows_the_page(client, event, proposal, organiser_user):
    client.force_login(organiser_user)

    response = client.post(_url(proposal), {"part": "other", "links": "Repo | https://example.org/repo"})

    assert response.status_code == 200
    assert {"links_form", "slides_form", "recording_form"} <= set(response.context.keys())
    proposal.refresh_from_db()
    assert proposal.links == []
