import datetime as dt

import pytest

from podium.scheduling.solver import InstanceError, load_instance, solve
from podium.scheduling.solver.explain import crowding, own_core
from podium.scheduling.solver.reasons import crowding_message
from tests.scheduling.solver.checker import violations
from tests.scheduling.solver.instances import instance, random_instance, room, session, slots


def rules(solution):
    return {entry["rule"] for entry in solution.infeasible}


def test_solve_explains_a_speaker_with_more_sessions_than_allowed_slots():
    allowed = ["d0s0", "d0s1"]
    data = instance(
        slot_list=slots(per_day=4),
        rooms=[room("A"), room("B")],
        sessions=[session(f"t{i}", speakers=["smith"], allowed=allowed) for i in range(3)]
        + [session("other", speakers=["jones"])],
    )

    solution = solve(data, time_limit=2)

    assert len(solution.unscheduled) == 1
    assert violations(data, solution.to_dict()) == []
    summary = solution.infeasible[0]
    assert summary["speaker"] == "smith"
    assert summary["sessions"] == ["t0", "t1", "t2"]
    assert summary["message"] == (
        "Speaker smith is available only Sat 10:00–11:00 but has 3 sessions of 30 minutes "
        "('t0', 't1' and 't2'), 1 hour 30 minutes in all."
    )
    assert rules(solution) == {"summary", "speaker_overlap", "speaker_availability"}
    assert "jones" not in str(solution.infeasible)
    assert solution.unscheduled[0]["reason"] == summary["message"]


def test_solve_explains_a_plenary_pinned_against_another_pinned_session():
    data = instance(
        slot_list=slots(per_day=3),
        rooms=[room("A"), room("B")],
        sessions=[
            session("keynote", speakers=["k"], plenary=True, pinned={"slot": "d0s0", "room": "A"}),
            session("talk", speakers=["t"], pinned={"slot": "d0s0", "room": "B"}),
            session("free", speakers=["f"]),
        ],
    )

    solution = solve(data, time_limit=2)

    assert violations(data, solution.to_dict()) == []
    assert len(solution.unscheduled) == 1
    assert rules(solution) == {"summary", "plenary", "pinned"}
    named = {(entry["rule"], entry.get("session")) for entry in solution.infeasible}
    assert {("plenary", "keynote"), ("pinned", "keynote"), ("pinned", "talk")} <= named
    assert solution.infeasible[0]["sessions"] == ["keynote", "talk"]
    assert solution.infeasible[0]["message"] == (
        "These cannot all hold: 'keynote' is plenary (nothing else may run during it) and is pinned at "
        "Sat 10:00 in A; 'talk' is pinned at Sat 10:00 in B."
    )
    assert solution.unscheduled[0]["reason"] == solution.infeasible[0]["message"]
    assert "free" not in str(solution.infeasible)


def test_solve_explains_room_tags_no_room_has():
    data = instance(
        slot_list=slots(per_day=2),
        rooms=[room("A", tags=["video"]), room("B")],
        sessions=[session("lab", room_tags=["sinks"]), session("talk", room_tags=["video"])],
    )

    solution = solve(data, time_limit=2)

    assert [item["session"] for item in solution.unscheduled] == ["lab"]
    assert solution.unscheduled[0]["reason"] == "Session 'lab' needs a room tagged sinks, and no room has it."
    assert solution.infeasible[1] == {
        "rule": "room_tags",
        "session": "lab",
        "message": "Session 'lab' needs a room tagged sinks; no room has them.",
    }
    assert solution.assignments == [{"session": "talk", "slot": "d0s0", "room": "A"}]


def test_solve_explains_too_many_sessions_for_the_rooms_and_slots():
    data = instance(
        slot_list=slots(per_day=2),
        rooms=[room("A"), room("B", unavailable=["d0s0", "d0s1"])],
        sessions=[session(f"t{i}") for i in range(3)],
    )

    solution = solve(data, time_limit=2)

    assert len(solution.unscheduled) == 1
    assert rules(solution) == {"summary", "room_availability"}
    assert solution.infeasible[-1] == {
        "rule": "room_availability",
        "rooms": ["B"],
        "message": "Room B is unavailable Sat 10:00–11:00.",
    }
    assert solution.unscheduled[0]["reason"] == solution.infeasible[0]["message"]


def test_solve_leaves_nothing_unexplained_when_everything_fits():
    data = instance(slot_list=slots(per_day=2), rooms=[room("A")], sessions=[session("a"), session("b")])

    solution = solve(data, time_limit=1)

    assert solution.unscheduled == []
    assert solution.infeasible == []


