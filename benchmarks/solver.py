"""Benchmark: the scheduling engine against the baselines people use, on seeded conference families.

    .venv/bin/python benchmarks/solver.py [--family large|pycon|fosdem|all] [--seeds 1-5] [--time-limit 30]
        [--replan] [--conference-scheduler] [--output PATH]

For each family and seed (benchmarks/solver_instances.py builds the instance) it schedules with:

- random: plenary sessions first, then the rest in a seeded random order, each at a random feasible time
  in the best-fitting free room;
- track-room: every track owns rooms (the biggest tracks the biggest rooms, as many rooms as its sessions
  need), keynotes first in the biggest room, sessions fill their track's rooms in slot order; what cannot
  go there takes the first feasible place; how programs are laid out by hand;
- greedy: popularity greedy (most starred first, each at the feasible time adding the fewest missed
  favourites; solver_instances.popularity_greedy);
- engine: solve(time_limit=T, seed=seed) with the default weights;
- engine-fav: the same with {"track_clash": 0, "track_room": 0}, missed favourites as the main goal;
- cs (--conference-scheduler, pycon family only): PyCon UK's conference-scheduler in its own virtual
  environment (benchmarks/conference_scheduler_run.py).

Every schedule goes through the same metrics and an independent check of the hard rules
(benchmarks/solver_checks.py). With --replan, the engine's schedule is re-planned after one speaker
cancels and after one speaker changes days.
Pure Python; no Django, no database, no child process except conference-scheduler's. See benchmarks/README.md.
"""

import argparse
import copy
import datetime as dt
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from solver_checks import hard_violations, overflow_floor, overflow_report  # noqa: E402
from solver_instances import FAMILIES, generate, metrics, popularity_greedy  # noqa: E402
from solver_instances import best_fit_room as _best_fit  # noqa: E402

from podium.scheduling.solver import load_instance, solve  # noqa: E402
from podium.scheduling.solver.state import Candidates, State  # noqa: E402

RESULTS = HERE / "results" / "solver.json"
CS_VENV = HERE / ".venv-cs"
CS_REQUIREMENTS = HERE / "requirements-conference-scheduler.txt"
FAVOURITES_FIRST = {"track_clash": 0, "track_room": 0}
REPLAN_LIMIT = 5.0


# -- baselines ----------------------------------------------------------------------------------------


def _first_feasible(state, s, starts):
    for start in starts:
        if start in state.candidates.rooms[s] and state.time_free(s, start):
            room = _best_fit(state, s, start)
            if room is not None:
                state.add(s, start, room)
                return True
    return False


def random_feasible(instance, seed) -> dict:
    """Plenary sessions first, then a random order, each at a random feasible time in the best-fit room."""
    rng = random.Random(seed)
    state = State(instance, Candidates(instance))
    order = list(range(len(instance.sessions)))
    rng.shuffle(order)
    order.sort(key=lambda s: not instance.sessions[s].plenary)  # stable: random within each group
    for s in order:
        starts = list(state.candidates.rooms[s])
        rng.shuffle(starts)
        _first_feasible(state, s, starts)
    return state.placement()


