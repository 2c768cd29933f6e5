"""Automatic scheduling of an event's draft: the instance built from it and the plan applied."""

import re

import pytest

from podium.attendance.models import Star
from podium.base.errors import ServiceError
from podium.events.models import RoomAvailability
from podium.proposals import services as proposals
from podium.proposals.models import SpeakerAvailability
from podium.schedule import services
from podium.schedule.conflicts import ERROR, find_conflicts
from podium.schedule.models import Slot
from podium.scheduling import solving
from podium.scheduling.solver import Solution, load_instance
from podium.scheduling.solver.instance import DEFAULT_WEIGHTS
from tests import factories
from tests.program import at, lunch, placed_talk, room, small_program, talk
from tests.scheduling.solver import instances as raw
from tests.scheduling.solver.checker import violations

pytestmark = pytest.mark.django_db

TIME_LIMIT = 0.5


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


def _slot(event, hour, minute=0, day=0) -> str:
    return solving.slot_id(at(event, hour, minute, day=day), event)


def _session(instance, proposal) -> dict:
    return next(entry for entry in instance["sessions"] if entry["id"] == proposal.code)


def _rooms(instance) -> dict:
    return {entry["id"]: entry for entry in instance["rooms"]}


def _places(event) -> list[tuple]:
    return list(event.slots.order_by("pk").values_list("pk", "room_id", "start", "end", "version"))


def test_build_instance_of_a_factory_event_loads(event, scheduler):
    first = talk(event, "Forms")
    keynote = talk(event, "Opening", session_type=event.session_types.get(name="Keynote"))
    fan = factories.UserFactory()
    Star.objects.create(event=event, user=fan, proposal=first)

    instance = solving.build_instance(event)
    loaded = load_instance(instance)

    assert solving.step_minutes(event) == 15
    assert len(loaded.slots) == 3 * 36  # three days of 09:00-18:00 in 15-minute steps
    assert instance["slots"][0] == {
        "id": _slot(event, 9),
        "start": _slot(event, 9),
        "minutes": 15,
        "day": str(event.date_from),
    }
    assert (_session(instance, first)["slots"], _session(instance, keynote)["slots"]) == (2, 3)
    assert _session(instance, keynote)["plenary"] is True
    assert _session(instance, first)["audience"] == 2  # one star, times 1.6, rounded
    assert _session(instance, first)["speakers"] == [
        solving.person_id(u) for u in first.speakers.values_list("pk", flat=True)
    ]
    assert instance["attendees"] == [{"id": solving.person_id(fan.pk), "starred": [first.code]}]
    assert _rooms(instance)[solving.room_id(room(event, "Room 101"))]["capacity"] == 80


def test_build_instance_limits_sessions_to_their_speakers_availability(event):
    limited = talk(event, "Limited")
    free = talk(event, "Free")
    profile = event.speaker_profiles.get(user=limited.speakers.first())
    SpeakerAvailability.objects.create(profile=profile, start=at(event, 10), end=at(event, 11))
    SpeakerAvailability.objects.create(profile=profile, start=at(event, 11), end=at(event, 11, 30))

    instance = solving.build_instance(event)

    assert _session(instance, limited)["allowed"] == [
        _slot(event, 10, minute) for minute in (0, 15, 30, 45)
    ] + [_slot(event, 11, 0), _slot(event, 11, 15)]
    assert _session(instance, free)["allowed"] == "all"
    load_instance(instance)


def test_build_instance_keeps_pinned_places_as_pins(event, scheduler):
    pinned = placed_talk(event, "Pinned", "Room 101", at(event, 10, day=1), scheduler)
    Slot.objects.filter(proposal=pinned).update(pinned=True)
    loose = placed_talk(event, "Loose", "Hall A", at(event, 10, day=1), scheduler)
    where = {"slot": _slot(event, 10, day=1), "room": solving.room_id(room(event, "Room 101"))}

    kept = solving.build_instance(event)
    freed = solving.build_instance(event, keep_pinned=False)

    assert _session(kept, pinned)["pinned"] == where
    assert _session(kept, loose)["pinned"] is None
    assert _session(freed, pinned)["pinned"] is None
    assert {"session": pinned.code, **where} in freed["current"]
    assert len(kept["current"]) == 2
    load_instance(kept)


