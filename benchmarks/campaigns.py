"""Benchmark: submitting a mail campaign to 20,000 people (one held outbox mail each), against a bare
bulk insert of as many outbox rows.

    .venv/bin/python benchmarks/campaigns.py [--recipients 20000] [--runs 3]
        [--database-url postgres://postgres@127.0.0.1:5432/podium] [--output PATH]

In a fresh database (a throw-away SQLite data directory, or with --database-url a database of its own
on that server, dropped at the end) it makes one organiser with a team of --recipients members
(accounts bulk-inserted; 1 % of them unsubscribed and 1 % bounced, so the skipping is measured too),
a template with placeholders and an HTML part (Markdown), and an audience of the event's team members.
Then, for each of --runs runs, in a new event of that organiser:

- the baseline: `OutboxMail.objects.bulk_create` of --recipients held rows with a subject and body of
  the same length, in batches of 1,000 (what writing the rows costs at the least);
- the submission: `campaigns.services.submit_campaign`, as the page calls it (one transaction: the
  audience read, placeholders filled once per person, an unsubscribe token signed per person, one
  OutboxMail and one CampaignRecipient per person, in batches).

Each is timed once without and once with tracemalloc (peak Python memory); the database queries of
both are counted. The table shows medians, queries per recipient, and the factors submission /
baseline; the JSON goes to benchmarks/results/campaigns.json (or --output). See benchmarks/README.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

from measure import configure, counted, peak, timed

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "campaigns.json"
BODY = (
    "Hello {name},\n\nthe team of {event} meets on Friday at 18:00 in Hall A. Bring your badge.\n\n"
    "- the schedule: {event_url}\n- **questions**: reply to this mail\n\nSee you there!\n"
)


def seed(recipients: int):
    """The organiser, its team of `recipients` members, 1 % unsubscribed and 1 % bounced."""
    from django.contrib.auth.hashers import make_password

    from podium.accounts.models import User
    from podium.campaigns.models import Unsubscription
    from podium.events.models import Organiser, Team
    from podium.mail.models import Bounce

    organiser = Organiser.objects.create(name="Bench", slug="bench")
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(email=f"member{n}@example.org", name=f"Member Númber {n}", password=unusable)
            for n in range(recipients)
        ],
        batch_size=1000,
    )
    team = Team.objects.create(organiser=organiser, name="Volunteers", can_check_in=True)
    ids = list(User.objects.filter(email__startswith="member").values_list("pk", flat=True))
    Team.members.through.objects.bulk_create(
        [Team.members.through(team_id=team.pk, user_id=pk) for pk in ids], batch_size=1000
    )
    Unsubscription.objects.bulk_create(
        [
            Unsubscription(organiser=organiser, address=f"member{n}@example.org")
            for n in range(0, recipients, 100)
        ]
    )
    Bounce.objects.bulk_create(
        [Bounce(address=f"member{n}@example.org", source="report") for n in range(50, recipients, 100)]
    )
    return organiser


def new_campaign(organiser, number: int):
    from podium.campaigns import services
    from podium.events.models import Event

    today = dt.date.today()
    event = Event.objects.create(
        organiser=organiser,
        name=f"Bench Conf {number}",
        slug=f"bench-{number}",
        timezone="Europe/Berlin",
        date_from=today + dt.timedelta(days=30),
        date_to=today + dt.timedelta(days=32),
    )
    template = services.save_template(
        event=event, by=None, name="Team", subject="{name}: the team meets", body=BODY, html_enabled=True
    )
    audience = services.save_audience(event=event, by=None, name="Team", kind="team", filters={})
    return services.save_campaign(
        event=event, by=None, name="Team meeting", audience=audience, template=template, rate_per_minute=500
    )


def baseline(organiser, number: int, recipients: int) -> int:
    from django.db import transaction

    from podium.events.models import Event
    from podium.mail.models import MailStatus, OutboxMail

    today = dt.date.today()
    event = Event.objects.create(
        organiser=organiser,
        name=f"Baseline {number}",
        slug=f"baseline-{number}",
        date_from=today,
        date_to=today,
    )
    body = BODY + "\n-- \nunsubscribe: https://podium.example/mail/unsubscribe/" + "x" * 90 + "/\n"
    with transaction.atomic():
        OutboxMail.objects.bulk_create(
            [
                OutboxMail(
                    event=event,
                    to=f"member{n}@example.org",
                    subject=f"Member Númber {n}: the team meets",
                    body=body,
                    template="campaign",
                    status=MailStatus.HELD,
                )
                for n in range(recipients)
            ],
            batch_size=1000,
        )
    return recipients


def submit(campaign):
    from podium.campaigns import services

    return services.submit_campaign(campaign=campaign, by=None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="A PostgreSQL server (a database of its own is made there).")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.recipients < 100 or args.runs < 1:
        parser.error("--recipients must be at least 100 and --runs at least 1.")

    configure(args.database_url, PODIUM_DELIVER_MAIL_ON_COMMIT="false")
    from django.db import connection

    from podium.campaigns.models import CampaignRecipient
    from podium.mail import about
    from podium.mail.models import OutboxMail

    creation = connection.creation
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"podium_bench_campaigns_{os.getpid()}"
    test_db = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        started = time.perf_counter()
        organiser = seed(args.recipients)
        setup_s = time.perf_counter() - started
        runs, number = [], 0
        for _ in range(args.runs):
            number += 1
            base_queries: list = []
            base_s, _rows = timed(
                lambda q=base_queries, n=number: counted(lambda: baseline(organiser, n, args.recipients), q)
            )
            number += 1
            base_peak = peak(lambda n=number: baseline(organiser, n, args.recipients))
            number += 1
            campaign = new_campaign(organiser, number)
            queries: list = []
            submit_s, _ = timed(lambda c=campaign, q=queries: counted(lambda: submit(c), q))
            mails = OutboxMail.objects.filter(about=about.campaign(campaign.pk)).count()
            skipped = CampaignRecipient.objects.filter(campaign=campaign).exclude(skipped="").count()
            number += 1
            other = new_campaign(organiser, number)
            submit_peak = peak(lambda c=other: submit(c))
            runs.append(
                {
                    "baseline_s": base_s,
                    "baseline_peak_bytes": base_peak,
                    "baseline_queries": len(base_queries),
                    "submit_s": submit_s,
                    "submit_peak_bytes": submit_peak,
                    "submit_queries": len(queries),
                    "mails": mails,
                    "skipped": skipped,
                }
            )
        vendor = connection.vendor
    finally:
        creation.destroy_test_db(test_db, verbosity=0)
        shutil.rmtree(os.environ["PODIUM_DATA_DIR"], ignore_errors=True)

    def median(key):
        return statistics.median(run[key] for run in runs)

    people = args.recipients
    result = {
        "benchmark": "campaigns",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "python": platform.python_version(),
        "django": __import__("django").get_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "recipients": people,
        "setup_s": setup_s,
        "runs": runs,
        "median": {key: median(key) for key in runs[0]},
        "per_recipient": {
            "submit_ms": 1000 * median("submit_s") / people,
            "submit_queries": median("submit_queries") / people,
            "submit_peak_bytes": median("submit_peak_bytes") / people,
            "baseline_queries": median("baseline_queries") / people,
        },
        "factors": {
            "time": median("submit_s") / median("baseline_s"),
            "peak_memory": median("submit_peak_bytes") / median("baseline_peak_bytes"),
            "queries": median("submit_queries") / median("baseline_queries"),
        },
    }
    print_table(result)
    output = args.output
    if vendor != "sqlite" and output == RESULTS:
        output = RESULTS.with_name(f"campaigns-{vendor}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nResults written to {output}")
    return 0


def print_table(result: dict) -> None:
    med, factors, per = result["median"], result["factors"], result["per_recipient"]
    mib = 1024 * 1024
    print(
        f"Podium campaign submission: {result['database']}, Python {result['python']}, "
        f"Django {result['django']}, {result['cpus']} CPUs, {result['recipients']:,} recipients, "
        f"median of {len(result['runs'])} runs"
    )
    print(f"mails written {med['mails']:,}, skipped {med['skipped']:,} (unsubscribed or bounced)")
    print()
    print(f"{'':34}{'time':>10}{'peak memory':>14}{'queries':>10}{'per recipient':>16}")
    print(
        f"{'bulk_create OutboxMail (baseline)':34}{med['baseline_s']:>9.2f}s"
        f"{med['baseline_peak_bytes'] / mib:>10.1f} MiB{med['baseline_queries']:>10}"
        f"{per['baseline_queries']:>12.4f} q"
    )
    print(
        f"{'submit_campaign':34}{med['submit_s']:>9.2f}s{med['submit_peak_bytes'] / mib:>10.1f} MiB"
        f"{med['submit_queries']:>10}{per['submit_queries']:>12.4f} q"
    )
    print(f"{'factor':34}{factors['time']:>9.1f}x{factors['peak_memory']:>13.1f}x{factors['queries']:>9.1f}x")
    print(
        f"submission per recipient: {per['submit_ms']:.3f} ms, {per['submit_peak_bytes'] / 1024:.1f} KiB peak"
    )


if __name__ == "__main__":
    sys.exit(main())
