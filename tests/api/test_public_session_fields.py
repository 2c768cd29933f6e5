"""The public API's sessions carry what an imported session brings: its source guid, recording
consent, subtitle, links, attachments, video and feedback addresses (from the release)."""

import pytest

from podium.proposals.models import Proposal
from tests import program

pytestmark = pytest.mark.django_db

API = "/api/v1"


def test_session_carries_guid_consent_and_links_from_the_release(client, published, scheduler):
    event, first, second = published["event"], published["first"], published["second"]
    Proposal.objects.filter(pk=first.pk).update(
        guid="q83vEjRWeJASNFZ4kBI0Vg",
        subtitle="Short",
        do_not_record=True,
        links=[{"title": "Slides", "url": "https://example.org/slides"}],
        video_url="https://media.example.org/v.mp4",
    )
    program.release(event, scheduler)

    body = client.get(f"{API}/events/{event.slug}/sessions/{first.code}").json()
    plain = client.get(f"{API}/events/{event.slug}/sessions/{second.code}").json()

    assert body["guid"] == "q83vEjRWeJASNFZ4kBI0Vg"
    assert (body["subtitle"], body["do_not_record"]) == ("Short", True)
    assert body["links"] == [{"title": "Slides", "url": "https://example.org/slides"}]
    assert (body["attachments"], body["video_url"]) == ([], "https://media.example.org/v.mp4")
    assert plain["guid"] == plain["slot_uuid"]
    assert (plain["do_not_record"], plain["links"]) == (False, [])