def test_build_instance_closes_every_room_during_a_break_in_every_room(event, scheduler):
    lunch(event, scheduler)

    instance = solving.build_instance(event)

    noon = [_slot(event, 12, minute) for minute in (0, 15, 30, 45)]
    ids = [entry["id"] for entry in instance["slots"]]
    assert ids[ids.index(_slot(event, 11, 45)) : ids.index(_slot(event, 13)) + 1] == [
        _slot(event, 11, 45),
        *noon,
        _slot(event, 13),
    ]  # kept on the grid, so a pause counts the minutes of the break
    assert [room["unavailable"] for room in instance["rooms"]] == [noon, noon]
    load_instance(instance)


def test_build_instance_marks_room_breaks_and_room_windows_unavailable(event, scheduler):
    hall, small = room(event, "Hall A"), room(event, "Room 101")
    services.save_break(
        event=event, by=scheduler, title="Cleaning", room=hall, start=at(event, 14), end=at(event, 14, 30)
    )
    RoomAvailability.objects.create(room=small, start=at(event, 9), end=at(event, 18, day=2))
    RoomAvailability.objects.create(room=small, start=at(event, 9), end=at(event, 10))  # overlapping windows

    rooms = _rooms(solving.build_instance(event))

    assert rooms[solving.room_id(hall)]["unavailable"] == [_slot(event, 14), _slot(event, 14, 15)]
    assert rooms[solving.room_id(small)]["unavailable"] == []
    RoomAvailability.objects.filter(room=small).delete()
    RoomAvailability.objects.create(room=small, start=at(event, 9), end=at(event, 18))
    unavailable = _rooms(solving.build_instance(event))[solving.room_id(small)]["unavailable"]
    assert len(unavailable) == 2 * 36  # only the first day is open
    assert _slot(event, 9, day=1) in unavailable


def test_the_engine_never_places_a_session_in_a_room_not_given(event, scheduler):
    """A "Room not given" room (sessions an import had no room for) is closed at every time."""
    placeholder = event.rooms.create(name="Room not given 2", capacity=500, position=99)
    talk(event, "Needs a room")

    rooms = _rooms(solving.build_instance(event))

    assert len(rooms[solving.room_id(placeholder)]["unavailable"]) == 3 * 36  # every slot of every day
    assert all(
        not entry["unavailable"] for key, entry in rooms.items() if key != solving.room_id(placeholder)
    )
    _, solution, _ = solving.plan(event=event, time_limit=TIME_LIMIT, mode="fill")
    report = solving.apply_solution(event=event, solution=solution, by=scheduler)
    assert report.left_out == []
    assert not event.slots.filter(room=placeholder).exists()
    assert event.slots.filter(proposal__title="Needs a room", start__isnull=False).exists()


@pytest.mark.parametrize("pinned", [False, True])
def test_a_session_an_import_left_in_a_room_not_given_stays_there_in_fill_mode(event, scheduler, pinned):
    """Fill keeps what is placed; the room stays open only where its own session sits."""
    placeholder = event.rooms.create(name="Room not given", capacity=500, position=99)
    roomless = talk(event, "Imported without a room")
    services.place_session(
        event=event, proposal=roomless, room=placeholder, start=at(event, 10), version=0, by=None
    )
    Slot.objects.filter(proposal=roomless).update(pinned=pinned)
    talk(event, "Another")

    _, solution, _ = solving.plan(event=event, time_limit=TIME_LIMIT, mode="fill")
    report = solving.apply_solution(event=event, solution=solution, by=scheduler)

    assert (report.moved, report.left_out) == ([], [])
    assert Slot.objects.get(proposal=roomless).room == placeholder
    assert list(event.slots.filter(room=placeholder).values_list("proposal__title", flat=True)) == [
        "Imported without a room"
    ]


def test_build_instance_leaves_off_grid_sessions_in_place_as_obstacles(event, scheduler):
    odd = placed_talk(event, "Odd start", "Hall A", at(event, 10, 10), scheduler)
    colleague = talk(event, "Same speaker", speakers=[odd.speakers.first()])

    instance = solving.build_instance(event)

    assert odd.code not in {entry["id"] for entry in instance["sessions"]}
    hall = _rooms(instance)[solving.room_id(room(event, "Hall A"))]
    assert hall["unavailable"] == [_slot(event, 10), _slot(event, 10, 15), _slot(event, 10, 30)]
    allowed = _session(instance, colleague)["allowed"]
    assert _slot(event, 10, 15) not in allowed
    assert _slot(event, 9, 45) in allowed  # a start there runs into 10:10, which the engine rules out
    load_instance(instance)


