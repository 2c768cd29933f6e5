"""Benchmark: `podium contacts import` of a 50,000-line CSV, against just parsing the file.

    .venv/bin/python benchmarks/contacts.py [--lines 50000] [--existing 5000] [--runs 3]
        [--database-url postgres://postgres@127.0.0.1:5432/podium] [--output PATH]

Generates a deterministic CSV (seeded): `;`-separated, a UTF-8 byte order mark, names with accents and
quotes, organisations with commas (quoted), notes over two lines in some rows, 1 % of the rows repeating
an earlier address in capitals, and --existing addresses the organiser has already (half of them
with a changed phone number in the file). Then, in a fresh database (a throw-away SQLite data
directory, or with --database-url a database of its own on that server, dropped at the end), for each
of --runs runs into a new organiser seeded with the existing contacts:

- the baseline: decode the file and read every row with the csv module (what any import pays);
- the import: podium.contacts.services.import_contacts, as the command calls it (one transaction).

Each is timed once without and once with tracemalloc (peak Python memory); the import's database
queries are counted. The table shows medians and the factors import / baseline; the JSON goes to
benchmarks/results/contacts.json (or --output). See benchmarks/README.md.
"""

import argparse
import csv
import datetime as dt
import io
import json
import os
import platform
import random
import shutil
import statistics
import sys
from pathlib import Path

from measure import configure, counted, peak, timed

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "contacts.json"
FIRST = [
    "Zoë",
    "José",
    "Ådne",
    "Łukasz",
    "Chloé",
    "Søren",
    "Ana",
    "François",
    "Jürgen",
    "Siobhán",
    "Mei",
    "Ola",
]
LAST = [
    "Ångström",
    "Müller",
    "O'Brien",
    "Núñez",
    "Dvořák",
    "Sørensen",
    "Smith",
    "Lefèvre",
    "Kowalski",
    "Çelik",
]
COMPANIES = ["Société Générale, Paris", "Müller & Söhne", 'The "Quoted" Press', "Örebro Tidning", "", "Acme"]


def generate(lines: int, existing: int, seed: int = 2027) -> tuple[bytes, list[tuple[str, str]]]:
    """(the CSV file, the existing contacts' (address, name)) for `lines` data rows."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["E-mail", "First name", "Last name", "Company", "Phone", "Notes", "Twitter"])
    known = [(f"known{n}@example.org", f"{rng.choice(FIRST)} {rng.choice(LAST)}") for n in range(existing)]
    addresses = []
    for n in range(lines):
        if addresses and rng.random() < 0.01:
            email = rng.choice(addresses).upper()  # the same address again, in capitals: skipped
        elif n < existing:
            email = known[n][0]
        else:
            email = f"person{n}@example.org"
        addresses.append(email)
        first, last = rng.choice(FIRST), rng.choice(LAST)
        phone = f"+44 20 7946 {n % 10000:04d}" if n % 2 else ""
        notes = f"Met at PyCon {2020 + n % 7}\nwants the newsletter" if n % 10 == 0 else ""
        writer.writerow([email, first, last, rng.choice(COMPANIES), phone, notes, f"@p{n}"])
    return "\ufeff".join(["", out.getvalue()]).encode("utf-8"), known


def baseline(data: bytes) -> int:
    rows = 0
    for _ in csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"):
        rows += 1
    return rows


def seed_organiser(number: int, known):
    from podium.contacts.models import Contact
    from podium.events.models import Organiser

    organiser = Organiser.objects.create(name=f"Bench {number}", slug=f"bench-{number}")
    Contact.objects.bulk_create(
        [Contact(organiser=organiser, email=email, name=name) for email, name in known], batch_size=1000
    )
    return organiser


def run_import(organiser, data: bytes, queries: list):
    from podium.contacts import services

    return counted(
        lambda: services.import_contacts(
            organiser=organiser, list_name="Newsletter", data=data, by=None, filename="bench.csv"
        ),
        queries,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--existing", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", help="A PostgreSQL server (a database of its own is made there).")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.lines < 1 or args.runs < 1 or not 0 <= args.existing <= args.lines:
        parser.error("--lines and --runs must be at least 1, --existing between 0 and --lines.")

    configure(args.database_url)
    from django.db import connection

    creation = connection.creation
    if connection.vendor != "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"podium_bench_contacts_{os.getpid()}"
    test_db = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        data, known = generate(args.lines, args.existing)
        runs, number = [], 0
        for _ in range(args.runs):
            base_s, rows = timed(lambda: baseline(data))
            base_peak = peak(lambda: baseline(data))
            number += 1
            organiser = seed_organiser(number, known)
            queries: list = []
            import_s, report = timed(
                lambda organiser=organiser, queries=queries: run_import(organiser, data, queries)
            )
            number += 1
            organiser = seed_organiser(number, known)
            import_peak = peak(lambda organiser=organiser: run_import(organiser, data, []))
            runs.append(
                {
                    "baseline_s": base_s,
                    "baseline_peak_bytes": base_peak,
                    "import_s": import_s,
                    "import_peak_bytes": import_peak,
                    "queries": len(queries),
                    "rows_read": rows - 1,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "skipped": len(report.skipped),
                }
            )
        vendor = connection.vendor
    finally:
        creation.destroy_test_db(test_db, verbosity=0)
        shutil.rmtree(os.environ["PODIUM_DATA_DIR"], ignore_errors=True)

    def median(key):
        return statistics.median(run[key] for run in runs)

    result = {
        "benchmark": "contacts",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": vendor,
        "python": platform.python_version(),
        "django": __import__("django").get_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "lines": args.lines,
        "existing": args.existing,
        "file_bytes": len(data),
        "runs": runs,
        "median": {key: median(key) for key in runs[0]},
        "factors": {
            "time": median("import_s") / median("baseline_s"),
            "peak_memory": median("import_peak_bytes") / median("baseline_peak_bytes"),
            "peak_memory_per_file_byte": median("import_peak_bytes") / len(data),
        },
    }
    print_table(result)
    output = args.output
    if vendor != "sqlite" and output == RESULTS:
        output = RESULTS.with_name(f"contacts-{vendor}.json")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\nResults written to {output}")
    return 0


def print_table(result: dict) -> None:
    med, factors = result["median"], result["factors"]
    mib = 1024 * 1024
    print(
        f"Podium contacts import: {result['database']}, Python {result['python']}, Django {result['django']}, "
        f"{result['cpus']} CPUs, {result['lines']:,} lines ({result['file_bytes'] / mib:.1f} MiB), "
        f"{result['existing']:,} existing, median of {len(result['runs'])} runs"
    )
    print(
        f"created {med['created']:,}, updated {med['updated']:,}, unchanged {med['unchanged']:,}, "
        f"skipped {med['skipped']:,}"
    )
    print()
    print(f"{'':28}{'time':>10}{'peak memory':>14}{'queries':>10}")
    print(
        f"{'parse with csv (baseline)':28}{med['baseline_s']:>9.2f}s{med['baseline_peak_bytes'] / mib:>10.1f} MiB{'':>10}"
    )
    print(
        f"{'podium contacts import':28}{med['import_s']:>9.2f}s{med['import_peak_bytes'] / mib:>10.1f} MiB{med['queries']:>10}"
    )
    print(f"{'factor':28}{factors['time']:>9.1f}x{factors['peak_memory']:>13.1f}x")


if __name__ == "__main__":
    sys.exit(main())
