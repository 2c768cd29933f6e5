"""Organisers edit what an imported session brings besides its program: recording consent, subtitle,
links and attachments as "title | url" lines, video, feedback and origin addresses (http(s) only)."""

import pytest
from django.urls import reverse

from podium.base.errors import ServiceError
from podium.proposals import services
from podium.proposals.models import Proposal
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(event):
    return factories.team_member(event, name="Program", can_edit_event=True)


def edit_url(proposal) -> str:
    return reverse("orga:proposal_edit", kwargs={"event": proposal.event.slug, "code": proposal.code})


def form_data(proposal, **extra) -> dict:
    return {
        "title": proposal.title,
        "abstract": proposal.abstract,
        "description": proposal.description,
        "session_type": proposal.session_type_id,
        "audience_level": "beginner",
        "language": "en",
        "version": proposal.version,
        **extra,
    }


def test_organiser_saves_consent_links_and_addresses(client, editor, proposal):
    client.force_login(editor)

    response = client.post(
        edit_url(proposal),
        form_data(
            proposal,
            subtitle="A subtitle",
            do_not_record="on",
            links="Slides | https://slides.example.org/a\nhttps://example.org/bare\n\n",
            attachments="Paper | https://example.org/paper.pdf",
            video_url="",
            feedback_url="https://example.org/feedback",
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    saved = Proposal.objects.get(pk=proposal.pk)
    assert saved.subtitle == "A subtitle"
    assert saved.do_not_record is True
    assert saved.links == [
        {"title": "Slides", "url": "https://slides.example.org/a"},
        {"title": "https://example.org/bare", "url": "https://example.org/bare"},
    ]
    assert saved.attachments == [{"title": "Paper", "url": "https://example.org/paper.pdf"}]
    assert (saved.video_url, saved.feedback_url) == ("", "https://example.org/feedback")


def test_a_session_not_to_be_recorded_refuses_a_video_address_on_the_form(client, editor, proposal):
    client.force_login(editor)

    response = client.post(
        edit_url(proposal),
        form_data(proposal, do_not_record="on", video_url="https://media.example.org/a.mp4"),
    )

    assert response.status_code == 200
    assert "do not consent to recording" in response.content.decode()
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.do_not_record, saved.video_url) == (False, "")


def test_the_form_shows_links_as_lines_again(client, editor, proposal):
    Proposal.objects.filter(pk=proposal.pk).update(
        links=[{"title": "Slides", "url": "https://slides.example.org/a"}], do_not_record=True
    )
    client.force_login(editor)

    html = client.get(edit_url(proposal)).content.decode()

    assert "Slides | https://slides.example.org/a" in html
    assert 'name="do_not_record"' in html


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("links", "Click | javascript:alert(1)"),
        ("attachments", "File | file:///etc/passwd"),
        ("links", "Relative | /talk/slides"),
        ("video_url", "javascript:alert(1)"),
        ("feedback_url", "ftp://example.org/feedback"),
    ],
)
def test_addresses_that_are_not_http_are_refused_and_nothing_is_saved(client, editor, proposal, field, value):
    client.force_login(editor)

    response = client.post(edit_url(proposal), form_data(proposal, title="Changed", **{field: value}))

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "http://" in str(response.context["form"].errors[field])
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.title, saved.links, saved.video_url) == (proposal.title, [], "")


def test_the_service_refuses_other_addresses_too(editor, proposal):
    with pytest.raises(ServiceError, match="http://") as caught:
        services.update_proposal(
            proposal=proposal,
            by=editor,
            data={"links": [{"title": "x", "url": "javascript:alert(1)"}]},
            version=proposal.version,
            as_organiser=True,
        )
    assert caught.value.field == "links"
    assert Proposal.objects.get(pk=proposal.pk).links == []


def test_speakers_cannot_set_organiser_fields(proposal, speaker):
    services.update_proposal(
        proposal=proposal, by=speaker, data={"do_not_record": True, "title": "Mine"}, version=proposal.version
    )
    saved = Proposal.objects.get(pk=proposal.pk)
    assert (saved.title, saved.do_not_record) == ("Mine", False)