def test_apply_solution_places_every_session_without_conflicts(event, scheduler):
    talks, pinned = small_program(event, scheduler)
    pinned_place = _places(event)

    instance, solution, preview = solving.plan(event=event, time_limit=TIME_LIMIT, mode="fill")
    report = solving.apply_solution(event=event, solution=solution, by=scheduler)

    assert len(instance["sessions"]) == 7
    assert sorted(report.placed) == sorted(t.code for t in talks) == sorted(preview.placed)
    assert (report.moved, report.unchanged, report.left_out) == ([], [pinned.code], [])
    assert Slot.objects.filter(event=event, start__isnull=False).count() == 7
    assert [c for c in find_conflicts(event) if c.severity == ERROR] == []
    shared = Slot.objects.filter(proposal__title__startswith="Shared").order_by("start")
    assert shared[0].end <= shared[1].start
    assert Slot.objects.get(proposal=pinned).start == at(event, 11)
    assert _places(event)[0] == pinned_place[0]


def test_apply_solution_second_fill_run_changes_nothing(event, scheduler):
    small_program(event, scheduler)
    solving.apply_solution(event=event, solution=solving.plan(event=event, time_limit=TIME_LIMIT)[1], by=None)
    before = _places(event)

    _, solution, _ = solving.plan(event=event, time_limit=TIME_LIMIT, mode="fill", seed=3)
    report = solving.apply_solution(event=event, solution=solution, by=scheduler)

    assert (report.placed, report.moved, len(report.unchanged)) == ([], [], 7)
    assert _places(event) == before


def test_apply_solution_replan_of_a_valid_plan_changes_nothing(event, scheduler):
    small_program(event, scheduler)
    solving.apply_solution(event=event, solution=solving.plan(event=event, time_limit=TIME_LIMIT)[1], by=None)
    before = _places(event)

    _, solution, preview = solving.plan(event=event, time_limit=TIME_LIMIT, mode="replan")
    report = solving.apply_solution(event=event, solution=solution, by=scheduler)

    assert (preview.moved, report.moved, report.placed) == ([], [], [])
    assert _places(event) == before


def test_apply_solution_moves_sessions_a_replan_changes(event, scheduler):
    first = placed_talk(event, "First", "Hall A", at(event, 10), scheduler)
    second = placed_talk(event, "Second", "Room 101", at(event, 10), scheduler)
    solution = Solution(
        assignments=[
            {
                "session": second.code,
                "slot": _slot(event, 10),
                "room": solving.room_id(room(event, "Hall A")),
            },
            {
                "session": first.code,
                "slot": _slot(event, 10),
                "room": solving.room_id(room(event, "Room 101")),
            },
        ],
        unscheduled=[],
        objective={},
        stats={},
    )

    report = solving.apply_solution(event=event, solution=solution, by=scheduler)

    assert sorted(report.moved) == sorted([first.code, second.code])
    assert Slot.objects.get(proposal=first).room == room(event, "Room 101")
    assert Slot.objects.get(proposal=second).room == room(event, "Hall A")


def test_apply_solution_refusal_rolls_everything_back(event, scheduler):
    first, second = talk(event, "First"), talk(event, "Second")
    hall = solving.room_id(room(event, "Hall A"))
    solution = Solution(
        assignments=[
            {"session": first.code, "slot": _slot(event, 10), "room": hall},
            {"session": second.code, "slot": _slot(event, 10, 15), "room": hall},
        ],
        unscheduled=[],
        objective={},
        stats={},
    )

    with pytest.raises(
        ServiceError, match=r"Could not place “Second”: Hall A is taken .*Nothing was changed"
    ):
        solving.apply_solution(event=event, solution=solution, by=scheduler)
    assert not Slot.objects.filter(event=event, start__isnull=False).exists()


def test_plan_refuses_an_event_without_sessions(event):
    with pytest.raises(ServiceError, match="no accepted or confirmed sessions"):
        solving.plan(event=event, time_limit=TIME_LIMIT)


def _build_queries(event) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        solving.build_instance(event)
    return len(queries)


