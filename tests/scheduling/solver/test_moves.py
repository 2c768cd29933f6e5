"""Moves priced by the pairwise view for the final descent: only times a session may take."""

from podium.scheduling.solver import load_instance
from podium.scheduling.solver.moves import PricedMoves
from podium.scheduling.solver.state import Candidates, State
from tests.scheduling.solver.instances import instance, room, session, slots


def test_priced_moves_skip_plenary_times_and_disallowed_slots():
    data = instance(
        slot_list=slots(per_day=4),
        rooms=[room("A"), room("B")],
        sessions=[
            session("keynote", speakers=["k"], plenary=True, pinned={"slot": "d0s0", "room": "A"}),
            session("talk", speakers=["x"], allowed=["d0s1", "d0s2"]),
            session("other", speakers=["y"]),
        ],
        attendees=[{"id": "a1", "starred": ["talk", "other"]}],
    )
    loaded = load_instance(data)
    state = State(loaded, Candidates(loaded))
    state.add(0, 0, 0)
    state.add(1, 1, 0)
    state.add(2, 2, 0)
    search = PricedMoves(state, {1, 2})

    moves = {target for _price, kind, target in search.moves(1) if kind == "move"}

    assert moves == {2}  # not its own time, not the keynote's, not the one it may not use
