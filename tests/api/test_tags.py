import json

import pytest

from podium.proposals import tagging
from podium.proposals.models import Tag
from tests import factories
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


def _send(client, method, path, secret, body=None):
    return getattr(client, method)(
        path,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        **bearer(secret),
    )


def test_organisers_create_and_put_tags_on_proposals(client, event, organiser_user, proposal):
    secret = make_token(organiser_user, event, scope="write")
    base = f"/api/v1/orga/events/{event.slug}"

    created = _send(
        client, "post", f"{base}/tags", secret, {"name": "Security", "colour": "#aa0000", "public": True}
    )
    assert created.status_code == 201, created.content
    tag_id = created.json()["id"]
    put = _send(client, "put", f"{base}/proposals/{proposal.code}/tags", secret, {"tags": [tag_id]})
    assert put.json() == {"code": proposal.code, "tags": [tag_id]}

    listed = client.get(f"{base}/proposal-tags", **bearer(secret)).json()
    assert {"code": proposal.code, "tags": [tag_id]} in listed
    assert client.get(f"{base}/tags", **bearer(secret)).json()[0]["name"] == "Security"


def test_a_tag_of_another_event_is_not_found(client, event, organiser_user, proposal):
    other = Tag.objects.create(event=factories.EventFactory(), name="Theirs")
    secret = make_token(organiser_user, event, scope="write")

    response = _send(
        client,
        "put",
        f"/api/v1/orga/events/{event.slug}/proposals/{proposal.code}/tags",
        secret,
        {"tags": [other.pk]},
    )

    assert response.status_code == 404
    assert not proposal.tags.exists()


def test_a_read_token_may_not_write_and_reviewers_may_not_tag(
    client, event, organiser_user, reviewer, proposal
):
    tag = tagging.save_tag(event=event, by=None, name="Kept")
    reading = make_token(organiser_user, event)
    assert (
        _send(client, "delete", f"/api/v1/orga/events/{event.slug}/tags/{tag.pk}", reading).status_code == 403
    )

    writing = make_token(reviewer, event, scope="write")
    path = f"/api/v1/orga/events/{event.slug}/proposals/{proposal.code}/tags"
    assert _send(client, "put", path, writing, {"tags": [tag.pk]}).status_code == 403
    assert Tag.objects.filter(pk=tag.pk).exists()
    assert not proposal.tags.exists()


def test_tag_ids_must_be_numbers(client, event, organiser_user, proposal):
    secret = make_token(organiser_user, event, scope="write")
    path = f"/api/v1/orga/events/{event.slug}/proposals/{proposal.code}/tags"

    assert _send(client, "put", path, secret, {"tags": ["1"]}).status_code == 422


def test_a_recording_for_a_do_not_record_session_is_refused(client, event, organiser_user, proposal):
    proposal.do_not_record = True
    proposal.save()
    secret = make_token(organiser_user, event, scope="write")
    path = f"/api/v1/orga/events/{event.slug}/proposals/{proposal.code}/recording"

    refused = _send(client, "put", path, secret, {"video_url": "https://video.example.org/1"})

    assert refused.status_code == 400
    assert "do not consent" in refused.json()["detail"]
    proposal.do_not_record = False
    proposal.save()
    saved = _send(client, "put", path, secret, {"video_url": "https://video.example.org/1"})
    assert saved.json()["video_url"] == "https://video.example.org/1"
