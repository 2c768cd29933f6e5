"""Benchmark: the public schedule page and publishing a release, at conference size and at a baseline.

    .venv/bin/python benchmarks/schedule.py [--sessions 1000] [--rooms 40] [--days 5] [--runs 5]

Builds two events in a fresh database (a temporary data directory; SQLite unless PODIUM_DATABASE_URL
is set, in which case a separate test database is created on that server and dropped afterwards):

- the baseline: 100 sessions in 4 rooms,
- the measured event: --sessions sessions in --rooms rooms (default 1,000 in 40),

both over --days days with the same density (about five sessions per room per day), every session
confirmed, with a speaker, scheduled, and one release published. Then, for each event, it takes the
median of --runs runs of:

- the public schedule page of the first day (GET site:schedule?day=..., anonymous, grid view), with
  its number of database queries;
- publishing a release after moving one session (publish_release through the service, speaker
  notices written to the outbox but not delivered).

It prints a table with the absolute medians and the scaling factor (measured / baseline) and writes
the results as JSON to benchmarks/results/schedule.json. See benchmarks/README.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "schedule.json"
BASELINE = (100, 4)  # sessions, rooms
SESSION_MINUTES = 30
GAP_MINUTES = 15
DAY_STARTS_AT = dt.time(9, 0)
LUNCH_AFTER = 3  # sessions per room before lunch
LUNCH_MINUTES = 60


def configure() -> None:
    """Point Django at a throw-away data directory, before anything imports the settings."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["PODIUM_DATA_DIR"] = tempfile.mkdtemp(prefix="podium-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "podium.settings"
    os.environ["PODIUM_BASE_URL"] = "http://127.0.0.1:8000"
    os.environ["PODIUM_ALLOWED_HOSTS"] = "testserver"
    os.environ["PODIUM_DELIVER_MAIL_ON_COMMIT"] = "false"  # the outbox is written; nothing is sent
    os.environ["PODIUM_PAGE_CACHE"] = "off"  # every GET renders the page: rendering is what is measured
    os.environ.pop("PODIUM_DEBUG", None)
    import django

    django.setup()


@dataclass
class Built:
    label: str
    sessions: int
    rooms: int
    days: int
    event: object
    admin: object
    setup_seconds: float


def build_event(*, label: str, slug: str, sessions: int, rooms: int, days: int) -> Built:
    """An event with `sessions` confirmed talks placed in `rooms` rooms over `days` days, released once.

    Seed data is created in bulk (users, speaker profiles, proposals, slots); the release goes
    through the service.
    """
    from django.contrib.auth.hashers import make_password

    from podium.accounts.models import User
    from podium.events import services as event_services
    from podium.events.models import Room, Track
    from podium.proposals.enums import ProposalState
    from podium.proposals.models import Proposal, ProposalSpeaker, SpeakerProfile
    from podium.schedule import services as schedule_services
    from podium.schedule.models import Slot, SlotKind

    started = time.perf_counter()
    admin = User.objects.create_user(email=f"admin@{slug}.example", password=None, name="Bench Admin")
    organiser = event_services.create_organiser(name=f"{label} organiser", slug=f"org-{slug}", admin=admin)
    first_day = dt.date(2027, 5, 14)
    event = event_services.create_event(
        organiser=organiser,
        by=admin,
        slug=slug,
        data={
            "name": f"Benchmark {label}",
            "timezone": "America/Chicago",
            "date_from": first_day,
            "date_to": first_day + dt.timedelta(days=days - 1),
        },
    )
    talk = event.session_types.get(name="Talk")
    Room.objects.bulk_create(
        [Room(event=event, name=f"Room {n + 1}", capacity=100 + 10 * n, position=n) for n in range(rooms)]
    )
    room_list = list(event.rooms.order_by("position"))
    Track.objects.bulk_create([Track(event=event, name=name, colour=colour) for name, colour in TRACKS])
    tracks = list(event.tracks.order_by("name"))
    unusable = make_password(None)  # nobody logs in as a benchmark speaker
    users = User.objects.bulk_create(
        [
            User(email=f"speaker{n}@{slug}.example", name=f"Speaker {n}", password=unusable)
            for n in range(sessions)
        ]
    )
    SpeakerProfile.objects.bulk_create(
        [
            SpeakerProfile(event=event, user=user, code=f"S{n:05d}", bio=f"Speaker {n} speaks about things.")
            for n, user in enumerate(users)
        ]
    )
    Proposal.objects.bulk_create(
        [
            Proposal(
                event=event,
                code=f"P{n:05d}",
                title=f"Talk number {n}: what we learned",
                abstract="An abstract of a few sentences about the talk. " * 3,
                description="A longer description of the talk.\n\n" * 5,
                track=tracks[n % len(tracks)],
                session_type=talk,
                state=ProposalState.CONFIRMED,
                submitted_by=users[n],
            )
            for n in range(sessions)
        ]
    )
    proposals = list(event.proposals.order_by("code"))
    ProposalSpeaker.objects.bulk_create(
        [ProposalSpeaker(proposal=proposal, user=users[n]) for n, proposal in enumerate(proposals)]
    )
    starts = session_starts(event, sessions=sessions, rooms=rooms, days=days)
    Slot.objects.bulk_create(
        [
            Slot(
                event=event,
                kind=SlotKind.SESSION,
                proposal=proposal,
                room=room_list[room_index],
                start=start,
                end=start + dt.timedelta(minutes=SESSION_MINUTES),
            )
            for proposal, (room_index, start) in zip(proposals, starts, strict=True)
        ],
        batch_size=500,
    )
    for day in event.days:
        lunch = at(event, day, LUNCH_AFTER * (SESSION_MINUTES + GAP_MINUTES))
        schedule_services.save_break(
            event=event,
            by=admin,
            title="Lunch",
            room=None,
            start=lunch,
            end=lunch + dt.timedelta(minutes=LUNCH_MINUTES),
        )
    schedule_services.publish_release(event=event, by=admin, name="v1", comment="The benchmark schedule.")
    return Built(label, sessions, rooms, days, event, admin, time.perf_counter() - started)


