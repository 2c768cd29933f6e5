"""The soft goals, computed from scratch for a finished assignment.

The search keeps the same numbers incrementally (search.State); this module is the plain reference it
is compared with, and what a Solution reports.
"""

from collections import Counter, defaultdict

TERMS = ("missed_favourites", "overflow", "track_room", "track_clash", "preference", "changes")


def weighted_total(terms: dict, weights: dict) -> float:
    return sum(weights[name] * terms[name] for name in TERMS)


def evaluate(instance, placement: dict) -> dict:
    """Every soft term and the weighted total for `placement` (session index -> (start slot, room)).

    - missed_favourites: for every attendee and slot, max(0, k - 1) where k is the number of their
      starred sessions running then;
    - overflow: seats of expected audience above the room's capacity, summed over sessions;
    - track_room: for every track and day, the number of rooms it uses beyond one;
    - track_clash: for every track and slot, max(0, k - 1) sessions of the track running at once;
    - preference: sessions with preferred slots placed (partly) outside them;
    - changes: sessions of the current plan not at their current place (or left out), each counted by
      its change weight (1 unless `current` gives another).
    """
    covers = {s: instance.cover(start, instance.sessions[s].length) for s, (start, _r) in placement.items()}
    missed = 0
    for starred in instance.stars:
        running = Counter(t for s in starred if s in covers for t in covers[s])
        missed += sum(k - 1 for k in running.values() if k > 1)
    overflow = sum(
        max(0, instance.sessions[s].audience - instance.rooms[room].capacity)
        for s, (_t, room) in placement.items()
    )
    rooms_used = defaultdict(set)
    track_running = Counter()
    for s, (start, room) in placement.items():
        track = instance.sessions[s].track
        if track is None:
            continue
        rooms_used[track, instance.slots[start].day_index].add(room)
        track_running.update((track, t) for t in covers[s])
    track_room = sum(len(rooms) - 1 for rooms in rooms_used.values())
    track_clash = sum(k - 1 for k in track_running.values() if k > 1)
    preference = sum(
        1
        for s, (start, _room) in placement.items()
        if instance.sessions[s].preferred and not set(covers[s]) <= instance.sessions[s].preferred
    )
    changes = sum(
        instance.change_weight(s) for s, place in instance.current.items() if placement.get(s) != place
    )
    terms = {
        "missed_favourites": missed,
        "overflow": overflow,
        "track_room": track_room,
        "track_clash": track_clash,
        "preference": preference,
        "changes": changes,
    }
    terms["total"] = weighted_total(terms, instance.weights)
    return terms
