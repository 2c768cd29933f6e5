from podium.scheduling.solver import load_instance
from podium.scheduling.solver.objective import evaluate
from tests.scheduling.solver.instances import instance, room, session, slots


def build(sessions, attendees=(), rooms=None, **extra):
    return load_instance(
        instance(
            slot_list=slots(days=2, per_day=3),
            rooms=rooms or [room("A"), room("B"), room("C")],
            sessions=sessions,
            attendees=attendees,
            **extra,
        )
    )


def place(loaded, **where):
    """{'talk': ('d0s0', 'A')} by ids -> indices."""
    return {
        loaded.session_index[s]: (loaded.slot_index[slot], loaded.room_index[r])
        for s, (slot, r) in where.items()
    }


def test_evaluate_counts_missed_favourites_as_k_minus_one_per_attendee_and_slot():
    loaded = build(
        [session("a"), session("b"), session("c"), session("d", length=2)],
        attendees=[
            {"id": "three-at-once", "starred": ["a", "b", "c"]},
            {"id": "two-at-once", "starred": ["a", "d"]},
            {"id": "one", "starred": ["c"]},
        ],
    )

    terms = evaluate(
        loaded, place(loaded, a=("d0s0", "A"), b=("d0s0", "B"), c=("d0s0", "C"), d=("d0s0", "A"))
    )

    # three-at-once: k=3 at d0s0 -> 2; two-at-once: k=2 at d0s0 -> 1, d alone at d0s1 -> 0; one: 0
    assert terms["missed_favourites"] == 3


def test_evaluate_counts_nothing_missed_when_favourites_are_apart():
    loaded = build([session("a"), session("b")], attendees=[{"id": "x", "starred": ["a", "b"]}])

    assert evaluate(loaded, place(loaded, a=("d0s0", "A"), b=("d0s1", "A")))["missed_favourites"] == 0


def test_evaluate_counts_overflow_seats_track_rooms_clashes_preferences_and_changes():
    loaded = build(
        [
            session("a", audience=150, track="web"),
            session("b", audience=50, track="web", preferred=["d0s2"]),
            session("c", audience=20, track="web"),
            session("d", track="data", preferred=["d0s0", "d0s1"], length=2),
        ],
        rooms=[room("A", capacity=100), room("B", capacity=30), room("C")],
        current=[
            {"session": "a", "slot": "d0s0", "room": "A"},
            {"session": "b", "slot": "d0s2", "room": "A"},
        ],
        weights={
            "missed_favourites": 1,
            "overflow": 1,
            "track_room": 1,
            "track_clash": 1,
            "preference": 1,
            "changes": 1,
        },
    )

    terms = evaluate(
        loaded,
        place(loaded, a=("d0s0", "A"), b=("d0s0", "B"), c=("d1s0", "C"), d=("d0s0", "C")),
    )

    assert terms["overflow"] == 50 + 20  # a: 150 in 100 seats, b: 50 in 30
    assert terms["track_room"] == 1  # web uses A and B on day 0; C alone on day 1
    assert terms["track_clash"] == 1  # a and b at once
    assert terms["preference"] == 1  # b is not at d0s2; d is inside its preferred slots
    assert terms["changes"] == 1  # b moved, a stayed
    assert terms["total"] == 70 + 1 + 1 + 1 + 1
