"""Instances for the solver tests: hand-made tiny ones and seeded random ones of any size."""

import datetime as dt
import random


def slots(days=1, per_day=4, minutes=30, lunch_after=None):
    """Slots from 10:00 each day; with `lunch_after`, a one-hour gap after that many slots."""
    result = []
    for day in range(days):
        moment = dt.datetime(2026, 6, 6 + day, 10, 0)
        for position in range(per_day):
            if lunch_after is not None and position == lunch_after:
                moment += dt.timedelta(hours=1)
            result.append(
                {
                    "id": f"d{day}s{position}",
                    "start": moment.isoformat(),
                    "minutes": minutes,
                    "day": f"day{day}",
                }
            )
            moment += dt.timedelta(minutes=minutes)
    return result


def room(ident, capacity=100, unavailable=(), tags=()):
    return {"id": ident, "capacity": capacity, "unavailable": list(unavailable), "tags": list(tags)}


def session(
    ident,
    *,
    speakers=(),
    length=1,
    track=None,
    plenary=False,
    allowed="all",
    room_tags=(),
    pinned=None,
    audience=10,
    preferred=(),
):
    return {
        "id": ident,
        "slots": length,
        "speakers": list(speakers),
        "track": track,
        "plenary": plenary,
        "allowed": allowed if allowed == "all" else list(allowed),
        "room_tags": list(room_tags),
        "pinned": pinned,
        "audience": audience,
        "preferred": list(preferred),
    }


def instance(*, slot_list, rooms, sessions, attendees=(), weights=None, **extra):
    data = {"slots": slot_list, "rooms": rooms, "sessions": sessions, "attendees": list(attendees)}
    if weights is not None:
        data["weights"] = weights
    data.update(extra)
    return data


def random_instance(
    seed, *, sessions=40, rooms=5, days=2, per_day=6, attendees=200, stars=6, speakers=None, tracks=4
):
    """A feasible-looking conference: roughly 70% of room slots used, a few long and tagged sessions."""
    rng = random.Random(seed)
    slot_list = slots(days=days, per_day=per_day, lunch_after=per_day // 2)
    slot_ids = [slot["id"] for slot in slot_list]
    room_list = [
        room(f"r{i}", capacity=rng.choice([40, 80, 150, 300]), tags=["video"] if i % 2 == 0 else [])
        for i in range(rooms)
    ]
    speaker_count = speakers or max(2, sessions * 3 // 4)
    session_list = []
    for i in range(sessions):
        length = 2 if rng.random() < 0.1 else 1
        chosen = rng.sample(range(speaker_count), 2 if rng.random() < 0.15 else 1)
        allowed = "all"
        if rng.random() < 0.2:
            allowed = sorted(rng.sample(slot_ids, len(slot_ids) * 2 // 3))
        session_list.append(
            session(
                f"s{i}",
                speakers=[f"p{p}" for p in chosen],
                length=length,
                track=f"t{rng.randrange(tracks)}",
                allowed=allowed,
                room_tags=["video"] if rng.random() < 0.1 else [],
                audience=rng.randrange(10, 250),
                preferred=rng.sample(slot_ids, 3) if rng.random() < 0.2 else [],
            )
        )
    popularity = [rng.random() ** 2 + 0.05 for _ in range(sessions)]
    attendee_list = []
    for a in range(attendees):
        starred = set()
        while len(starred) < min(stars, sessions):
            starred.add(rng.choices(range(sessions), weights=popularity)[0])
        attendee_list.append({"id": f"a{a}", "starred": [f"s{i}" for i in sorted(starred)]})
    return instance(slot_list=slot_list, rooms=room_list, sessions=session_list, attendees=attendee_list)
