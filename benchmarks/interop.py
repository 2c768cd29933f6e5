"""Benchmark: importing real schedules, exporting every format, and serving a cached schedule.xml.

    .venv/bin/python benchmarks/interop.py [--runs 3] [--clients 32] [--seconds 10] [--output PATH]

Inputs: FOSDEM 2025 (`../shared/schedule-data/fosdem/fosdem-2025.schedule.xml`, 943 events) and 38C3
(`../shared/schedule-data/ccc/38c3-schedule-20251206.xml`), or any files given with --file.

Every step runs as its own `podium` process against one throw-away data directory (SQLite unless
PODIUM_DATABASE_URL is set), so the time and the peak memory (maximum resident set size, from
wait4) belong to that step alone:

- baseline: `podium parse_baseline FILE`-like child that starts Django and parses the file with lxml
  (what any importer pays at least); the import is reported as a ratio to it;
- `podium import FILE --event SLUG --organiser bench`: median of --runs imports, each into a new
  event; then the median of --runs imports of the same file again into the first event (which must
  change nothing);
- `podium export SLUG --format F -o FILE` for every format;
- `podium serve` on 127.0.0.1 and a load generator in this script: --clients keep-alive connections
  for --seconds seconds against the cached schedule.xml, and the same against /healthz (the baseline:
  the cheapest answer the server gives); requests per second and p50/p99 latency for both, and the ratio;
- round trips of every file in ../shared/schedule-data/ (benchmarks/interop_round_trip.py, one child
  per file): sessions in the file, imported, skipped by reason; for each export format the differences
  between the program and the program of its export imported into a new event, and what importing the
  export into the event itself changed (both must be 0). --no-round-trips leaves them out.

Results go to benchmarks/results/interop.json; benchmarks/README.md has the last ones.
"""

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PODIUM_SHARED_DIR", ROOT.parent / "shared")) / "schedule-data"
RESULTS = ROOT / "benchmarks" / "results" / "interop.json"
PODIUM = str(Path(sys.executable).parent / "podium")
FILES = {
    "fosdem-2025": DATA / "fosdem" / "fosdem-2025.schedule.xml",
    "38c3": DATA / "ccc" / "38c3-schedule-20251206.xml",
}
FORMATS = ["frab-xml", "frab-json", "ical", "csv"]
ROUND_TRIP = ROOT / "benchmarks" / "interop_round_trip.py"
# The zone of each conference whose file names none (an organiser gives it with --timezone).
ZONES = {
    "camp2019.schedule.xml": "Europe/Berlin",
    "mrmcd2019.schedule.xml": "Europe/Berlin",
    "rc3-2020.pretalx.schedule.json": "Europe/Berlin",
    "pyconfr-2025.submissions-expanded.json": "Europe/Paris",
    "kielux_2020.ics": "Europe/Berlin",
}
BASELINE_CODE = """
import sys, django
django.setup()
from lxml import etree
parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
tree = etree.parse(sys.argv[1], parser)
print(len(tree.findall(".//event")))
"""


