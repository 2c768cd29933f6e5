"""Run PyCon UK's `conference-scheduler` on one of our instances; used by benchmarks/solver.py.

    benchmarks/.venv-cs/bin/python benchmarks/conference_scheduler_run.py INSTANCE.json OUTPUT.json
        [--time-limit 30]

It runs in its own virtual environment (benchmarks/requirements-conference-scheduler.txt), never in the
project's. The instance (docs/solver-format.md) becomes its model: one Slot per room and time slot
(capacity = the room's seats), one Event per session (duration = its slot's minutes, demand = expected
audience, no tags); an event is unavailable in the slots its speakers cannot make, in rooms it cannot use,
in the times of a plenary session, and at the same time as every event that shares a speaker with it.
The schedule comes from its PuLP model (CBC, within the time limit) minimising its own objective, the
summed difference between demand and capacity. It knows nothing of favourites: that is the point of the
comparison. The output is {"assignments": [{session, slot, room}], "status", "seconds"} or {"error"}.
"""

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path


def build(data):
    """(events, slots, places): the library's objects and, per library slot, our (slot id, room id)."""
    from conference_scheduler.resources import Event, Slot

    times = {slot["id"]: slot for slot in data["slots"]}
    slots, places = [], []
    for room in data["rooms"]:
        for slot in data["slots"]:
            if slot["id"] in room.get("unavailable", []):
                continue
            slots.append(
                Slot(
                    venue=room["id"],
                    starts_at=dt.datetime.fromisoformat(slot["start"]),
                    duration=slot["minutes"],
                    capacity=room["capacity"],
                    session=slot.get("day", slot["start"][:10]),
                )
            )
            places.append((slot["id"], room["id"]))
    sessions = data["sessions"]
    for session in sessions:
        if session.get("slots", 1) != 1:
            raise ValueError(
                f"session {session['id']} needs {session['slots']} slots; the adapter maps one slot"
            )
    plenary_times = set()
    for session in sessions:
        if session.get("plenary") and session.get("allowed", "all") != "all" and len(session["allowed"]) == 1:
            plenary_times.add(session["allowed"][0])
    # Every session fits every slot (one slot each), so its duration is the shortest slot's.
    minutes = min(slot["minutes"] for slot in times.values())
    events = [
        Event(name=session["id"], duration=minutes, demand=session.get("audience", 0)) for session in sessions
    ]
    rooms = {room["id"]: room for room in data["rooms"]}
    for event, session in zip(events, sessions, strict=True):
        allowed = session.get("allowed", "all")
        tags = set(session.get("room_tags", []))
        blocked = [
            slot
            for slot, (slot_id, room_id) in zip(slots, places, strict=True)
            if (allowed != "all" and slot_id not in allowed)
            or not tags <= set(rooms[room_id].get("tags", []))
            or (not session.get("plenary") and slot_id in plenary_times)
        ]
        event.add_unavailability(*blocked)
    # A person cannot be in two places: events sharing a speaker never run at once (listed both ways,
    # since the library only reads the list of the event that has one). A plenary session whose time is
    # not fixed is kept apart from every other event the same way.
    for a, first in enumerate(sessions):
        for b in range(a + 1, len(sessions)):
            second = sessions[b]
            shared = set(first["speakers"]) & set(second["speakers"])
            floating_plenary = any(
                s.get("plenary") and (s.get("allowed", "all") == "all" or len(s["allowed"]) != 1)
                for s in (first, second)
            )
            if shared or floating_plenary:
                events[a].add_unavailability(events[b])
                events[b].add_unavailability(events[a])
    return events, slots, places


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("instance", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        import pulp
        from conference_scheduler import scheduler
        from conference_scheduler.lp_problem import objective_functions

        data = json.loads(args.instance.read_text())
        events, slots, places = build(data)
        built = time.monotonic() - started
        solver = pulp.PULP_CBC_CMD(timeLimit=args.time_limit, msg=False)
        chosen = scheduler.solution(
            events,
            slots,
            objective_function=objective_functions.efficiency_capacity_demand_difference,
            solver=solver,
        )
    except Exception as exc:  # reported as it is: the benchmark writes the exact error down
        args.output.write_text(json.dumps({"error": f"{type(exc).__name__}: {exc}"}) + "\n")
        return 1
    assignments = [
        {"session": events[e].name, "slot": places[s][0], "room": places[s][1]} for e, s in sorted(chosen)
    ]
    result = {
        "assignments": assignments,
        "status": "solved",
        "seconds": round(time.monotonic() - started, 3),
        "model_seconds": round(built, 3),
        "events": len(events),
        "slots": len(slots),
    }
    args.output.write_text(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
