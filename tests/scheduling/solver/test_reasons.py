from podium.scheduling.solver import load_instance
from podium.scheduling.solver.reasons import duration, places, slot_ranges
from tests.scheduling.solver.instances import instance, room, session, slots


def test_duration_reads_like_an_organiser_would_say_it():
    assert [duration(m) for m in (15, 45, 60, 90, 135, 180)] == [
        "15 minutes",
        "45 minutes",
        "1 hour",
        "1 hour 30 minutes",
        "2 hours 15 minutes",
        "3 hours",
    ]


def test_slot_ranges_joins_back_to_back_slots_and_stops_at_breaks_and_days():
    loaded = load_instance(
        instance(
            slot_list=slots(days=2, per_day=4, lunch_after=2), rooms=[room("A")], sessions=[session("s")]
        )
    )

    assert (
        slot_ranges(loaded, range(8)) == "Sat 10:00–11:00, Sat 12:00–13:00, Sun 10:00–11:00, Sun 12:00–13:00"
    )
    assert slot_ranges(loaded, [0, 1, 6]) == "Sat 10:00–11:00, Sun 12:00–12:30"
    assert slot_ranges(loaded, []) == "no slot"


def test_places_count_only_the_rules_asked_for():
    loaded = load_instance(
        instance(
            slot_list=slots(per_day=3),
            rooms=[room("A", unavailable=["d0s0"]), room("B", tags=["video"])],
            sessions=[session("s", length=2, allowed=["d0s0", "d0s1"], room_tags=["video"])],
        )
    )

    assert places(loaded, 0) == [(0, 1)]
    assert places(loaded, 0, {("scheduled", 0), ("room_availability", 0)}) == [(0, 1), (1, 0), (1, 1)]