def test_build_instance_queries_do_not_grow_with_thesmall_program(event, scheduler):
    placed_talk(event, "Placed", "Hall A", at(event, 10), scheduler)
    talk(event, "Loose")
    few = _build_queries(event)
    for n in range(6):
        placed_talk(event, f"More {n}", "Room 101", at(event, 9 + n), scheduler)
        talk(event, f"Loose {n}")

    assert _build_queries(event) == few


def test_build_instance_maps_places_in_a_time_zone_ahead_of_utc(db):
    event = factories.EventFactory(timezone="Pacific/Auckland")
    member = factories.team_member(event, can_schedule=True)
    noon = placed_talk(event, "Across UTC midnight", "Hall A", at(event, 12, 45), member)

    instance = solving.build_instance(event)

    assert {
        "session": noon.code,
        "slot": _slot(event, 12, 45),
        "room": solving.room_id(room(event, "Hall A")),
    } in (instance["current"])


def test_apply_solution_refuses_a_plan_naming_a_room_the_event_lacks(event, scheduler):
    first = talk(event, "First")
    solution = Solution(
        assignments=[{"session": first.code, "slot": _slot(event, 10), "room": "room-0"}],
        unscheduled=[],
        objective={},
        stats={},
    )

    with pytest.raises(ServiceError, match=r"no longer has as a schedulable session and room; plan again"):
        solving.apply_solution(event=event, solution=solution, by=scheduler)
    assert not Slot.objects.filter(event=event).exists()


# --- The event's rules in the instance -------------------------------------------------------------


def test_build_instance_keeps_sessions_to_the_rooms_suited_to_their_type(event):
    tutorial_type = event.session_types.get(name="Tutorial")
    hall, small = room(event, "Hall A"), room(event, "Room 101")
    tutorial_type.rooms.set([small])
    tutorial = talk(event, "Pandas", session_type=tutorial_type)
    forms = talk(event, "Forms")

    instance = solving.build_instance(event)

    tag = f"type-{tutorial_type.pk}"
    assert (
        _rooms(instance)[solving.room_id(hall)]["tags"],
        _rooms(instance)[solving.room_id(small)]["tags"],
    ) == (
        [],
        [tag],
    )
    assert (_session(instance, tutorial)["room_tags"], _session(instance, forms)["room_tags"]) == ([tag], [])
    load_instance(instance)


def test_plan_places_a_session_only_in_a_room_suited_to_its_type(event, scheduler):
    tutorial_type = event.session_types.get(name="Tutorial")
    tutorial_type.rooms.set([room(event, "Room 101")])  # the smaller room: the audience would pick the hall
    tutorial = talk(event, "Pandas", session_type=tutorial_type)
    for _ in range(40):
        Star.objects.create(event=event, user=factories.UserFactory(), proposal=tutorial)

    _, solution, _ = solving.plan(event=event, time_limit=TIME_LIMIT)

    assert [item["room"] for item in solution.assignments] == [solving.room_id(room(event, "Room 101"))]


@pytest.mark.parametrize(("minutes", "slots"), [(0, 0), (10, 1), (15, 1), (20, 2), (240, 16)])
def test_build_instance_rounds_the_minimum_pause_up_to_whole_steps(event, minutes, slots):
    event.min_pause_minutes = minutes
    event.save()
    talk(event, "Forms")

    assert solving.build_instance(event)["min_pause_slots"] == slots


def test_build_instance_keeps_the_pause_around_a_session_that_stays_off_the_grid(event, scheduler):
    event.min_pause_minutes = 20
    event.save()
    odd = placed_talk(event, "Odd start", "Hall A", at(event, 10, 10), scheduler)  # 10:10-10:40
    colleague = talk(event, "Same speaker", speakers=[odd.speakers.first()])

    allowed = _session(solving.build_instance(event), colleague)["allowed"]

    # The speaker is busy from 09:50 (20 minutes before) to 11:00 (20 minutes after).
    assert [_slot(event, 9, 30) in allowed, _slot(event, 9, 45) in allowed] == [True, False]
    assert [_slot(event, 10, 45) in allowed, _slot(event, 11) in allowed] == [False, True]