def track_owns_room(instance) -> dict:
    """The hand-made layout: each track in its own room(s), filled in slot order; keynotes in the biggest room."""
    state = State(instance, Candidates(instance))
    n_slots = len(instance.slots)
    by_size = sorted(range(len(instance.rooms)), key=lambda r: (-instance.rooms[r].capacity, r))
    plenary = [s for s, session in enumerate(instance.sessions) if session.plenary]
    for s in plenary:
        placed = False
        for start in sorted(state.candidates.rooms[s]):
            if by_size[0] in state.candidates.rooms[s][start] and state.can_place(s, start, by_size[0]):
                state.add(s, start, by_size[0])
                placed = True
                break
        if not placed:
            _first_feasible(state, s, sorted(state.candidates.rooms[s]))
    # Slots a room can hold regular sessions in: not unavailable, not during a plenary session.
    plenary_slots = {t for s in plenary if state.pos[s] for t in state.candidates.cover[s][state.pos[s][0]]}
    free_slots = [n_slots - len(room.unavailable | plenary_slots) for room in instance.rooms]
    tracks = {}
    for s, session in enumerate(instance.sessions):
        if not session.plenary:
            tracks.setdefault(session.track, []).append(s)
    owned, spare = {}, {r: free_slots[r] for r in by_size}
    unowned = list(by_size)
    for track in sorted(tracks, key=lambda t: (-len(tracks[t]), str(t))):
        need, rooms = len(tracks[track]), []
        while need > 0 and unowned:
            room = unowned.pop(0)
            rooms.append(room)
            need -= spare[room]
            spare[room] = max(0, -need)
        if not rooms:  # more tracks than rooms: share the room with the most slots left over
            room = max(by_size, key=lambda r: (spare[r], -by_size.index(r)))
            rooms.append(room)
            spare[room] = max(0, spare[room] - need)
        owned[track] = rooms
    for track, sessions in tracks.items():
        rooms = owned[track]
        # Whoever can come only some of the time is placed first, as anyone laying out a grid does; a
        # session that fits none of its track's rooms takes the first feasible place anywhere at once.
        for s in sorted(sessions, key=lambda s: (len(state.candidates.rooms[s]), s)):
            place = next(
                (
                    (start, room)
                    for start in sorted(state.candidates.rooms[s])
                    for room in rooms
                    if state.can_place(s, start, room)
                ),
                None,
            )
            if place is None:
                _first_feasible(state, s, sorted(state.candidates.rooms[s]))
            else:
                state.add(s, *place)
    return state.placement()


# -- checks and measures ------------------------------------------------------------------------------


def _indices(instance, assignments) -> dict:
    return {
        instance.session_index[a["session"]]: (instance.slot_index[a["slot"]], instance.room_index[a["room"]])
        for a in assignments
    }


def _assignments(instance, placement) -> list:
    return [
        {"session": instance.sessions[s].id, "slot": instance.slots[t].id, "room": instance.rooms[r].id}
        for s, (t, r) in sorted(placement.items())
    ]


def measure(data, instance, placement, seconds, **extra) -> dict:
    assignments = _assignments(instance, placement)
    unscheduled = [session.id for s, session in enumerate(instance.sessions) if s not in placement]
    result = metrics(instance, placement)
    result.update(overflow_report(instance, placement))
    result["seconds"] = round(seconds, 3)
    result["violations"] = hard_violations(data, assignments, unscheduled)
    result.update(extra)
    return result


def _timed(function, *args):
    started = time.monotonic()
    value = function(*args)
    return value, time.monotonic() - started


# -- the engine and re-planning -----------------------------------------------------------------------


def run_engine(data, seed, time_limit, weights=None):
    data = dict(data, weights=weights) if weights else data
    instance = load_instance(data)
    solution = solve(instance, time_limit=time_limit, seed=seed)
    placement = _indices(instance, solution.assignments)
    stats = solution.stats
    result = measure(
        data,
        instance,
        placement,
        stats["seconds"],
        first_feasible_seconds=stats["first_feasible_seconds"],
        iterations=stats["iterations"],
        objective=solution.objective,
    )
    return result, solution


