"""The release's program read once (site.program_data): the answers the views' queries give."""

import pytest

from podium.schedule.queries import released_sessions
from podium.site import program_data

pytestmark = pytest.mark.django_db


def test_sessions_of_answers_as_released_sessions(program):
    event, release = program["event"], program["release"]
    data = program_data.load(event, release)
    assert len(data.days) == 2
    for day in [None, *data.days]:
        for room in [None, *(room["uuid"] for room in release.rooms)]:
            for track in [None, *(track["id"] for track in release.tracks)]:
                expected = released_sessions(release, day=day, track_id=track, room_uuid=room)
                chosen = data.sessions_of(day=day, track_id=track, room_uuid=room)
                assert [s.pk for s in chosen] == [s.pk for s in expected], (day, room, track)
    assert any(session.room_uuid is None for session in data.sessions)  # the lunch, in every room