def test_build_instance_prefers_the_steps_inside_every_speakers_preferred_windows(event):
    ada, bob, cy = factories.UserFactory(), factories.UserFactory(), factories.UserFactory()
    shared = talk(event, "Shared", speakers=[ada, bob, cy])  # cy gave no preference
    free = talk(event, "Free")
    for user, (start, end) in ((ada, (9, 12)), (bob, (11, 14))):
        profile = event.speaker_profiles.get(user=user)
        SpeakerAvailability.objects.create(
            profile=profile, start=at(event, start), end=at(event, end), preferred=True
        )

    instance = solving.build_instance(event)

    assert _session(instance, shared)["preferred"] == [_slot(event, 11, minute) for minute in (0, 15, 30, 45)]
    assert _session(instance, shared)["allowed"] == "all"  # preferred windows alone limit nothing
    assert "preferred" not in _session(instance, free)
    load_instance(instance)


def test_build_instance_limits_by_the_windows_that_are_not_preferred(event):
    limited = talk(event, "Limited")
    profile = event.speaker_profiles.get(user=limited.speakers.first())
    SpeakerAvailability.objects.create(profile=profile, start=at(event, 10), end=at(event, 11))
    SpeakerAvailability.objects.create(
        profile=profile, start=at(event, 10, 30), end=at(event, 11), preferred=True
    )

    entry = _session(solving.build_instance(event), limited)

    assert entry["allowed"] == [_slot(event, 10, minute) for minute in (0, 15, 30, 45)]
    assert entry["preferred"] == [_slot(event, 10, 30), _slot(event, 10, 45)]


# --- The instance and the conflict list agree --------------------------------------------------------

CHECKER_RULES = [
    (re.compile(r"(\S+) and (\S+) need the same speaker at once"), "speaker"),
    (re.compile(r"(\S+) runs outside its allowed slots"), "speaker_availability"),
    (re.compile(r"(\S+) uses \S+ when it is unavailable"), "room_availability"),
    (re.compile(r"(\S+) is in a room without its tags"), "room_tags"),
    (re.compile(r"(\S+) and (\S+) run at once although one is plenary"), "plenary"),
]
CONFLICT_RULES = {
    "speaker_twice": "speaker",
    "speaker_pause": "speaker",
    "speaker_unavailable": "speaker_availability",
    "room_unavailable": "room_availability",
    "unsuitable_room": "room_tags",
    "plenary_overlap": "plenary",
}


def _checker_breaches(instance) -> set:
    """(rule, session codes) for every hard rule the draft (the instance's `current`) breaks."""
    plenary = {entry["id"] for entry in instance["sessions"] if entry["plenary"]}
    solution = {"assignments": instance["current"], "unscheduled": []}
    breaches = set()
    for problem in violations(instance, solution):
        rule, codes = next(
            (rule, set(m.groups())) for pattern, rule in CHECKER_RULES if (m := pattern.fullmatch(problem))
        )
        if rule == "plenary":
            codes -= plenary  # the conflict list names the session that runs alongside the plenary one
        breaches.add((rule, frozenset(codes)))
    return breaches


def _conflict_breaches(event) -> set:
    return {
        (CONFLICT_RULES[c.kind], frozenset(c.codes))
        for c in find_conflicts(event)
        if c.kind in CONFLICT_RULES
    }


