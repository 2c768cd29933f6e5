"""Warnings about the draft, with severities: each rule seen breaking and seen holding."""

import pytest

from podium.attendance.models import Star
from podium.events import services as event_services
from podium.events.models import RoomAvailability, SessionType
from podium.proposals.models import SpeakerAvailability
from podium.schedule import services
from podium.schedule.conflicts import NO_ROOM, find_conflicts
from podium.schedule.models import Slot
from tests import factories
from tests.program import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def rooms(event):
    return list(event.rooms.order_by("position"))


def placed(event, room, start, **kwargs):
    kwargs.setdefault("track", None)  # tracks only where a test is about them
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
    placed(event, rooms[0], at(event, 10, 45), speakers=[ada])  # right after the second: fine (no pause)

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


def test_find_conflicts_sees_a_session_in_a_room_unsuited_to_its_type(event, rooms):
    tutorial_type = SessionType.objects.get(event=event, name="Tutorial")
    tutorial_type.rooms.set([rooms[1]])
    misplaced = placed(event, rooms[0], at(event, 9), session_type=tutorial_type, title="Pandas")
    placed(event, rooms[1], at(event, 9), session_type=tutorial_type)  # in its room: fine
    placed(event, rooms[0], at(event, 14))  # a talk, whose type may use any room: fine

    (conflict,) = find_conflicts(event)

    assert (conflict.severity, conflict.kind, conflict.codes) == (
        "error",
        "unsuitable_room",
        (misplaced.code,),
    )
    assert conflict.message == "“Pandas” is a Tutorial in Hall A; Tutorial sessions belong in Room 101."


def test_find_conflicts_warns_of_a_pause_shorter_than_the_event_asks(event, rooms):
    event_services.update_event(event=event, by=None, data={"min_pause_minutes": 15})
    ada = factories.UserFactory(name="Ada")
    first = placed(event, rooms[0], at(event, 10), title="Engines", speakers=[ada])  # until 10:30
    second = placed(event, rooms[1], at(event, 10, 40), title="Looms", speakers=[ada])
    placed(event, rooms[0], at(event, 11, 25), speakers=[ada])  # 15 minutes after the second: fine
    placed(event, rooms[0], at(event, 10, 40, day=1), speakers=[ada])  # another day: fine

    (conflict,) = find_conflicts(event)

    assert (conflict.severity, conflict.kind, set(conflict.codes)) == (
        "warning",
        "speaker_pause",
        {first.code, second.code},
    )
    assert conflict.message.startswith("Ada has 10 minutes between “Engines” (until ")
    assert conflict.message.endswith("the event asks for at least 15.")


def test_find_conflicts_reports_an_overlap_as_an_error_only_whatever_the_pause(event, rooms):
    event_services.update_event(event=event, by=None, data={"min_pause_minutes": 30})
    ada = factories.UserFactory()
    placed(event, rooms[0], at(event, 10), speakers=[ada])
    placed(event, rooms[1], at(event, 10, 15), speakers=[ada])

    assert kinds(event) == [("error", "speaker_twice")]


def test_find_conflicts_without_a_pause_lets_a_speaker_go_back_to_back(event, rooms):
    ada = factories.UserFactory()
    placed(event, rooms[0], at(event, 10), speakers=[ada])
    placed(event, rooms[1], at(event, 10, 30), speakers=[ada])

    assert find_conflicts(event) == []


def test_find_conflicts_notes_a_session_outside_its_speakers_preferred_time(event, rooms):
    ada = factories.UserFactory(name="Ada")
    early = placed(event, rooms[0], at(event, 9), title="Early", speakers=[ada])
    placed(event, rooms[0], at(event, 14), speakers=[ada])
    profile = event.speaker_profiles.get(user=ada)
    SpeakerAvailability.objects.create(
        profile=profile, start=at(event, 13), end=at(event, 18), preferred=True
    )

    (conflict,) = find_conflicts(event)  # preferred windows alone do not make Ada unavailable at 09:00

    assert (conflict.severity, conflict.kind, conflict.codes) == ("info", "speaker_preference", (early.code,))
    day = at(event, 13).strftime("%a")
    assert conflict.message == (
        f"“Early” ({day} 09:00) is outside the times Ada would rather speak: {day} 13:00–18:00."
    )