TRACKS = (("Web", "#1f6feb"), ("Data", "#2e7d32"), ("Core", "#8250df"), ("Community", "#c2410c"))


def at(event, day: dt.date, minutes: int) -> dt.datetime:
    return dt.datetime.combine(day, DAY_STARTS_AT, tzinfo=event.tz) + dt.timedelta(minutes=minutes)


def session_starts(event, *, sessions: int, rooms: int, days: int) -> list[tuple[int, dt.datetime]]:
    """(room index, start) for each session: day by day, period by period, room by room; no room
    ever holds two sessions at once, and lunch is kept free."""
    per_room_day = -(-sessions // (rooms * days))
    places = []
    for day in event.days:
        for period in range(per_room_day):
            offset = period * (SESSION_MINUTES + GAP_MINUTES)
            if period >= LUNCH_AFTER:
                offset += LUNCH_MINUTES
            places += [(room, at(event, day, offset)) for room in range(rooms)]
    return places[:sessions]


def measure_page(built: Built, runs: int) -> dict:
    """Median wall time and the query count of the public schedule's first day."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    url = reverse("site:schedule", kwargs={"event": built.event.slug})
    params = {"day": built.event.date_from.isoformat()}
    response = client.get(url, params)  # warm-up: template loading, URL resolver, connection
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}; the benchmark needs the public schedule.")
    # Measure a page that shows the day, not an empty or error page.
    html = response.content.decode()
    titles = built.event.releases.get(name="v1").sessions.filter(day=built.event.date_from)
    missing = [title for title in titles.values_list("title", flat=True) if title not in html]
    if missing:
        raise SystemExit(f"{url} does not show {len(missing)} sessions of the day, e.g. “{missing[0]}”.")
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    return {
        "url": f"{url}?day={params['day']}",
        "median_ms": statistics.median(timings) * 1000,
        "runs_ms": [t * 1000 for t in timings],
        "queries": len(queries),
        "bytes": len(response.content),
    }


def measure_publish(built: Built, runs: int) -> dict:
    """Median wall time of publish_release after moving one session (moved out and back in turn)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from podium.schedule import services as schedule_services
    from podium.schedule.models import Slot

    event, admin = built.event, built.admin
    slot = Slot.objects.select_related("proposal", "room").filter(event=event).exclude(proposal=None).first()
    home, room = slot.start, slot.room
    away = at(event, event.date_to, 10 * 60)  # after every session of the last day
    timings, query_counts = [], []
    for run in range(runs):
        slot.refresh_from_db()
        schedule_services.place_session(
            event=event,
            proposal=slot.proposal,
            room=room,
            start=away if run % 2 == 0 else home,
            version=slot.version,
            by=admin,
        )
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            schedule_services.publish_release(event=event, by=admin)
            timings.append(time.perf_counter() - started)
        query_counts.append(len(queries))
    return {
        "median_ms": statistics.median(timings) * 1000,
        "runs_ms": [t * 1000 for t in timings],
        "queries": max(query_counts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--rooms", type=int, default=40)
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--output", type=Path, default=RESULTS, help="Where to write the JSON results.")
    args = parser.parse_args(argv)
    if min(args.sessions, args.rooms, args.days, args.runs) < 1:
        parser.error("--sessions, --rooms, --days and --runs must be at least 1.")

    configure()
    from django.db import connection

    creation = connection.creation
    if connection.vendor != "sqlite":
        # Its own database on the server, never the one the tests (test_podium) or the site use.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"podium_bench_{os.getpid()}"
    test_db = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        sizes = [
            ("baseline", "bench-small", *BASELINE),
            ("measured", "bench-large", args.sessions, args.rooms),
        ]
        results = {}
        for label, slug, sessions, rooms in sizes:
            built = build_event(label=label, slug=slug, sessions=sessions, rooms=rooms, days=args.days)
            results[label] = {
                "sessions": sessions,
                "rooms": rooms,
                "days": args.days,
                "setup_s": built.setup_seconds,
                "schedule_page": measure_page(built, args.runs),
                "publish_release": measure_publish(built, args.runs),
            }
        vendor = connection.vendor
    finally:
        creation.destroy_test_db(test_db, verbosity=0)
        shutil.rmtree(os.environ["PODIUM_DATA_DIR"], ignore_errors=True)

    report = {
        "benchmark": "schedule",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "python": platform.python_version(),
        "django": __import__("django").get_version(),
        "cpus": os.cpu_count(),
        "runs": args.runs,
        "results": results,
        "factors": {
            name: results["measured"][name]["median_ms"] / results["baseline"][name]["median_ms"]
            for name in ("schedule_page", "publish_release")
        },
    }
    print_table(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nResults written to {args.output}")
    return 0


def print_table(report: dict) -> None:
    base, big = report["results"]["baseline"], report["results"]["measured"]
    heads = (
        f"baseline ({base['sessions']} sessions, {base['rooms']} rooms)",
        f"measured ({big['sessions']} sessions, {big['rooms']} rooms)",
    )
    rows = [
        (
            "public schedule, first day",
            f"{base['schedule_page']['median_ms']:.1f} ms",
            f"{big['schedule_page']['median_ms']:.1f} ms",
            f"x{report['factors']['schedule_page']:.2f}",
        ),
        (
            "  queries",
            str(base["schedule_page"]["queries"]),
            str(big["schedule_page"]["queries"]),
            "",
        ),
        (
            "publish a release",
            f"{base['publish_release']['median_ms']:.1f} ms",
            f"{big['publish_release']['median_ms']:.1f} ms",
            f"x{report['factors']['publish_release']:.2f}",
        ),
        (
            "  queries",
            str(base["publish_release"]["queries"]),
            str(big["publish_release"]["queries"]),
            "",
        ),
        ("setup (not measured)", f"{base['setup_s']:.1f} s", f"{big['setup_s']:.1f} s", ""),
    ]
    widths = [max(len(row[i]) for row in [("", *heads, "factor"), *rows]) for i in range(4)]
    print(
        f"Podium schedule benchmark: {report['database']}, Python {report['python']}, Django {report['django']}, "
        f"{report['cpus']} CPUs, median of {report['runs']} runs, {base['days']} days per event"
    )
    print()
    header = ("", *heads, "factor")
    print(
        "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(header))
    )
    print("  ".join("-" * width for width in widths))
    for row in rows:
        print(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
            )
        )


if __name__ == "__main__":
    sys.exit(main())