def replan(data, solution, seed, change):
    """Re-plan the engine's schedule after `change` ("cancel" or "days"); how long, how much moved."""
    rng = random.Random(seed)
    placed = {a["session"]: a for a in solution.assignments}
    sessions_of = {}
    for session in data["sessions"]:
        if not session.get("plenary") and session["id"] in placed:
            for person in session["speakers"]:
                sessions_of.setdefault(person, []).append(session)
    day_of = {slot["id"]: slot["day"] for slot in data["slots"]}
    changed = copy.deepcopy(data)
    people = sorted(sessions_of)
    rng.shuffle(people)
    for person in people:
        if change == "cancel":
            gone = {session["id"] for session in sessions_of[person]}
            changed["sessions"] = [s for s in changed["sessions"] if s["id"] not in gone]
            for attendee in changed["attendees"]:
                attendee["starred"] = [s for s in attendee["starred"] if s not in gone]
            description = f"speaker {person} cancels: {len(gone)} session(s) dropped"
            break
        days_now = {day_of[placed[session["id"]]["slot"]] for session in sessions_of[person]}
        others = [slot["id"] for slot in data["slots"] if slot["day"] not in days_now]
        ids = {session["id"] for session in sessions_of[person]}
        restricted = {}
        for session in changed["sessions"]:
            if session["id"] in ids:
                allowed = (
                    others if session["allowed"] == "all" else [t for t in session["allowed"] if t in others]
                )
                restricted[session["id"]] = allowed
        if all(restricted.values()):
            for session in changed["sessions"]:
                if session["id"] in restricted:
                    session["allowed"] = restricted[session["id"]]
            gone = set()
            description = f"speaker {person} can no longer come on {', '.join(sorted(days_now))}"
            break
    else:
        return {"error": f"no speaker fits the change {change!r}"}
    changed["current"] = [dict(a) for a in solution.assignments if a["session"] not in gone]
    instance = load_instance(changed)
    result = solve(instance, time_limit=REPLAN_LIMIT, seed=seed, mode="replan")
    after = {a["session"]: (a["slot"], a["room"]) for a in result.assignments}
    moved = sorted(
        ident
        for ident, (t, r) in after.items()
        if ident in placed and (placed[ident]["slot"], placed[ident]["room"]) != (t, r)
    )
    unscheduled = [item["session"] for item in result.unscheduled]
    placement = _indices(instance, result.assignments)
    return {
        "change": description,
        "seconds": result.stats["seconds"],
        "moved": len(moved),
        "moved_share": len(moved) / len(instance.sessions),
        "moved_sessions": moved,
        "missed_favourites": metrics(instance, placement)["missed_favourites"],
        "unscheduled": len(unscheduled),
        "violations": hard_violations(changed, result.assignments, unscheduled),
    }


# -- conference-scheduler -----------------------------------------------------------------------------


def run_conference_scheduler(data, instance, time_limit):
    """conference-scheduler in its own virtual environment, on the same instance, with our metrics."""
    python = CS_VENV / "bin" / "python"
    if not python.exists():
        for step in (
            [sys.executable, "-m", "venv", str(CS_VENV)],
            [str(CS_VENV / "bin" / "pip"), "install", "-q", "-r", str(CS_REQUIREMENTS)],
        ):
            setup = subprocess.run(step, capture_output=True, text=True, check=False)  # noqa: S603
            if setup.returncode:
                return {"error": f"{' '.join(step)} failed: {setup.stderr.strip()[-2000:]}"}
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "instance.json", Path(folder) / "schedule.json"
        source.write_text(json.dumps(data))
        started = time.monotonic()
        run = subprocess.run(  # noqa: S603
            [
                str(python),
                str(HERE / "conference_scheduler_run.py"),
                str(source),
                str(target),
                "--time-limit",
                str(time_limit),
            ],
            capture_output=True,
            text=True,
            timeout=time_limit * 10 + 120,
        )
        seconds = time.monotonic() - started
        if not target.exists():
            return {"error": f"exit {run.returncode}: {run.stderr.strip()[-2000:]}"}
        output = json.loads(target.read_text())
    if "error" in output:
        return {"error": output["error"]}
    placement = _indices(instance, output["assignments"])
    return measure(data, instance, placement, seconds, model_seconds=output["model_seconds"])


# -- the run ------------------------------------------------------------------------------------------


def run(family, seed, args) -> dict:
    data = generate(family, seed)
    instance = load_instance(data)
    methods = {}
    placement, seconds = _timed(random_feasible, instance, seed)
    methods["random"] = measure(data, instance, placement, seconds)
    placement, seconds = _timed(track_owns_room, instance)
    methods["track-room"] = measure(data, instance, placement, seconds)
    placement, seconds = _timed(popularity_greedy, instance)
    methods["greedy"] = measure(data, instance, placement, seconds)
    methods["engine"], solution = run_engine(data, seed, args.time_limit)
    methods["engine-fav"], _ = run_engine(data, seed, args.time_limit, FAVOURITES_FIRST)
    if args.conference_scheduler and family == "pycon":
        methods["cs"] = run_conference_scheduler(data, instance, args.time_limit)
    greedy = methods["greedy"]["missed_favourites"]
    for result in methods.values():
        if "missed_favourites" in result:
            result["ratio_to_greedy"] = round(result["missed_favourites"] / greedy, 4) if greedy else None
    entry = {
        "family": family,
        "seed": seed,
        "sessions": len(instance.sessions),
        "rooms": len(instance.rooms),
        "slots": len(instance.slots),
        "attendees": len(instance.stars),
        "overflow_floor": overflow_floor(instance),
        "methods": methods,
    }
    if args.replan:
        entry["replan"] = {change: replan(data, solution, seed, change) for change in ("cancel", "days")}
    return entry