def test_find_conflicts_limits_by_the_windows_that_are_not_preferred(event, rooms):
    ada = factories.UserFactory()
    placed(event, rooms[0], at(event, 15), speakers=[ada])
    profile = event.speaker_profiles.get(user=ada)
    SpeakerAvailability.objects.create(profile=profile, start=at(event, 9), end=at(event, 12))
    SpeakerAvailability.objects.create(
        profile=profile, start=at(event, 15), end=at(event, 16), preferred=True
    )

    assert kinds(event) == [("warning", "speaker_unavailable")]


def test_find_conflicts_warns_of_a_track_running_against_itself(event, rooms):
    web = event.tracks.get(name="Web")
    first = placed(event, rooms[0], at(event, 10), track=web, title="Forms")
    second = placed(event, rooms[1], at(event, 10, 15), track=web, title="Views")
    placed(event, rooms[1], at(event, 10, 15, day=1), track=event.tracks.get(name="Data"))
    placed(event, rooms[0], at(event, 10, day=1), track=None)

    conflicts = find_conflicts(event)

    assert [(c.severity, c.kind, c.codes) for c in conflicts] == [
        ("warning", "track_clash", (first.code, second.code)),
        ("info", "track_rooms", (second.code,)),
    ]
    assert conflicts[0].message.startswith("The track Web runs against itself at ")
    assert conflicts[0].message.endswith(": “Forms” (Hall A), “Views” (Room 101).")
    assert conflicts[1].message.endswith(
        "uses 2 rooms on " + at(event, 10).strftime("%a %d %b") + ": "
        "Hall A (1), Room 101 (1); it could stay in Hall A."
    )


def test_find_conflicts_notes_a_track_changing_rooms_within_a_day_only(event, rooms):
    web = event.tracks.get(name="Web")
    placed(event, rooms[0], at(event, 10), track=web)
    placed(event, rooms[0], at(event, 11), track=web)
    moved = placed(event, rooms[1], at(event, 14), track=web)
    placed(event, rooms[1], at(event, 10, day=1), track=web)  # another day, another room: fine

    assert [(c.kind, c.codes) for c in find_conflicts(event)] == [("track_rooms", (moved.code,))]


def _conflict_queries(event) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        find_conflicts(event)
    return len(queries)


def test_find_conflicts_queries_do_not_grow_with_the_program(event, rooms):
    tutorial_type = SessionType.objects.get(event=event, name="Tutorial")
    tutorial_type.rooms.set([rooms[1]])
    placed(event, rooms[0], at(event, 10), track=event.tracks.get(name="Web"))
    few = _conflict_queries(event)
    for n in range(6):
        placed(event, rooms[n % 2], at(event, 11 + n), track=event.tracks.get(name="Web"))
    placed(event, rooms[0], at(event, 9, day=1), session_type=tutorial_type)

    assert _conflict_queries(event) == few


def test_find_conflicts_warns_about_a_session_in_the_room_not_given(event, rooms):
    placeholder = event.rooms.create(name=NO_ROOM, position=9)
    overflow = event.rooms.create(name=f"{NO_ROOM} 2", position=10)
    first = placed(event, placeholder, at(event, 10), title="Opening")
    second = placed(event, overflow, at(event, 10), title="Workshop")
    placed(event, rooms[0], at(event, 10))
    placed(event, event.rooms.create(name=f"{NO_ROOM} here", position=11), at(event, 12))  # a real room

    flagged = [c for c in find_conflicts(event) if c.kind == "room_not_given"]

    assert [(c.severity, c.codes) for c in flagged] == [
        ("warning", (first.code,)),
        ("warning", (second.code,)),
    ]
    assert "“Opening” is in Room not given" in flagged[0].message