def test_solve_explains_a_busy_speaker_inside_a_full_medium_instance():
    data = random_instance(8, sessions=40, rooms=3, per_day=6, attendees=50)
    for position in (3, 4, 5):
        data["sessions"][position].update(speakers=["busy"], allowed=["d0s0", "d0s1"], slots=1)

    solution = solve(data, time_limit=2)

    assert violations(data, solution.to_dict()) == []
    summaries = [entry for entry in solution.infeasible if entry["rule"] == "summary"]
    assert any(
        entry.get("speaker") == "busy" and entry["sessions"] == ["s3", "s4", "s5"] for entry in summaries
    )
    left_out = {item["session"] for item in solution.unscheduled}
    assert len(left_out & {"s3", "s4", "s5"}) == 1


def test_solve_rejects_an_invalid_instance_with_every_message():
    with pytest.raises(InstanceError) as caught:
        solve(
            {
                "slots": [],
                "rooms": [{"id": "A", "capacity": -1}],
                "sessions": [{"id": "x", "speakers": "ann"}],
            }
        )

    assert caught.value.messages == [
        "room A: 'capacity' must be at least 0, not -1",
        "session x: 'speakers' must be a list",
    ]


def test_solve_names_the_speaker_whose_availability_is_too_short_for_their_sessions():
    quarter_hours = slots(per_day=16, minutes=15)
    morning = [slot["id"] for slot in quarter_hours[:8]]  # Sat 10:00-12:00
    data = instance(
        slot_list=quarter_hours,
        rooms=[room("A"), room("B")],
        sessions=[session(f"t{i}", speakers=["smith"], length=3, allowed=morning) for i in range(3)]
        + [session("other", speakers=["jones"], length=3)],
        speaker_names={"smith": "A. Smith", "jones": "B. Jones"},
    )

    solution = solve(data, time_limit=3)

    assert violations(data, solution.to_dict()) == []
    assert len(solution.unscheduled) == 1
    message = (
        "Speaker A. Smith is available only Sat 10:00–12:00 but has 3 sessions of 45 minutes "
        "('t0', 't1' and 't2'), 2 hours 15 minutes in all."
    )
    assert solution.unscheduled[0]["reason"] == message
    assert solution.infeasible[0] == {
        "rule": "summary",
        "speaker": "smith",
        "sessions": ["t0", "t1", "t2"],
        "message": message,
    }
    assert [(e["rule"], e.get("session")) for e in solution.infeasible[1:]] == [
        ("speaker_availability", "t0"),
        ("speaker_availability", "t1"),
        ("speaker_availability", "t2"),
        ("speaker_overlap", None),
    ]
    assert solution.infeasible[-1]["message"] == (
        "Speaker A. Smith cannot be in two places at once ('t0', 't1' and 't2')."
    )
    assert "Jones" not in str(solution.infeasible)


def test_solve_explains_a_long_session_that_no_stretch_between_breaks_holds():
    data = instance(
        slot_list=slots(days=2, per_day=4, lunch_after=2),  # 10:00-11:00, lunch, 12:00-13:00
        rooms=[room("A")],
        sessions=[session("workshop", length=3), session("talk")],
    )

    solution = solve(data, time_limit=2)

    assert solution.assignments == [{"session": "talk", "slot": "d0s0", "room": "A"}]
    message = (
        "Session 'workshop' needs 1 hour 30 minutes in one stretch, but the program breaks "
        "Sat 11:00–12:00, Sun 11:00–12:00, so the longest stretch left for it is 1 hour (Sat 10:00–11:00)."
    )
    assert solution.unscheduled == [{"session": "workshop", "reason": message}]
    assert solution.infeasible == [{"rule": "summary", "sessions": ["workshop"], "message": message}]