def environment(data_dir: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PODIUM_", "DJANGO_"))}
    env.update(
        PODIUM_DATA_DIR=data_dir,
        PODIUM_BASE_URL="http://127.0.0.1:8000",
        PODIUM_DELIVER_MAIL_ON_COMMIT="false",
        DJANGO_SETTINGS_MODULE="podium.settings",
    )
    if os.environ.get("PODIUM_DATABASE_URL"):
        env["PODIUM_DATABASE_URL"] = os.environ["PODIUM_DATABASE_URL"]
    return env


def run(argv: list[str], env: dict) -> dict:
    """Run one step as a child process: seconds, peak resident memory (MiB), exit code, output tail."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # noqa: S603
    output = child.stdout.read().decode(errors="replace")
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code
    if code != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({code}):\n{output[-3000:]}")
    return {"seconds": seconds, "peak_mib": usage.ru_maxrss / 1024, "output": output[-600:]}


def median_of(steps: list[dict]) -> dict:
    return {
        "median_s": statistics.median(step["seconds"] for step in steps),
        "runs_s": [step["seconds"] for step in steps],
        "peak_mib": max(step["peak_mib"] for step in steps),
    }


def prepare(env: dict) -> None:
    """Migrate the fresh database and create the organiser the imports go to."""
    run([PODIUM, "migrate", "--no-input", "-v", "0"], env)
    code = (
        "import django; django.setup()\n"
        "from podium.accounts.models import User\n"
        "from podium.events.services import create_organiser\n"
        "admin = User.objects.create_user(email='bench@podium.example', password=None, name='Bench')\n"
        "create_organiser(name='Benchmark', slug='bench', admin=admin)\n"
    )
    run([sys.executable, "-c", code], env)


def measure_file(slug: str, path: Path, env: dict, runs: int, out_dir: Path) -> dict:
    baseline = [run([sys.executable, "-c", BASELINE_CODE, str(path)], env) for _ in range(runs)]
    # Each run imports into an event of its own (every run creates everything); then the same file again
    # into the first event, which must change nothing.
    imports = [
        run(
            [PODIUM, "import", str(path), "--event", f"{slug}-{n}" if n else slug, "--organiser", "bench"],
            env,
        )
        for n in range(runs)
    ]
    reimports = [
        run([PODIUM, "import", str(path), "--event", slug, "--organiser", "bench"], env) for _ in range(runs)
    ]
    exports = {}
    for fmt in FORMATS:
        target = out_dir / f"{slug}.{fmt}"
        steps = [run([PODIUM, "export", slug, "--format", fmt, "-o", str(target)], env) for _ in range(runs)]
        exports[fmt] = median_of(steps) | {"bytes": target.stat().st_size}
    result = {
        "file": str(path.relative_to(ROOT.parent)),
        "bytes": path.stat().st_size,
        "events_in_file": int(baseline[0]["output"].strip().splitlines()[-1]),
        "baseline_parse": median_of(baseline),
        "import": median_of(imports) | {"first_run_report": imports[0]["output"]},
        "reimport_unchanged": median_of(reimports) | {"report": reimports[0]["output"]},
        "exports": exports,
    }
    result["import"]["factor"] = result["import"]["median_s"] / result["baseline_parse"]["median_s"]
    return result


def schedule_files() -> list[Path]:
    return sorted(
        path for path in DATA.rglob("*") if path.is_file() and path.suffix in {".xml", ".json", ".ics"}
    )


def measure_round_trips(env: dict, out_dir: Path) -> dict:
    """Each file's round trips through every format (see benchmarks/interop_round_trip.py)."""
    results = {}
    target = out_dir / "round-trip.json"
    for path in schedule_files():
        zone = ["--time-zone", ZONES[path.name]] if path.name in ZONES else []
        step = run([sys.executable, str(ROUND_TRIP), str(path), "--output", str(target), *zone], env)
        result = json.loads(target.read_text())
        results[str(path.relative_to(DATA))] = result | {
            "seconds": step["seconds"],
            "peak_mib": step["peak_mib"],
        }
    return results


def wait_for_port(port: int, *, alive=lambda: True, tries: int = 100, pause: float = 0.1) -> None:
    """Wait until something listens on 127.0.0.1:`port`; stop early when `alive()` turns false."""
    for _ in range(tries):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if not alive():
                raise SystemExit(f"the process meant to listen on port {port} stopped at start-up") from None
            time.sleep(pause)
    raise SystemExit(f"nothing listens on port {port} after {tries * pause:.0f} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _client(host: str, port: int, path: str, deadline: float, latencies: list[float]) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".encode()
    done = 0
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(
                (
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                None,
            )
            if length is None:
                raise RuntimeError(f"{path}: answer without Content-Length; the load generator needs it")
            await reader.readexactly(length)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            latencies.append(time.perf_counter() - started)
            done += 1
    finally:
        writer.close()
    return done


async def _load(host: str, port: int, path: str, clients: int, seconds: float) -> dict:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    counts = await asyncio.gather(*[_client(host, port, path, deadline, latencies) for _ in range(clients)])
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "path": path,
        "requests": sum(counts),
        "requests_per_s": sum(counts) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def measure_serving(slug: str, env: dict, clients: int, seconds: float) -> dict:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603
        [PODIUM, "serve", "--port", str(port), "--no-migrate"],
        env=env | {"PODIUM_ALLOWED_HOSTS": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, alive=lambda: server.poll() is None)
        export = f"/{slug}/schedule/export/schedule.xml"
        asyncio.run(_load("127.0.0.1", port, export, 2, 1))  # renders and caches the export once
        baseline = asyncio.run(_load("127.0.0.1", port, "/healthz", clients, seconds))
        cached = asyncio.run(_load("127.0.0.1", port, export, clients, seconds))
    finally:
        server.terminate()
        server.wait(timeout=10)
    return {
        "clients": clients,
        "seconds": seconds,
        "baseline_healthz": baseline,
        "schedule_xml": cached,
        "factor_rps": cached["requests_per_s"] / baseline["requests_per_s"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--no-round-trips", action="store_true", help="skip the round trips of every file")
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="podium-bench-interop-")
    env = environment(data_dir)
    try:
        prepare(env)
        files = {
            slug: measure_file(slug, path, env, args.runs, Path(data_dir)) for slug, path in FILES.items()
        }
        serving = measure_serving("fosdem-2025", env, args.clients, args.seconds)
        round_trips = {} if args.no_round_trips else measure_round_trips(env, Path(data_dir))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    report = {
        "benchmark": "interop",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": "postgresql" if env.get("PODIUM_DATABASE_URL") else "sqlite",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "runs": args.runs,
        "files": files,
        "serving": serving,
        "round_trips": round_trips,
    }
    print_report(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nResults written to {args.output}")
    return 0


def print_report(report: dict) -> None:
    print(f"Podium interop benchmark: {report['database']}, Python {report['python']}, {report['cpus']} CPUs")
    for slug, result in report["files"].items():
        base, imp = result["baseline_parse"], result["import"]
        print(f"\n{slug}: {result['events_in_file']} events, {result['bytes'] / 1e6:.1f} MB")
        print(
            f"  start-up + lxml parse (baseline)  {base['median_s']:7.2f} s  {base['peak_mib']:7.0f} MiB peak"
        )
        print(
            f"  podium import                     {imp['median_s']:7.2f} s  {imp['peak_mib']:7.0f} MiB peak"
            f"  x{imp['factor']:.1f} the baseline"
        )
        again = result["reimport_unchanged"]
        print(
            f"  podium import again (unchanged)   {again['median_s']:7.2f} s  {again['peak_mib']:7.0f} MiB peak"
        )
        for fmt, export in result["exports"].items():
            print(
                f"  podium export --format {fmt:<10} {export['median_s']:7.2f} s  {export['peak_mib']:7.0f} MiB peak"
                f"  {export['bytes'] / 1e6:.2f} MB"
            )
    serving = report["serving"]
    print(f"\nServing with {serving['clients']} keep-alive clients for {serving['seconds']:.0f} s each:")
    for label, key in (("/healthz (baseline)", "baseline_healthz"), ("cached schedule.xml", "schedule_xml")):
        row = serving[key]
        print(
            f"  {label:<22} {row['requests_per_s']:8.0f} req/s  p50 {row['p50_ms']:6.1f} ms  p99 {row['p99_ms']:6.1f} ms"
        )
    print(f"  schedule.xml / healthz requests per second: x{serving['factor_rps']:.2f}")
    print_round_trips(report["round_trips"])


def print_round_trips(round_trips: dict) -> None:
    if not round_trips:
        return
    print("\nRound trips (differences of the program imported from each export / changes of a re-import):")
    for name, result in round_trips.items():
        skipped = sum(result["skipped"].values())
        print(
            f"  {name}: {result['sessions_in_file']} sessions in the file, {result['imported']} imported, "
            f"{skipped} skipped"
        )
        for reason, count in sorted(result["skipped"].items(), key=lambda item: -item[1]):
            print(f"      {count:5d} {reason}")
        cells = [
            f"{fmt} {row['differences']}/{row['reimport_changed']}" for fmt, row in result["formats"].items()
        ]
        print("    " + ", ".join(cells))


if __name__ == "__main__":
    sys.exit(main())
