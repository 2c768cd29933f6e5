"""Seeded instance families for the solver benchmark, and the popularity-greedy baseline.

    generate(family, seed) -> instance dict (docs/solver-format.md); the same family and seed always give
    the same instance.

Families (FAMILIES):

- large: 800 sessions (5 plenary keynotes, one per day, alone in their slot), 30 rooms (1x1500, 2x800,
  4x400, 8x200, 15x100 seats), 5 days x 8 slots, 20 tracks of skewed size, about 600 speakers (some with
  2-3 sessions, 10% of sessions with a co-speaker), 25% of speakers present only 2-4 consecutive days and
  10% blocking a half-day, 5,000 attendees each starring about 15 sessions (80% from 1-3 favourite tracks,
  weighted by a lognormal appeal), expected audience = 1.6 x stars;
- pycon: the same shape at PyCon size: 100 sessions, 6 rooms, 3 days;
- fosdem: the same shape at FOSDEM size: 950 sessions, 40 rooms, 2 days.

Pure Python plus numpy (which the engine already needs); no Django.
"""

import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from podium.scheduling.solver.state import Candidates, State  # noqa: E402

AUDIENCE_PER_STAR = 1.6


@dataclass(frozen=True)
class Family:
    sessions: int
    rooms: tuple  # (count, seats) pairs
    days: int
    slots_per_day: int
    tracks: int
    speakers: int
    attendees: int
    stars: int


FAMILIES = {
    "large": Family(
        sessions=800,
        rooms=((1, 1500), (2, 800), (4, 400), (8, 200), (15, 100)),
        days=5,
        slots_per_day=8,
        tracks=20,
        speakers=600,
        attendees=5000,
        stars=15,
    ),
    "pycon": Family(
        sessions=100,
        rooms=((1, 1200), (1, 500), (2, 300), (2, 150)),
        days=3,
        slots_per_day=8,
        tracks=6,
        speakers=80,
        attendees=1500,
        stars=12,
    ),
    "fosdem": Family(
        sessions=950,
        rooms=((1, 1400), (3, 500), (6, 300), (12, 150), (18, 80)),
        days=2,
        slots_per_day=14,
        tracks=40,
        speakers=800,
        attendees=8000,
        stars=15,
    ),
}


def _slots(family):
    """Slots of 50 minutes (40 talk + 10 change-over) from 09:00, with a lunch hour mid-day."""
    slots = []
    for day in range(family.days):
        moment = dt.datetime(2027, 5, 14 + day, 9, 0)
        for position in range(family.slots_per_day):
            if position == family.slots_per_day // 2:
                moment += dt.timedelta(hours=1)
            slots.append(
                {
                    "id": f"d{day + 1}-{moment:%H%M}",
                    "start": moment.isoformat(),
                    "minutes": 50,
                    "day": f"day{day + 1}",
                }
            )
            moment += dt.timedelta(minutes=50)
    return slots