def test_solve_explains_sessions_competing_for_the_only_suitable_room():
    data = instance(
        slot_list=slots(per_day=4),
        rooms=[room("lab", tags=["sinks"]), room("hall"), room("side")],
        sessions=[session(f"l{i}", length=2, room_tags=["sinks"]) for i in range(3)]
        + [session(f"talk{i}") for i in range(4)],
    )

    solution = solve(data, time_limit=30, max_iterations=2000)  # a generous budget for the proof

    assert violations(data, solution.to_dict()) == []
    [left_out] = solution.unscheduled
    assert left_out["session"] in {"l0", "l1", "l2"}
    message = (
        "Rooms and times are full: 3 sessions of 1 hour ('l0', 'l1' and 'l2') can only run "
        "Sat 10:00–12:00 in room lab (given the room tags they need), and there is room for only 2 of the 3."
    )
    assert left_out["reason"] == message
    assert solution.infeasible[0] == {"rule": "summary", "sessions": ["l0", "l1", "l2"], "message": message}
    assert [(e["rule"], e["session"]) for e in solution.infeasible[1:]] == [
        ("room_tags", "l0"),
        ("room_tags", "l1"),
        ("room_tags", "l2"),
    ]
    assert solution.infeasible[1]["message"] == "Session 'l0' needs a room tagged sinks; only lab has them."


def _quarter_hours(days):
    grid = []
    for day in days:
        moment = dt.datetime.fromisoformat(f"{day}T09:00")
        while moment.hour < 18:
            ident = moment.strftime("%Y-%m-%dT%H:%M")
            grid.append({"id": ident, "start": ident, "minutes": 15, "day": day})
            moment += dt.timedelta(minutes=15)
    return grid


def _between(grid, day, start, end):
    return [
        slot["id"] for slot in grid if slot["day"] == day and f"{day}T{start}" <= slot["id"] < f"{day}T{end}"
    ]


def _tutorial_days():
    """Shaped like the demo: three days of 15-minute steps, breaks as every room's unavailable time."""
    friday, saturday, sunday = "2027-01-01", "2027-01-02", "2027-01-03"
    grid = _quarter_hours((friday, saturday, sunday))
    breaks = [
        *_between(grid, friday, "09:45", "10:15"),
        *_between(grid, friday, "13:15", "14:15"),
        *_between(grid, friday, "17:15", "17:45"),
    ]
    for day in (saturday, sunday):
        breaks += [
            *_between(grid, day, "10:30", "11:00"),
            *_between(grid, day, "12:15", "13:30"),
            *_between(grid, day, "14:45", "15:15"),
        ]
    mornings = [
        ident for day in (friday, saturday, sunday) for ident in _between(grid, day, "09:00", "13:00")
    ]
    weekend = [ident for day in (saturday, sunday) for ident in _between(grid, day, "10:00", "18:00")]
    tutorials = [session(f"tut{i}", speakers=[f"p{i}"], length=12) for i in range(5)]
    tutorials += [
        session("frames", speakers=["ann"], length=12, allowed=mornings),
        session("sprints", speakers=["bob", "cy"], length=12, allowed=weekend),
    ]
    return instance(
        slot_list=grid,
        rooms=[
            room("r1", unavailable=breaks) | {"name": "Hall A"},
            room("r2", unavailable=breaks) | {"name": "Hall B"},
        ],
        sessions=tutorials,
        speaker_names={"ann": "Ann Lee", "bob": "Bob Roe", "cy": "Cy Young"},
        # The draft has 'frames' on Friday afternoon, outside its speaker's availability.
        current=[{"session": "frames", "slot": "2027-01-01T14:15", "room": "r1"}],
    )


def test_solve_fill_leaves_a_tutorial_placed_outside_its_speakers_times_where_it_is():
    data = _tutorial_days()

    solution = solve(data, time_limit=30, mode="fill", max_iterations=2000)

    assert violations(data, solution.to_dict(), mode="fill") == []
    reasons = {item["session"]: item["reason"] for item in solution.unscheduled}
    assert "frames" not in {item["session"] for item in solution.assignments}
    assert "keeps its place (2027-01-01T14:15 in Hall A)" in reasons["frames"]