def test_instance_and_conflicts_agree_on_every_hard_rule_the_draft_breaks(event, scheduler):
    event.min_pause_minutes = 15
    event.save()
    tutorial_type = event.session_types.get(name="Tutorial")
    tutorial_type.rooms.set([room(event, "Room 101")])
    side = event.rooms.create(name="Room 202", capacity=40, position=2)
    RoomAvailability.objects.create(room=side, start=at(event, 9), end=at(event, 18))  # the first day only
    ada, bob, cy = factories.UserFactory(), factories.UserFactory(), factories.UserFactory()
    SpeakerAvailability.objects.create(
        profile=event.speaker_profiles.create(user=cy),
        start=at(event, 9, day=1),
        end=at(event, 12, day=1),
    )

    def put(title, room_name, start, **kwargs):
        return placed_talk(event, title, room_name, start, scheduler, track_name="Web", **kwargs)

    twice = [
        put("Twice A", "Hall A", at(event, 10), speakers=[ada]),
        put("Twice B", "Room 101", at(event, 10, 15), speakers=[ada]),
    ]
    close = [
        put("Close A", "Hall A", at(event, 14), speakers=[bob]),
        put("Close B", "Room 101", at(event, 14, 30), speakers=[bob]),
    ]
    unavailable_speaker = put("Afternoon", "Hall A", at(event, 15, day=1), speakers=[cy])
    unavailable_room = put("Side room", "Room 202", at(event, 10, day=1))
    unsuitable = put("Tutorial", "Hall A", at(event, 9, day=1), session_type=tutorial_type)
    put("Keynote", "Hall A", at(event, 9, day=2), session_type=event.session_types.get(name="Keynote"))
    alongside = put("Alongside", "Room 101", at(event, 9, 15, day=2))
    put("Fine", "Room 101", at(event, 16, day=1))  # breaks nothing

    expected = {
        ("speaker", frozenset(p.code for p in twice)),
        ("speaker", frozenset(p.code for p in close)),
        ("speaker_availability", frozenset({unavailable_speaker.code})),
        ("room_availability", frozenset({unavailable_room.code})),
        ("room_tags", frozenset({unsuitable.code})),
        ("plenary", frozenset({alongside.code})),
    }
    instance = solving.build_instance(event)
    assert {entry["id"] for entry in instance["sessions"]} == {
        item["session"] for item in instance["current"]
    }
    assert _checker_breaches(instance) == expected
    assert _conflict_breaches(event) == expected


def test_plan_leaves_a_pinned_session_in_an_unsuitable_room_out_and_says_why(event, scheduler):
    tutorial_type = event.session_types.get(name="Tutorial")
    tutorial_type.rooms.set([room(event, "Room 101")])
    pinned = placed_talk(event, "Pinned", "Hall A", at(event, 9), scheduler, session_type=tutorial_type)
    Slot.objects.filter(proposal=pinned).update(pinned=True)

    _, solution, preview = solving.plan(event=event, time_limit=TIME_LIMIT)

    assert [item["session"] for item in solution.unscheduled] == [pinned.code]
    assert f"needs a room tagged type-{tutorial_type.pk}" in solution.unscheduled[0]["reason"]
    assert preview.kept_in_place == [pinned.code]


def test_build_instance_uses_the_weights_given_and_the_defaults_for_the_rest(event):
    talk(event, "Forms")

    given = {"overflow": 35, "changes": 0, "preference": -3, "track_room": "7", "bogus": 1}
    instance = solving.build_instance(event, weights=given)

    wanted = {**DEFAULT_WEIGHTS, "overflow": 35, "changes": 0}  # not numbers of at least 0: defaults
    assert instance["weights"] == wanted
    assert load_instance(instance).weights == wanted
    assert solving.build_instance(event)["weights"] == DEFAULT_WEIGHTS


def test_check_weights_fills_in_the_defaults_and_names_what_it_refuses():
    assert solving.check_weights({"track_clash": 1.5}) == {**DEFAULT_WEIGHTS, "track_clash": 1.5}
    with pytest.raises(ServiceError, match=r"Unknown weight 'clash'"):
        solving.check_weights({"clash": 1})
    with pytest.raises(ServiceError, match=r"The weight of overflow must be a number of at least 0"):
        solving.check_weights({"overflow": -0.5})


def _clashing_program(event, scheduler):
    """Six talks placed two at a time at 10:00, 11:00 and 14:00, each pair starred together by four
    attendees: every pair clashes, so a re-plan from scratch would spread them out."""
    talks = []
    for n, hour in enumerate((10, 11, 14)):
        pair = [
            placed_talk(event, f"Left {n}", "Hall A", at(event, hour), scheduler),
            placed_talk(event, f"Right {n}", "Room 101", at(event, hour), scheduler),
        ]
        for _ in range(4):
            fan = factories.UserFactory()
            for proposal in pair:
                Star.objects.create(event=event, user=fan, proposal=proposal)
        talks += pair
    return talks


def test_replan_without_a_release_moves_sessions_that_pay_for_their_change(event, scheduler):
    _clashing_program(event, scheduler)

    _, _solution, preview = solving.plan(event=event, time_limit=3, mode="replan")

    assert len(preview.moved) >= 2


def test_replan_after_one_cancellation_keeps_the_released_program(event, scheduler):
    talks = _clashing_program(event, scheduler)
    services.publish_release(event=event, by=scheduler, name="v1")
    proposals.set_state_as_organiser(proposal=talks[0], to_state="cancelled", by=scheduler)

    instance, _solution, preview = solving.plan(event=event, time_limit=TIME_LIMIT, mode="replan")

    assert len(preview.moved) <= 1
    assert {entry["session"]: entry.get("weight") for entry in instance["current"]}[talks[1].code] > 1


