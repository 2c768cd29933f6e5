"""Warnings about the draft, with severities: each rule seen breaking and seen holding."""

import pytest

from podium.attendance.models import Star
from podium.events.models import RoomAvailability, SessionType
from podium.proposals.models import SpeakerAvailability
from podium.schedule import services
from podium.schedule.conflicts import find_conflicts
from podium.schedule.models import Slot
from tests import factories
from tests.program import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(event):
    return list(event.rooms.order_by("position"))


def placed(event, room, start, **kwargs):
    proposal = factories.ProposalFactory(event=event, state="confirmed", **kwargs)
    services.place_session(event=event, proposal=proposal, room=room, start=start, version=0, by=None)
    return proposal


def kinds(event):
    return [(c.severity, c.kind) for c in find_conflicts(event)]


def test_find_conflicts_of_a_clean_schedule_is_empty(event, rooms):
    placed(event, rooms[0], at(event, 10))
    placed(event, rooms[1], at(event, 10))

    assert find_conflicts(event) == []


def test_find_conflicts_sees_a_speaker_in_two_rooms_at_once(event, rooms):
    ada = factories.UserFactory(name="Ada Lovelace")
    first = placed(event, rooms[0], at(event, 10), title="Engines", speakers=[ada])
    second = placed(
        event, rooms[1], at(event, 10, 15), title="Looms", speakers=[factories.UserFactory(), ada]
    )
    placed(event, rooms[0], at(event, 10, 45), speakers=[ada])  # right after the second: fine

    (conflict,) = find_conflicts(event)

    assert (conflict.severity, conflict.kind, set(conflict.codes)) == (
        "error",
        "speaker_twice",
        {first.code, second.code},
    )
    assert "Ada Lovelace" in conflict.message
    assert "Engines" in conflict.message


def test_find_conflicts_sees_a_speaker_outside_their_availability(event, rooms):
    ada = factories.UserFactory(name="Ada")
    placed(event, rooms[0], at(event, 15), speakers=[ada])
    profile = event.speaker_profiles.get(user=ada)
    SpeakerAvailability.objects.create(profile=profile, start=at(event, 9), end=at(event, 12))
    SpeakerAvailability.objects.create(profile=profile, start=at(event, 12), end=at(event, 15, 15))

    assert kinds(event) == [("warning", "speaker_unavailable")]

    SpeakerAvailability.objects.create(profile=profile, start=at(event, 15, 15), end=at(event, 16))
    assert kinds(event) == []  # joined windows cover the session


def test_find_conflicts_sees_a_room_outside_its_availability(event, rooms):
    placed(event, rooms[0], at(event, 17))
    RoomAvailability.objects.create(room=rooms[0], start=at(event, 8), end=at(event, 17))

    assert kinds(event) == [("error", "room_unavailable")]


def test_find_conflicts_sees_sessions_outside_the_event_days(event, rooms):
    placed(event, rooms[0], at(event, 10, day=-1))
    placed(event, rooms[0], at(event, 2, day=1))  # 02:00 belongs to the first day (day starts at 04:00)
    placed(event, rooms[0], at(event, 10, day=3))

    assert kinds(event) == [("error", "outside_event"), ("error", "outside_event")]


def test_find_conflicts_sees_a_session_alongside_a_plenary_one(event, rooms):
    keynote_type = SessionType.objects.get(event=event, name="Keynote")
    placed(event, rooms[0], at(event, 9), session_type=keynote_type, title="Keynote")
    placed(event, rooms[1], at(event, 9, 30), title="Clash")
    placed(event, rooms[1], at(event, 10))  # after the keynote (09:00-09:45): fine

    conflicts = find_conflicts(event)

    assert [(c.kind, c.severity) for c in conflicts] == [("plenary_overlap", "error")]
    assert "“Clash” runs during the plenary “Keynote”" in conflicts[0].message


def test_find_conflicts_sees_a_session_under_a_break_in_every_room(event, rooms):
    proposal = placed(event, rooms[1], at(event, 12))
    # The services refuse this; data imported or edited elsewhere can still end up like it.
    Slot.objects.create(event=event, kind="break", title="Lunch", start=at(event, 12), end=at(event, 13))

    conflicts = find_conflicts(event)

    assert [(c.kind, c.codes) for c in conflicts] == [("break_overlap", (proposal.code,))]


def test_find_conflicts_notes_more_stars_than_seats_and_odd_lengths(event, rooms):
    popular = placed(event, rooms[1], at(event, 10))  # Room 101 seats 80
    for _ in range(81):
        Star.objects.create(event=event, user=factories.UserFactory(), proposal=popular)
    Slot.objects.filter(proposal=popular).update(end=at(event, 10, 45))

    assert kinds(event) == [("info", "length"), ("info", "over_capacity")]


def test_find_conflicts_orders_by_severity(event, rooms):
    ada = factories.UserFactory()
    placed(event, rooms[0], at(event, 10), speakers=[ada])
    placed(event, rooms[1], at(event, 10), speakers=[ada])
    SpeakerAvailability.objects.create(
        profile=event.speaker_profiles.get(user=ada), start=at(event, 14), end=at(event, 15)
    )

    assert [c.severity for c in find_conflicts(event)] == ["error", "warning", "warning"]


def test_find_conflicts_ignores_cancelled_sessions(event, rooms):
    ada = factories.UserFactory()
    placed(event, rooms[0], at(event, 10), speakers=[ada])
    gone = placed(event, rooms[1], at(event, 10), speakers=[ada])
    gone.state = "cancelled"
    gone.save()

    assert find_conflicts(event) == []