@pytest.mark.parametrize("mode", ["replan"])
def test_solve_explains_three_hour_tutorials_by_availability_breaks_and_full_rooms(mode):
    data = _tutorial_days()

    solution = solve(data, time_limit=30, mode=mode, max_iterations=2000)  # a generous budget for the proof

    assert violations(data, solution.to_dict()) == []
    reasons = {item["session"]: item["reason"] for item in solution.unscheduled}
    assert len(reasons) == 3
    assert reasons["frames"] == (
        "Session 'frames' needs 3 hours in one stretch, but its speaker Ann Lee is available only "
        "Fri 09:00–13:00, Sat 09:00–13:00, Sun 09:00–13:00; every room is unavailable Fri 09:45–10:15, "
        "Fri 13:15–14:15, Fri 17:15–17:45, Sat 10:30–11:00, Sat 12:15–13:30, Sat 14:45–15:15, "
        "Sun 10:30–11:00, Sun 12:15–13:30, Sun 14:45–15:15, so the longest stretch left for it is "
        "2 hours 45 minutes (Fri 10:15–13:00)."
    )
    assert reasons["sprints"] == (
        "Session 'sprints' needs 3 hours in one stretch, but its speakers Bob Roe and Cy Young are all "
        "available only Sat 10:00–18:00, Sun 10:00–18:00; every room is unavailable Sat 10:30–11:00, "
        "Sat 12:15–13:30, Sat 14:45–15:15, Sun 10:30–11:00, Sun 12:15–13:30, Sun 14:45–15:15, so the "
        "longest stretch left for it is 2 hours 45 minutes (Sat 15:15–18:00)."
    )
    [reason] = [text for ident, text in reasons.items() if ident.startswith("tut")]
    assert reason == (
        "Rooms and times are full: 5 sessions of 3 hours ('tut0', 'tut1', 'tut2', 'tut3' and 'tut4') can "
        "only run Fri 10:15–13:15, Fri 14:15–17:15 in the 2 rooms (given the rooms' free times), and there "
        "is room for only 4 of the 5."
    )
    rooms = [entry for entry in solution.infeasible if entry["rule"] == "room_availability"]
    assert {tuple(entry["rooms"]) for entry in rooms} == {("r1", "r2")}
    assert rooms[0]["message"].startswith("Rooms Hall A and Hall B are unavailable Fri 09:45–10:15, ")


def test_own_core_keeps_only_the_rules_that_rule_the_session_out():
    data = instance(
        slot_list=slots(per_day=4),
        rooms=[room("A", unavailable=["d0s0"]), room("B", tags=["video"], unavailable=["d0s1"])],
        sessions=[session("s", length=2, allowed=["d0s0", "d0s1", "d0s2"], room_tags=["video"])],
    )
    loaded = load_instance(data)

    core = own_core(loaded, 0, {})

    # Room A's unavailability does not matter: the session needs B's tag anyway.
    assert sorted(core) == [("availability", 0), ("room_availability", 1), ("room_tags", 0), ("scheduled", 0)]
    assert own_core(load_instance(data | {"rooms": [room("A"), room("B", tags=["video"])]}), 0, {}) is None


def test_load_instance_reports_speaker_and_room_names_that_are_not_text():
    data = instance(
        slot_list=slots(per_day=1),
        rooms=[room("A") | {"name": 5}],
        sessions=[session("s", speakers=["ann"])],
        speaker_names={"ann": ["Ann"]},
    )

    with pytest.raises(InstanceError) as caught:
        load_instance(data)

    assert caught.value.messages == [
        "room A: 'name' must be a string",
        "speaker_names ann: the name must be a string, not ['Ann']",
    ]


def test_solve_names_the_room_when_only_one_has_the_longest_stretch_left():
    data = instance(
        slot_list=slots(per_day=6),
        rooms=[room("A", unavailable=["d0s2"]), room("B", unavailable=["d0s3"])],
        sessions=[session("w", length=4)],
    )

    solution = solve(data, time_limit=2)

    assert solution.unscheduled[0]["reason"] == (
        "Session 'w' needs 2 hours in one stretch, but room A is unavailable Sat 11:00–11:30; room B is "
        "unavailable Sat 11:30–12:00, so the longest stretch left for it is 1 hour 30 minutes "
        "(Sat 11:30–13:00 in A)."
    )


def test_crowding_counts_room_time_when_too_many_sessions_compete():
    loaded = load_instance(
        instance(
            slot_list=slots(per_day=4),
            rooms=[room("A"), room("B", unavailable=["d0s0", "d0s1", "d0s2", "d0s3"])],
            sessions=[session(f"t{i}") for i in range(5)] + [session("no-room", room_tags=["sinks"])],
        )
    )
    cells_of = {s: {(0, t) for t in range(4)} for s in range(5)} | {5: set()}

    group, cells = crowding(loaded, 0, cells_of)

    assert group == [0, 1, 2, 3, 4]  # the session with no place at all is not counted
    assert crowding_message(loaded, group, cells) == {
        "rule": "summary",
        "sessions": ["t0", "t1", "t2", "t3", "t4"],
        "message": "Rooms and times are full: 5 sessions ('t0', 't1', 't2', 't3' and 't4') need 2 hours 30 "
        "minutes of room time in all, but room A has only 2 hours free for them in Sat 10:00–12:00.",
    }
    assert crowding(loaded, 0, {s: cells_of[s] for s in range(4)}) is None
