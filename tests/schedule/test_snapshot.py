"""The release preview and snapshot: what publishing would change, without writing anything."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from podium.proposals.models import Proposal
from podium.schedule import services
from podium.schedule.snapshot import build_snapshot, preview_release
from tests import factories

pytestmark = pytest.mark.django_db


def at(event, hour):
    return dt.datetime.combine(event.date_from, dt.time(hour), tzinfo=event.tz)


def placed(event, room, hour, **kwargs):
    proposal = factories.ProposalFactory(event=event, state="confirmed", **kwargs)
    services.place_session(
        event=event, proposal=proposal, room=room, start=at(event, hour), version=0, by=None
    )
    return proposal


def test_preview_release_before_the_first_release_lists_everything_as_new(event):
    hall = event.rooms.first()
    first = placed(event, hall, 10)

    changes, changed = preview_release(event)

    assert ([(c["kind"], c["code"]) for c in changes], changed) == ([("new", first.code)], True)
    assert not event.releases.exists()


def test_preview_release_matches_what_publishing_then_records(event):
    hall = event.rooms.first()
    proposal = placed(event, hall, 10)
    services.publish_release(event=event, by=None)
    Proposal.objects.filter(pk=proposal.pk).update(title="Renamed")

    preview, changed = preview_release(event)
    release = services.publish_release(event=event, by=None)

    assert (preview, changed) == (release.changes, True)


@pytest.mark.parametrize(
    ("change", "label"),
    [
        ({"do_not_record": True}, "recording consent"),
        ({"subtitle": "Now with a subtitle"}, "subtitle"),
        ({"links": [{"title": "Slides", "url": "https://example.org/slides.pdf"}]}, "links and video"),
        ({"video_url": "https://example.org/video.mp4"}, "links and video"),
    ],
)
def test_a_release_that_only_changes_consent_subtitle_or_links_says_so(event, change, label):
    """Such a release has a new fingerprint; its changelog must not be empty (A/V crews read it)."""
    proposal = placed(event, event.rooms.first(), 10)
    services.publish_release(event=event, by=None)
    Proposal.objects.filter(pk=proposal.pk).update(**change)

    release = services.publish_release(event=event, by=None)

    assert [(c["kind"], c["code"], c["fields"]) for c in release.changes] == [
        ("changed", proposal.code, [label])
    ]


def test_preview_release_says_when_nothing_changed(event):
    placed(event, event.rooms.first(), 10)
    services.publish_release(event=event, by=None)

    assert preview_release(event) == ([], False)


def test_preview_release_writes_nothing_even_for_a_speaker_without_a_profile(event):
    speaker = factories.UserFactory()
    placed(event, event.rooms.first(), 10, speakers=[speaker])
    event.speaker_profiles.all().delete()

    with CaptureQueriesContext(connection) as queries:
        preview_release(event)

    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert not event.speaker_profiles.exists()


def test_build_snapshot_takes_a_constant_number_of_queries(event):
    hall, small = event.rooms.order_by("position")

    def count():
        with CaptureQueriesContext(connection) as queries:
            build_snapshot(event)
        return len(queries)

    placed(event, hall, 9, speakers=[factories.UserFactory(), factories.UserFactory()])
    few = count()
    for hour in range(10, 18):
        placed(event, small, hour, speakers=[factories.UserFactory()])
    assert count() == few
