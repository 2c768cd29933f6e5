"""Checks for benchmarks/solver.py: the hard rules, read from docs/solver-format.md, and overflow bounds.

hard_violations() works on the JSON data alone (not the engine's structures), so the engine and the
baselines are held to the same independent check; overflow_report() tells the overflow a schedule could
have avoided from the overflow its chosen times force.
"""

import datetime as dt
import itertools


def hard_violations(data, assignments, unscheduled) -> list:
    """Every broken hard rule as a sentence, read from the format description (not from the engine)."""
    problems = []
    slots = sorted(data["slots"], key=lambda slot: slot["start"])
    start = {slot["id"]: dt.datetime.fromisoformat(slot["start"]) for slot in slots}
    end = {ident: start[ident] + dt.timedelta(minutes=s["minutes"]) for s in slots for ident in [s["id"]]}
    day = {slot["id"]: slot.get("day", slot["start"][:10]) for slot in slots}
    order = {}
    for slot in slots:
        order.setdefault(day[slot["id"]], []).append(slot["id"])
    position = {ident: (d, i) for d, ids in order.items() for i, ident in enumerate(ids)}
    sessions = {s["id"]: s for s in data["sessions"]}
    rooms = {r["id"]: r for r in data["rooms"]}
    placed = {}
    for item in assignments:
        if item["session"] in placed:
            problems.append(f"{item['session']} placed twice")
        placed[item["session"]] = item
    left_out = set(unscheduled)
    for ident in sessions:
        if (ident in placed) == (ident in left_out):
            problems.append(f"{ident} is not exactly once placed or unscheduled")
    room_use, running, plenary_at, speaker_days = {}, {}, set(), {}
    for ident, item in placed.items():
        session, room = sessions[ident], rooms[item["room"]]
        d, i = position[item["slot"]]
        taken = order[d][i : i + session.get("slots", 1)]
        if len(taken) != session.get("slots", 1) or any(
            end[a] != start[b] for a, b in itertools.pairwise(taken)
        ):
            problems.append(f"{ident} does not get {session.get('slots', 1)} consecutive slots")
            continue
        allowed = session.get("allowed", "all")
        if allowed != "all" and not set(taken) <= set(allowed):
            problems.append(f"{ident} runs outside its allowed slots")
        if set(taken) & set(room.get("unavailable", [])):
            problems.append(f"{ident} uses {room['id']} when it is unavailable")
        if not set(session.get("room_tags", [])) <= set(room.get("tags", [])):
            problems.append(f"{ident} is in a room without its tags")
        pinned = session.get("pinned")
        if pinned and (pinned["slot"], pinned["room"]) != (item["slot"], item["room"]):
            problems.append(f"pinned {ident} moved")
        for t in taken:
            if (room["id"], t) in room_use:
                problems.append(f"{ident} and {room_use[room['id'], t]} share {room['id']} at {t}")
            room_use[room["id"], t] = ident
            running.setdefault(t, []).append(ident)
            if session.get("plenary"):
                plenary_at.add(t)
        for person in session["speakers"]:
            speaker_days.setdefault((person, d), []).append(
                (position[taken[0]][1], position[taken[-1]][1], ident)
            )
    for t in sorted(plenary_at):
        if len(running[t]) > 1:
            problems.append(f"plenary session at {t} runs with {len(running[t]) - 1} other session(s)")
    pause = data.get("min_pause_slots", 0)
    for (person, d), spans in speaker_days.items():
        spans.sort()
        for (_first, last, a), (first, _last, b) in itertools.pairwise(spans):
            if first - last - 1 < pause:
                problems.append(f"speaker {person} in {a} and {b} at once (or without the pause) on {d}")
    return problems


def overflow_report(instance, placement) -> dict:
    """Overflow seats split by whether the times chosen let the rooms seat everyone.

    Per time slot, the audiences running then (sorted) against the capacities of the rooms free then
    (sorted): when each audience fits its counterpart, a room deal with no overflow exists at that time,
    and any overflow there is the schedule's fault. Otherwise the sorted pairing gives the least overflow
    possible for those times. (Exact for one-slot sessions without room tags, as in every family.)
    """
    running = {}
    for s, (start, _room) in placement.items():
        for t in instance.cover(start, instance.sessions[s].length):
            running.setdefault(t, []).append(s)
    fits, avoidable, floor = 0, 0, 0
    for t, sessions in running.items():
        audiences = sorted((instance.sessions[s].audience for s in sessions), reverse=True)
        capacities = sorted(
            (room.capacity for room in instance.rooms if t not in room.unavailable), reverse=True
        )
        least = sum(
            max(0, a - c) for a, c in zip(audiences, capacities, strict=False)
        )  # fewer sessions than rooms
        here = sum(
            max(0, instance.sessions[s].audience - instance.rooms[placement[s][1]].capacity)
            for s in sessions
            if placement[s][0] == t
        )
        if least == 0:
            fits += 1
            avoidable += here
        floor += least
    return {
        "slots_that_fit": fits,
        "slots_used": len(running),
        "avoidable_overflow": avoidable,
        "least_overflow": floor,
    }


def overflow_floor(instance) -> int:
    """Seats of overflow no schedule can avoid (a lower bound), ignoring who can come when.

    A plenary session with a single allowed slot has that slot to itself: it gets the biggest room there.
    Every other session needs one room-slot of the rest; pairing the audiences, sorted, with the
    capacities of all those room-slots, sorted, gives the least overflow of any assignment (overflow is a
    convex function of audience minus capacity, so the sorted pairing is optimal). Sessions longer than
    one slot or needing room tags break that argument; then only what exceeds each session's biggest
    possible room is counted.
    """
    sessions = instance.sessions
    if any(session.length > 1 or session.room_tags for session in sessions):
        return sum(
            max(0, s.audience - max((r.capacity for r in instance.rooms), default=0)) for s in sessions
        )
    reserved = {
        next(iter(s.allowed)) for s in sessions if s.plenary and s.allowed is not None and len(s.allowed) == 1
    }
    floor, audiences = 0, []
    for session in sessions:
        if session.plenary and session.allowed is not None and len(session.allowed) == 1:
            (t,) = session.allowed
            seats = max((room.capacity for room in instance.rooms if t not in room.unavailable), default=0)
            floor += max(0, session.audience - seats)
        else:
            audiences.append(session.audience)
    capacities = [
        room.capacity
        for t in range(len(instance.slots))
        if t not in reserved
        for room in instance.rooms
        if t not in room.unavailable
    ]
    audiences.sort(reverse=True)
    capacities.sort(reverse=True)
    floor += sum(max(0, a - c) for a, c in zip(audiences, capacities, strict=False))
    return floor
