import pytest

from podium.schedule.solver import InstanceError, solve
from tests.schedule.solver.checker import violations
from tests.schedule.solver.instances import instance, random_instance, room, session, slots


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
    assert "Speaker smith is available only in slots Sat 10:00–11:00 but has 3 sessions" in summary["message"]
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


def test_solve_explains_room_tags_no_room_has():
    data = instance(
        slot_list=slots(per_day=2),
        rooms=[room("A", tags=["video"]), room("B")],
        sessions=[session("lab", room_tags=["sinks"]), session("talk", room_tags=["video"])],
    )

    solution = solve(data, time_limit=2)

    assert [item["session"] for item in solution.unscheduled] == ["lab"]
    assert "No room has the tags sinks" in solution.unscheduled[0]["reason"]
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
    assert solution.infeasible[-1]["message"] == "Room B is unavailable in Sat 10:00–11:00."


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
