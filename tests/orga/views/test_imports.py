"""The back-office import: upload, preview (a dry run), confirm; bad uploads get a clear error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from podium.proposals.models import Proposal
from podium.schedule.models import Release
from tests import factories
from tests.shared import SCHEDULE_DATA

MRMCD = SCHEDULE_DATA / "pretalx/mrmcd2019.schedule.xml"


@pytest.fixture(autouse=True)
def _private_staging(settings, tmp_path):
    settings.PODIUM_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def organiser(client, event):
    user = factories.team_member(event, name="Organisers", can_edit_event=True, can_schedule=True)
    client.force_login(user)
    return user


def upload(client, event, data: bytes, name="schedule.xml"):
    return client.post(
        reverse("orga:event_import", kwargs={"event": event.slug}),
        {"file": SimpleUploadedFile(name, data), "format": ""},
    )


def test_event_import_preview_then_apply(client, event, organiser):
    page = client.get(reverse("orga:event_import", kwargs={"event": event.slug}))
    assert page.status_code == 200
    assert b"Preview the import" in page.content

    preview = upload(client, event, MRMCD.read_bytes())
    assert preview.status_code == 200
    assert "Dry run (nothing was saved)" in preview.content.decode()
    assert "sessions: 37 created" in preview.content.decode()
    assert not Proposal.objects.filter(event=event).exists()

    token = preview.context["apply_form"].initial["token"]
    done = client.post(
        reverse("orga:event_import_apply", kwargs={"event": event.slug}), {"token": token, "format": ""}
    )
    assert done.status_code == 200
    assert "Published as release v1" in done.content.decode()
    assert Proposal.objects.filter(event=event).count() == 37
    assert Release.objects.filter(event=event).count() == 1

    replay = client.post(
        reverse("orga:event_import_apply", kwargs={"event": event.slug}), {"token": token, "format": ""}
    )
    assert replay.status_code == 400
    assert "upload the file again" in replay.content.decode()


def test_event_import_bad_file_shows_a_clear_error(client, event, organiser):
    response = upload(client, event, b"\x00\x01binary\xff" * 20, name="schedule.pdf")
    assert response.status_code == 400
    assert "binary" in response.content.decode()
    assert not Proposal.objects.filter(event=event).exists()


def test_event_import_oversize_file_is_refused(client, event, organiser, settings):
    settings.PODIUM_IMPORT_MAX_BYTES = 100
    response = upload(client, event, MRMCD.read_bytes())
    assert response.status_code == 400
    assert "limited to" in response.content.decode()


def test_event_import_forged_token_is_refused(client, event, organiser):
    response = client.post(
        reverse("orga:event_import_apply", kwargs={"event": event.slug}), {"token": "../../etc/passwd"}
    )
    assert response.status_code == 400
    assert "upload the file again" in response.content.decode()


def test_event_import_needs_edit_permission(client, event):
    client.force_login(factories.team_member(event, name="Reviewers", can_review=True))
    response = client.get(reverse("orga:event_import", kwargs={"event": event.slug}))
    assert response.status_code in (403, 404)