def generate(family_name: str, seed: int) -> dict:
    """The instance of `family_name` for `seed`, as plain JSON data."""
    family = FAMILIES[family_name]
    rng = np.random.default_rng(seed)
    slots = _slots(family)
    per_day = family.slots_per_day
    day_slots = [[s["id"] for s in slots[d * per_day : (d + 1) * per_day]] for d in range(family.days)]
    rooms = []
    for count, seats in family.rooms:
        for _ in range(count):
            rooms.append(
                {"id": f"r{len(rooms) + 1}-{seats}", "capacity": seats, "unavailable": [], "tags": []}
            )

    # Tracks of skewed size (Zipf-like shares), sessions dealt to tracks by those shares.
    track_share = 1.0 / np.arange(1, family.tracks + 1) ** 0.8
    track_share /= track_share.sum()
    regular = family.sessions - family.days
    track_of = rng.choice(family.tracks, size=regular, p=track_share)
    appeal = rng.lognormal(mean=0.0, sigma=1.0, size=family.sessions)
    appeal[: family.days] *= 8  # keynotes draw the crowd

    # Speakers: every speaker has one session, some two or three; 10% of sessions get a co-speaker.
    speakers_needed = family.speakers
    leads = list(range(min(speakers_needed, regular)))
    while len(leads) < regular:
        leads.append(int(rng.integers(0, speakers_needed)))  # the extras give 2-3 sessions to some
    rng.shuffle(leads)
    availability = {}
    for person in range(speakers_needed):
        draw = rng.random()
        if draw < 0.25 and family.days > 2:
            length = int(rng.integers(2, min(4, family.days - 1) + 1))
            first = int(rng.integers(0, family.days - length + 1))
            availability[person] = {slot for d in range(first, first + length) for slot in day_slots[d]}
        elif draw < 0.35:
            day = int(rng.integers(0, family.days))
            half = day_slots[day][: per_day // 2] if rng.random() < 0.5 else day_slots[day][per_day // 2 :]
            availability[person] = {slot for slot in (s["id"] for s in slots)} - set(half)
    sessions = []
    for day in range(family.days):
        sessions.append(
            {
                "id": f"keynote-{day + 1}",
                "title": f"Keynote, day {day + 1}",
                "slots": 1,
                "speakers": [f"keynote-speaker-{day + 1}"],
                "track": None,
                "plenary": True,
                "allowed": [day_slots[day][0]],
            }
        )
    for i in range(regular):
        people = [leads[i]]
        if rng.random() < 0.10:
            other = int(rng.integers(0, speakers_needed))
            if other != leads[i]:
                people.append(other)
        allowed = None
        for person in people:
            if person in availability:
                allowed = set(availability[person]) if allowed is None else allowed & availability[person]
        if allowed is not None and not allowed:
            # Speakers with no day in common would not be accepted as co-speakers: the lead talks alone.
            # (Decided after the draws above, so every other session stays as the seed made it.)
            people = people[:1]
            allowed = set(availability[people[0]]) if people[0] in availability else None
        entry = {
            "id": f"s{i + 1:04d}",
            "slots": 1,
            "speakers": [f"p{person}" for person in people],
            "track": f"track-{int(track_of[i]) + 1:02d}",
            "plenary": False,
            "allowed": "all" if allowed is None else sorted(allowed),
        }
        sessions.append(entry)

    # Attendees: about `stars` each, 80% from 1-3 favourite tracks, all weighted by appeal.
    session_track = np.array([-1] * family.days + list(track_of))
    by_track = [np.flatnonzero(session_track == t) for t in range(family.tracks)]
    everyone = np.arange(family.sessions)
    attendees = []
    star_count = np.zeros(family.sessions, dtype=np.int64)
    for a in range(family.attendees):
        wanted = max(3, int(rng.poisson(family.stars)))
        favourite_count = int(rng.integers(1, 4))
        favourites = rng.choice(family.tracks, size=favourite_count, replace=False, p=track_share)
        pool = np.concatenate([by_track[t] for t in favourites])
        from_favourites = min(len(pool), int(round(wanted * 0.8)))
        chosen = set()
        if from_favourites:
            weights = appeal[pool] / appeal[pool].sum()
            chosen.update(int(s) for s in rng.choice(pool, size=from_favourites, replace=False, p=weights))
        rest = [s for s in everyone if s not in chosen]
        weights = appeal[rest] / appeal[rest].sum()
        chosen.update(int(s) for s in rng.choice(rest, size=wanted - len(chosen), replace=False, p=weights))
        for s in chosen:
            star_count[s] += 1
        attendees.append({"id": f"a{a + 1}", "starred": [sessions[s]["id"] for s in sorted(chosen)]})
    for s, entry in enumerate(sessions):
        entry["audience"] = int(round(AUDIENCE_PER_STAR * star_count[s]))
    return {"slots": slots, "rooms": rooms, "sessions": sessions, "attendees": attendees}


def best_fit_room(state, s, start):
    """The smallest free room that seats the audience, else the biggest free one (None if all are taken)."""
    rooms = [r for r in state.candidates.rooms[s][start] if state.room_free(s, start, r)]
    if not rooms:
        return None
    audience = state.instance.sessions[s].audience
    seated = [r for r in rooms if state.instance.rooms[r].capacity >= audience]
    if seated:
        return min(seated, key=lambda r: (state.instance.rooms[r].capacity, r))
    return max(rooms, key=lambda r: (state.instance.rooms[r].capacity, -r))


def popularity_greedy(instance) -> dict:
    """Plenary sessions, then most-starred first, each into the feasible slot that adds the fewest missed favourites.

    Ties go to the slot with the fewest sessions running, then the earlier one; the room is the best fit.
    Returns {session index: (start slot, room)}; sessions with no feasible place are left out.
    """
    state = State(instance, Candidates(instance))
    # Plenary sessions first (each is alone in its time, so they are the fixed points a person would
    # start from), then most starred first.
    order = sorted(
        range(len(instance.sessions)),
        key=lambda s: (not instance.sessions[s].plenary, -len(state.fans[s]), s),
    )
    for s in order:
        best, best_key = None, None
        fans = state.fans[s]
        for start in state.candidates.rooms[s]:
            if not state.time_free(s, start):
                continue
            room = best_fit_room(state, s, start)
            if room is None:
                continue
            cover = state.candidates.cover[s][start]
            added = sum(int(np.count_nonzero(state.star_count[t, fans])) for t in cover) if len(fans) else 0
            key = (added, max(state.running[t] for t in cover), start)
            if best_key is None or key < best_key:
                best, best_key = (start, room), key
        if best is not None:
            state.add(s, *best)
    return state.placement()


def metrics(instance, placement: dict) -> dict:
    """What the benchmark compares: missed favourites, overflow seats, attendees with no conflict at all."""
    covers = {
        s: instance.cover(start, instance.sessions[s].length) for s, (start, _room) in placement.items()
    }
    missed, clean = 0, 0
    for starred in instance.stars:
        seen = {}
        for s in starred:
            for t in covers.get(s, ()):
                seen[t] = seen.get(t, 0) + 1
        extra = sum(k - 1 for k in seen.values() if k > 1)
        missed += extra
        clean += extra == 0
    overflow = sum(
        max(0, instance.sessions[s].audience - instance.rooms[room].capacity)
        for s, (_t, room) in placement.items()
    )
    return {
        "missed_favourites": missed,
        "overflow": overflow,
        "no_conflict_share": clean / len(instance.stars) if instance.stars else 1.0,
        "unscheduled": len(instance.sessions) - len(placement),
    }
