"""Benchmark: the scheduling engine on seeded conference-size instances, against simple baselines.

    .venv/bin/python benchmarks/solver.py [--sessions 800] [--rooms 30] [--days 4] [--slots-per-day 10]
        [--attendees 5000] [--stars 15] [--time-limit 30] [--seeds 1] [--output PATH]

For each seed it generates an instance (generate(); the same seed gives the same instance), then runs:

- first-fit: every session at its first feasible place in slot order (hard rules only, no goals);
- construction: the solver's greedy construction (stats.construction_total of the full run);
- search: solve() with --time-limit seconds.

It prints the weighted total and its main terms for each, the solver's time to the first feasible
schedule and its iterations, and writes the results as JSON to benchmarks/results/solver.json.
No Django and no database: the engine is pure Python. See benchmarks/README.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "solver.json"
sys.path.insert(0, str(ROOT / "src"))

from podium.schedule.solver import load_instance, solve  # noqa: E402
from podium.schedule.solver.objective import evaluate  # noqa: E402
from podium.schedule.solver.state import Candidates, State  # noqa: E402


def generate(seed, *, sessions, rooms, days, slots_per_day, attendees, stars):
    """A conference shaped like a large community event, fully determined by `seed`.

    30-minute slots from 09:00 with a lunch gap mid-day; rooms of mixed sizes (every third has video);
    about 10% two-slot workshops, 15% with a co-speaker, 20% with restricted availability, a few needing
    video, one plenary keynote per day pinned to the first slot of the biggest room; popularity is
    skewed (a few sessions draw most stars), and attendees star `stars` sessions each.
    """
    rng = random.Random(seed)
    slots = []
    for day in range(days):
        moment = dt.datetime(2026, 6, 5 + day, 9, 0)
        for position in range(slots_per_day):
            if position == slots_per_day // 2:
                moment += dt.timedelta(hours=1)
            slots.append(
                {
                    "id": f"d{day}-{moment:%H%M}",
                    "start": moment.isoformat(),
                    "minutes": 30,
                    "day": f"day{day}",
                }
            )
            moment += dt.timedelta(minutes=30)
    slot_ids = [slot["id"] for slot in slots]
    room_list = [
        {
            "id": f"room{i}",
            "capacity": 600 if i == 0 else rng.choice([40, 60, 100, 150, 250]),
            "unavailable": rng.sample(slot_ids, 2) if i and rng.random() < 0.2 else [],
            "tags": ["video"] if i % 3 == 0 else [],
        }
        for i in range(rooms)
    ]
    speaker_count = max(2, sessions * 7 // 8)
    session_list = []
    for day in range(days):
        session_list.append(
            {
                "id": f"keynote{day}",
                "slots": 1,
                "speakers": [f"k{day}"],
                "track": None,
                "plenary": True,
                "allowed": "all",
                "room_tags": ["video"],
                "pinned": {"slot": slot_ids[day * slots_per_day], "room": "room0"},
                "audience": 500,
            }
        )
    for i in range(sessions - days):
        speakers = rng.sample(range(speaker_count), 2 if rng.random() < 0.15 else 1)
        allowed = sorted(rng.sample(slot_ids, len(slot_ids) * 2 // 3)) if rng.random() < 0.2 else "all"
        session_list.append(
            {
                "id": f"s{i}",
                "slots": 2 if rng.random() < 0.1 else 1,
                "speakers": [f"p{p}" for p in speakers],
                "track": f"track{rng.randrange(max(1, rooms * 2 // 3))}",
                "plenary": False,
                "allowed": allowed,
                "room_tags": ["video"] if rng.random() < 0.05 else [],
                "pinned": None,
                "audience": int(20 + 230 * rng.random() ** 2),
                "preferred": rng.sample(slot_ids, 4) if rng.random() < 0.2 else [],
            }
        )
    popularity = [rng.random() ** 3 + 0.02 for _ in session_list]
    attendee_list = []
    for a in range(attendees):
        starred = set()
        while len(starred) < min(stars, len(session_list)):
            starred.add(rng.choices(range(len(session_list)), weights=popularity)[0])
        attendee_list.append({"id": f"a{a}", "starred": [session_list[i]["id"] for i in sorted(starred)]})
    return {"slots": slots, "rooms": room_list, "sessions": session_list, "attendees": attendee_list}


def first_fit(instance):
    """The baseline with no goals: each session at its first feasible (slot, room)."""
    started = time.monotonic()
    state = State(instance, Candidates(instance))
    for s, session in enumerate(instance.sessions):
        if session.pinned and state.can_place(s, *session.pinned):
            state.add(s, *session.pinned)
    for s in range(len(instance.sessions)):
        if state.pos[s] is not None:
            continue
        for start, rooms in state.candidates.rooms[s].items():
            room = next((r for r in rooms if state.can_place(s, start, r)), None)
            if room is not None:
                state.add(s, start, room)
                break
    terms = evaluate(instance, state.placement())
    return {"seconds": time.monotonic() - started, "unscheduled": state.unplaced, "objective": terms}


def run(seed, args):
    data = generate(
        seed,
        sessions=args.sessions,
        rooms=args.rooms,
        days=args.days,
        slots_per_day=args.slots_per_day,
        attendees=args.attendees,
        stars=args.stars,
    )
    instance = load_instance(data)
    baseline = first_fit(instance)
    solution = solve(instance, time_limit=args.time_limit, seed=seed)
    return {
        "seed": seed,
        "first_fit": baseline,
        "construction_total": solution.stats["construction_total"],
        "search": {
            "objective": solution.objective,
            "stats": solution.stats,
            "unscheduled": len(solution.unscheduled),
        },
    }


def print_table(report):
    print(
        f"{'seed':>4} {'method':<13} {'total':>12} {'missed fav.':>11} {'overflow':>9} {'unsched.':>8} {'seconds':>8}"
    )
    for result in report["results"]:
        first, search = result["first_fit"], result["search"]
        print(
            f"{result['seed']:>4} {'first-fit':<13} {first['objective']['total']:>12,.0f} "
            f"{first['objective']['missed_favourites']:>11,} {first['objective']['overflow']:>9,} "
            f"{first['unscheduled']:>8} {first['seconds']:>8.2f}"
        )
        print(
            f"{'':>4} {'construction':<13} {result['construction_total']:>12,.0f} {'':>11} {'':>9} {'':>8} "
            f"{search['stats']['first_feasible_seconds']:>8.2f}"
        )
        objective = search["objective"]
        print(
            f"{'':>4} {'search':<13} {objective['total']:>12,.0f} {objective['missed_favourites']:>11,} "
            f"{objective['overflow']:>9,} {search['unscheduled']:>8} {search['stats']['seconds']:>8.2f}"
            f"  ({search['stats']['iterations']:,} iterations)"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=800)
    parser.add_argument("--rooms", type=int, default=30)
    parser.add_argument("--days", type=int, default=4)
    parser.add_argument("--slots-per-day", type=int, default=10)
    parser.add_argument("--attendees", type=int, default=5000)
    parser.add_argument("--stars", type=int, default=15)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--seeds", type=int, default=1, help="Run seeds 0 .. N-1.")
    parser.add_argument("--output", type=Path, default=RESULTS, help="Where to write the JSON results.")
    args = parser.parse_args(argv)
    if (
        min(args.sessions, args.rooms, args.days, args.slots_per_day, args.seeds) < 1
        or args.sessions <= args.days
    ):
        parser.error("sizes must be at least 1 and --sessions more than --days.")
    report = {
        "benchmark": "solver",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "arguments": {key: value for key, value in vars(args).items() if key != "output"},
        "results": [run(seed, args) for seed in range(args.seeds)],
    }
    print_table(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nResults written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
