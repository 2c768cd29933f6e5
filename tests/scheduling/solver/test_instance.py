import json

import pytest

from podium.scheduling.solver import InstanceError, load_instance
from tests.scheduling.solver.instances import instance, room, session, slots


def tiny(**changes):
    data = instance(
        slot_list=slots(per_day=3),
        rooms=[room("A"), room("B", tags=["video"])],
        sessions=[session("talk", speakers=["ann"]), session("workshop", speakers=["bob"], length=2)],
        attendees=[{"id": "x", "starred": ["talk", "workshop"]}],
    )
    data.update(changes)
    return data


def messages(data):
    with pytest.raises(InstanceError) as caught:
        load_instance(data)
    return caught.value.messages


def test_load_instance_reads_a_valid_instance_in_time_order():
    data = tiny()
    data["slots"].reverse()

    loaded = load_instance(json.dumps(data))

    assert [slot.id for slot in loaded.slots] == ["d0s0", "d0s1", "d0s2"]
    assert loaded.sessions[1].length == 2
    assert loaded.stars == [(0, 1)]
    assert loaded.weights["missed_favourites"] > 0


def test_load_instance_rejects_bad_json_with_a_message():
    assert messages("{not json")[0].startswith("not valid JSON")


def test_load_instance_names_unknown_and_duplicate_ids():
    data = tiny()
    data["sessions"].append(session("talk", allowed=["nope"]))
    data["attendees"][0]["starred"].append("ghost")
    data["rooms"][0]["unavailable"] = ["d9s9"]

    found = messages(data)

    assert "session talk: duplicate id" in found
    assert "session talk 'allowed': unknown slot 'nope'" in found
    assert "attendee x: starred unknown session 'ghost'" in found
    assert "room A: unknown slot 'd9s9'" in found


def test_load_instance_rejects_negative_numbers_and_weights():
    data = tiny(weights={"overflow": -1, "fun": 3})
    data["rooms"][0]["capacity"] = -5
    data["sessions"][0]["audience"] = -2

    found = messages(data)

    assert "room A: 'capacity' must be at least 0, not -5" in found
    assert "session talk: 'audience' must be at least 0, not -2" in found
    assert any(m.startswith("weights: 'overflow' must be a number") for m in found)
    assert any(m.startswith("weights: unknown term 'fun'") for m in found)


def test_load_instance_rejects_a_pin_outside_the_allowed_slots():
    data = tiny()
    data["sessions"][0].update(allowed=["d0s0"], pinned={"slot": "d0s1", "room": "A"})

    assert messages(data) == ["session talk 'pinned': slot d0s1 is not among the session's allowed slots"]


def test_load_instance_rejects_a_long_pin_that_runs_past_the_day():
    data = tiny()
    data["sessions"][1]["pinned"] = {"slot": "d0s2", "room": "A"}

    assert "end of day or a break" in messages(data)[0]


def test_load_instance_rejects_pins_and_current_places_naming_unknown_rooms():
    data = tiny(current=[{"session": "talk", "slot": "d0s0", "room": "Z"}, {"session": "nobody"}])
    data["sessions"][0]["pinned"] = {"slot": "d0s0", "room": "Q"}

    found = messages(data)

    assert "session talk 'pinned': unknown room 'Q'" in found
    assert "current[0] (session talk): unknown room 'Z'" in found
    assert "current[1] (session nobody): unknown session" in found


def test_load_instance_requires_the_main_lists():
    assert messages({}) == [
        "instance: 'slots' is missing",
        "instance: 'rooms' is missing",
        "instance: 'sessions' is missing",
    ]
