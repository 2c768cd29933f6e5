"""An independent check of every hard rule, written from the format description, not the solver's code."""

import datetime as dt
import itertools


def _slot_table(data):
    """Per slot id: (day, start, end); the slot ids of a day in time order."""
    table = {}
    for slot in data["slots"]:
        start = dt.datetime.fromisoformat(slot["start"])
        table[slot["id"]] = (
            slot.get("day", start.date().isoformat()),
            start,
            start + dt.timedelta(minutes=slot["minutes"]),
        )
    by_day = {}
    for ident, (day, _start, _end) in sorted(table.items(), key=lambda item: item[1][1]):
        by_day.setdefault(day, []).append(ident)
    return table, by_day


def occupied_slots(data, session, first_slot):
    """The slot ids a session starting at `first_slot` runs in, or None if they are not back to back."""
    table, by_day = _slot_table(data)
    day = table[first_slot][0]
    ordered = by_day[day]
    index = ordered.index(first_slot)
    taken = ordered[index : index + session["slots"]]
    if len(taken) != session["slots"]:
        return None
    for before, after in itertools.pairwise(taken):
        if table[before][2] != table[after][1]:
            return None
    return taken


def violations(data, solution, *, mode="replan"):
    """Every broken hard rule as a sentence; [] when the solution keeps them all."""
    problems = []
    sessions = {s["id"]: s for s in data["sessions"]}
    rooms = {r["id"]: r for r in data["rooms"]}
    _table, by_day = _slot_table(data)
    position = {ident: (day, ids.index(ident)) for day, ids in by_day.items() for ident in ids}
    placed = {}
    for item in solution["assignments"]:
        if item["session"] in placed:
            problems.append(f"{item['session']} placed twice")
        placed[item["session"]] = item
    left_out = {item["session"] for item in solution["unscheduled"]}
    for ident in sessions:
        if (ident in placed) == (ident in left_out):
            problems.append(f"{ident} is not exactly once placed or unscheduled")
    running = {}
    for ident, item in placed.items():
        session, room = sessions[ident], rooms[item["room"]]
        taken = occupied_slots(data, session, item["slot"])
        if taken is None:
            problems.append(f"{ident} does not get {session['slots']} consecutive slots")
            continue
        if session["allowed"] != "all" and not set(taken) <= set(session["allowed"]):
            problems.append(f"{ident} runs outside its allowed slots")
        if set(taken) & set(room["unavailable"]):
            problems.append(f"{ident} uses {room['id']} when it is unavailable")
        if not set(session["room_tags"]) <= set(room["tags"]):
            problems.append(f"{ident} is in a room without its tags")
        if session.get("pinned") and (session["pinned"]["slot"], session["pinned"]["room"]) != (
            item["slot"],
            item["room"],
        ):
            problems.append(f"pinned {ident} moved")
        running[ident] = taken
    for a, taken_a in running.items():
        for b, taken_b in running.items():
            if a >= b:
                continue
            same_time = set(taken_a) & set(taken_b)
            if same_time and placed[a]["room"] == placed[b]["room"]:
                problems.append(f"{a} and {b} share a room")
            if same_time and (sessions[a]["plenary"] or sessions[b]["plenary"]):
                problems.append(f"{a} and {b} run at once although one is plenary")
            shared = set(sessions[a]["speakers"]) & set(sessions[b]["speakers"])
            if shared and _too_close(taken_a, taken_b, position, data.get("min_pause_slots", 0)):
                problems.append(f"{a} and {b} need the same speaker at once")
    if mode == "fill":
        for item in data.get("current", []):
            if item["session"] in placed and (
                placed[item["session"]]["slot"],
                placed[item["session"]]["room"],
            ) != (
                item["slot"],
                item["room"],
            ):
                problems.append(f"kept {item['session']} moved")
    return problems


def _too_close(taken_a, taken_b, position, pause):
    days_a = {position[t][0] for t in taken_a}
    days_b = {position[t][0] for t in taken_b}
    if days_a != days_b:
        return False
    a = sorted(position[t][1] for t in taken_a)
    b = sorted(position[t][1] for t in taken_b)
    gap = max(b[0] - a[-1], a[0] - b[-1]) - 1
    return gap < pause
