"""A first feasible schedule, fast: fixed sessions first, then the hardest to place, each where it costs least.

"Hardest" is the fewest places it could go at all (by order of magnitude), then plenary and long
sessions: they are the ones a greedy pass would otherwise squeeze out. Among equals, the most starred
go first, so the popular sessions spread over the slots before the rest fill in around them. Time is chosen before room, as the soft goals mostly depend on
which sessions run together; the room is then the best fit among the free suitable ones.
"""

SCARCE = 3  # at most 7 places: placed before the rest, whatever their stars


def difficulty_order(state, sessions) -> list:
    instance, candidates = state.instance, state.candidates

    def key(s):
        session = instance.sessions[s]
        places = sum(len(rooms) for rooms in candidates.rooms[s].values())
        scarcity = places.bit_length()  # 1, 2-3, 4-7, ... places: only real differences in freedom count
        return (
            not session.plenary,
            -session.length,
            scarcity > SCARCE,
            -len(state.fans[s]),
            scarcity,
            -len(session.speakers),
            s,
        )

    return sorted(sessions, key=key)


def best_place(state, s):
    """The cheapest feasible (start, room) for `s` (not placed), or None.

    Ties go to its current place, then to the slot with the fewest sessions running (so popular sessions
    spread out while nothing conflicts yet), then to the earlier slot.
    """
    best, best_cost, best_running = None, None, 0
    current = state.instance.current.get(s)
    kindest_room = -state.weights[5] * state.instance.change_weight(s)  # an unchanged place earns it back
    occupants = state.room_occupant
    covers = state.candidates.cover[s]
    track = state.instance.sessions[s].track
    track_rooms = state.track_day_room
    slots = state.instance.slots
    for start, rooms in state.candidates.rooms[s].items():
        if not state.time_free(s, start):
            continue
        cover = covers[start]
        time_cost = None
        first_free = True
        day = slots[start].day_index
        for room in rooms:
            occupant = occupants[room]
            if any(occupant[t] != -1 for t in cover):
                continue
            # Rooms come in best-fit order, so the first free one has the least overflow; a later one
            # can only be cheaper as a room its track already uses that day, or as its current place.
            if not first_free and not (
                (start, room) == current or (track is not None and track_rooms.get((track, day, room)))
            ):
                continue
            first_free = False
            if time_cost is None:
                time_cost = state.time_delta(s, start)
                if best_cost is not None and time_cost + kindest_room > best_cost:
                    break  # no room at this time can beat the best so far
            cost = time_cost + state.room_delta(s, start, room)
            if (
                best_cost is None
                or cost < best_cost
                or (cost == best_cost and (start, room) == current)
                or (cost == best_cost and best != current and state.running[start] < best_running)
            ):
                best, best_cost, best_running = (start, room), cost, state.running[start]
    return best


def place_fixed(state, fixed: dict) -> list:
    """Put pinned (and, when filling, kept) sessions at their places; return those that could not go there."""
    refused = []
    for s, (start, room) in sorted(fixed.items()):
        if state.can_place(s, start, room):
            state.add(s, start, room)
        else:
            refused.append(s)
    return refused


def construct(state, movable, *, prefer_current: bool) -> None:
    """Place every movable session greedily; with `prefer_current`, first try each one's current place."""
    order = difficulty_order(state, movable)
    if prefer_current:
        for s in order:
            place = state.instance.current.get(s)
            if place is not None and state.can_place(s, *place):
                state.add(s, *place)
    for s in order:
        if state.pos[s] is None:
            place = best_place(state, s)
            if place is not None:
                state.add(s, *place)