def parse_seeds(text) -> list:
    seeds = []
    for part in text.split(","):
        low, _, high = part.partition("-")
        if not low.strip().isdigit() or (high and not high.strip().isdigit()):
            raise argparse.ArgumentTypeError(f"seeds must look like 1-5 or 1,3,4, not {text!r}")
        seeds.extend(range(int(low), int(high or low) + 1))
    if not seeds:
        raise argparse.ArgumentTypeError(f"no seed in {text!r}")
    return seeds


WIDTHS = (11, 7, 8, 9, 11, 8, 7, 9, 10)
COLUMNS = (
    "missed fav.",
    "/greedy",
    "overflow",
    "avoidable",
    "no conflict",
    "unsched.",
    "seconds",
    "1st feas.",
    "violations",
)


def _row(name, r):
    if "error" in r:
        return f"  {name:<11} error: {r['error'][:100]}"
    ratio = "" if r.get("ratio_to_greedy") is None else f"{r['ratio_to_greedy']:.3f}"
    first = "" if "first_feasible_seconds" not in r else f"{r['first_feasible_seconds']:.2f}"
    return (
        f"  {name:<11} {r['missed_favourites']:>11,} {ratio:>7} {r['overflow']:>8,} {r['avoidable_overflow']:>9,} "
        f"{r['no_conflict_share']:>11.1%} {r['unscheduled']:>8} {r['seconds']:>7.2f} {first:>9} {len(r['violations']):>10}"
    )


def print_entry(entry):
    print(
        f"\n{entry['family']} seed {entry['seed']}: {entry['sessions']} sessions, {entry['rooms']} rooms, "
        f"{entry['slots']} slots, {entry['attendees']} attendees"
    )
    print(f"  {'method':<11} " + " ".join(f"{c:>{w}}" for c, w in zip(COLUMNS, WIDTHS, strict=True)))
    for name, result in entry["methods"].items():
        print(_row(name, result))
    for change, r in entry.get("replan", {}).items():
        if "error" in r:
            print(f"  re-plan {change}: {r['error']}")
            continue
        print(
            f"  re-plan ({r['change']}): {r['seconds']:.2f} s, moved {r['moved']} ({r['moved_share']:.2%}), "
            f"unscheduled {r['unscheduled']}, violations {len(r['violations'])}"
        )