def test_build_instance_weighs_a_released_place_by_its_stars_and_length(event, scheduler):
    kept, moved = _clashing_program(event, scheduler)[:2]
    services.publish_release(event=event, by=scheduler, name="v1")
    services.place_session(
        event=event,
        proposal=moved,
        room=room(event, "Room 101"),
        start=at(event, 16),
        version=Slot.objects.get(proposal=moved).version,
        by=scheduler,
    )

    weights = {entry["session"]: entry.get("weight") for entry in solving.build_instance(event)["current"]}

    length = kept.duration_minutes // solving.step_minutes(event)
    assert weights[kept.code] == (solving.RELEASED_CHANGE_WEIGHT + 4) * length
    assert weights[moved.code] is None  # no longer where the release has it: an ordinary change


def test_check_not_worse_refuses_a_plan_worse_than_the_draft_and_says_why(event, scheduler):
    talks = _clashing_program(event, scheduler)
    loaded = load_instance(solving.build_instance(event))
    # Everything where it is but the pair of 14:00, moved together to 16:00: the same clashes, two changes.
    assignments = [
        {"session": item["session"], "slot": item["slot"], "room": item["room"]}
        for item in solving.build_instance(event)["current"]
    ]
    for item in assignments:
        if item["session"] in (talks[4].code, talks[5].code):
            item["slot"] = _slot(event, 16)
    worse = Solution(assignments=assignments, unscheduled=[], objective={}, stats={})
    same = Solution(
        assignments=solving.build_instance(event)["current"], unscheduled=[], objective={}, stats={}
    )

    solving.check_not_worse(loaded, same)  # the draft itself is offered (it changes nothing)
    with pytest.raises(ServiceError, match="worse than the draft on the weighted total"):
        solving.check_not_worse(loaded, worse)
    fewer = Solution(assignments=assignments[1:], unscheduled=[], objective={}, stats={})
    with pytest.raises(ServiceError, match="unscheduled where the draft has 0"):
        solving.check_not_worse(loaded, fewer)


# --- What each goal bought (the run page's preview) ---------------------------------------------------


def test_goal_moves_counts_the_moves_each_goal_bought_and_those_that_bought_nothing():
    loaded = load_instance(
        raw.instance(
            slot_list=raw.slots(days=1, per_day=3),
            rooms=[raw.room("A"), raw.room("B"), raw.room("C")],
            sessions=[
                raw.session("a"),
                raw.session("b"),
                raw.session("c"),
                raw.session("d", preferred=["d0s2"]),
                raw.session("e"),
            ],
            attendees=[{"id": "fan", "starred": ["a", "b"]}],
            current=[
                {"session": "a", "slot": "d0s0", "room": "A"},
                {"session": "b", "slot": "d0s0", "room": "B"},  # clashes with a for the fan
                {"session": "c", "slot": "d0s1", "room": "A"},
                {"session": "d", "slot": "d0s0", "room": "C"},  # outside its preferred time
                {"session": "e", "slot": "d0s2", "room": "C"},
            ],
        )
    )
    plan = Solution(
        assignments=[
            {"session": "a", "slot": "d0s0", "room": "A"},
            {"session": "b", "slot": "d0s1", "room": "B"},  # bought a missed favourite
            {"session": "c", "slot": "d0s1", "room": "A"},
            {"session": "d", "slot": "d0s2", "room": "A"},  # bought a preference
            {"session": "e", "slot": "d0s1", "room": "C"},  # bought nothing: made room
        ],
        unscheduled=[],
        objective={},
        stats={},
    )

    goals = solving.goal_moves(loaded, plan)

    assert goals["moves"] == 3
    assert goals["unattributed"] == 1
    assert goals["terms"]["missed_favourites"] == {"moves": 1, "codes": ["b"]}
    assert goals["terms"]["preference"] == {"moves": 1, "codes": ["d"]}
    assert goals["terms"]["changes"] == {"moves": 3, "codes": ["b", "d", "e"]}
    assert goals["terms"]["overflow"]["moves"] == goals["terms"]["track_clash"]["moves"] == 0