def summary(report) -> str:
    """Per family, every method averaged over the seeds, as the Markdown table in benchmarks/README.md."""
    lines = []
    families = dict.fromkeys(entry["family"] for entry in report["results"])
    for family in families:
        entries = [entry for entry in report["results"] if entry["family"] == family]
        seeds = ", ".join(str(entry["seed"]) for entry in entries)
        lines += [
            f"\n{family} ({entries[0]['sessions']} sessions, {entries[0]['rooms']} rooms, {entries[0]['slots']} slots, "
            f"{entries[0]['attendees']} attendees), seeds {seeds}, means over the seeds:\n",
            "| method | missed favourites | / greedy (min-max) | overflow seats | above floor | by room deal "
            "| no conflict | unscheduled (sum) | seconds | first feasible (max) | violations |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for name in entries[0]["methods"]:
            pairs = [(entry["methods"][name], entry.get("overflow_floor", 0)) for entry in entries]
            failed = [r["error"] for r, _floor in pairs if "error" in r]
            above = [r["overflow"] - floor for r, floor in pairs if "error" not in r]
            results = [r for r, _floor in pairs if "error" not in r]
            if not results:
                lines.append(f"| {name} | failed: {failed[0]} | | | | | | | | | |")
                continue
            ratios = [r["ratio_to_greedy"] for r in results if r.get("ratio_to_greedy") is not None]
            first = [r["first_feasible_seconds"] for r in results if "first_feasible_seconds" in r]
            lines.append(
                f"| {name}{f' ({len(failed)} failed)' if failed else ''} "
                f"| {np.mean([r['missed_favourites'] for r in results]):,.0f} "
                f"| {np.mean(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f}) "
                f"| {np.mean([r['overflow'] for r in results]):,.0f} "
                f"| {np.mean(above):,.1f} "
                f"| {np.mean([r['avoidable_overflow'] for r in results]):,.1f} "
                f"| {np.mean([r['no_conflict_share'] for r in results]):.1%} "
                f"| {sum(r['unscheduled'] for r in results)} "
                f"| {np.mean([r['seconds'] for r in results]):.2f} "
                f"| {f'{max(first):.2f}' if first else ''} "
                f"| {sum(len(r['violations']) for r in results)} |"
            )
        floors = ", ".join(f"{entry.get('overflow_floor', '?')}" for entry in entries)
        lines.append(
            f"\nFloor (overflow no schedule can avoid, a lower bound; see solver_checks.py), per seed: {floors} seats."
        )
        replanned = [entry for entry in entries if entry.get("replan")]
        if replanned:
            lines += [
                "",
                "| seed | re-plan after a cancellation: s | moved | after a change of days: s | moved "
                "| unscheduled | violations |",
                "|---:|---:|---:|---:|---:|---:|---:|",
            ]
            for entry in replanned:
                cells = []
                for change in ("cancel", "days"):
                    r = entry["replan"][change]
                    cells += (
                        ["failed", r["error"]]
                        if "error" in r
                        else [
                            f"{r['seconds']:.2f}",
                            f"{r['moved']} ({r['moved_share']:.2%})",
                        ]
                    )
                done = [r for r in entry["replan"].values() if "error" not in r]
                lines.append(
                    f"| {entry['seed']} | {' | '.join(cells)} | {sum(r['unscheduled'] for r in done)} "
                    f"| {sum(len(r['violations']) for r in done)} |"
                )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", choices=[*FAMILIES, "all"], default="all")
    parser.add_argument("--seeds", type=parse_seeds, default=parse_seeds("1-5"), help="e.g. 1-5 or 1,3")
    parser.add_argument(
        "--time-limit", type=float, default=30.0, help="Seconds for the engine (and conference-scheduler)."
    )
    parser.add_argument(
        "--replan", action="store_true", help="Also re-plan after a cancellation and a change of days."
    )
    parser.add_argument(
        "--conference-scheduler", action="store_true", help="Also run conference-scheduler (pycon family)."
    )
    parser.add_argument("--output", type=Path, default=RESULTS, help="Where to write the JSON results.")
    parser.add_argument(
        "--summary",
        action="store_true",
        help="Only print the summary tables of the results already in --output.",
    )
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # one line per seed as it finishes, even into a file
    if args.summary:
        if not args.output.exists():
            parser.error(f"no results at {args.output}: run the benchmark first.")
        print(summary(json.loads(args.output.read_text())))
        return 0
    if args.time_limit <= 0:
        parser.error("--time-limit must be more than 0.")
    families = list(FAMILIES) if args.family == "all" else [args.family]
    report = {
        "benchmark": "solver",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpus": os.cpu_count(),
        "load_average_before": os.getloadavg(),
        "command": " ".join(
            [".venv/bin/python", "benchmarks/solver.py", *(argv if argv is not None else sys.argv[1:])]
        ),
        "arguments": {
            key: str(value) if isinstance(value, Path) else value for key, value in vars(args).items()
        },
        "results": [],
    }
    for family in families:
        for seed in args.seeds:
            entry = run(family, seed, args)
            entry["load_average"] = os.getloadavg()
            print_entry(entry)
            report["results"].append(entry)
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(json.dumps(report, indent=2) + "\n")  # kept after every seed
    report["load_average_after"] = os.getloadavg()
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(summary(report))
    print(f"\nResults written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
