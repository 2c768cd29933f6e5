"""The battery: the API against its schema, and writes surviving `kill -9`, on a real `podium serve`.

    make battery
    .venv/bin/python benchmarks/battery.py [--examples 100] [--schema-seconds 270] [--kills 4] [--durability-seconds 150]
    PODIUM_DATABASE_URL=postgres://postgres@127.0.0.1:5432/podium_f .venv/bin/python benchmarks/battery.py

Everything runs against `podium serve` (uvicorn) on 127.0.0.1 at a free port, with a throw-away data
directory: SQLite there by default; with PODIUM_DATABASE_URL, a database of its own on that server
(`<name>_battery_<pid>`, created and dropped here; the named database is never touched). The data is
the demo conference (`podium demo --no-serve`) plus an organiser's write token and a speaker account
made by a small set-up script.

1. Schema (benchmarks/battery_schema.py): the Schemathesis CLI against /api/v1/openapi.json with the
   organiser's token, every phase (examples, coverage, fuzzing, stateful), --examples per operation,
   bounded by --schema-seconds. Checks: no server error, status codes and response bodies, headers
   and content types as the schema says, valid data accepted and invalid data refused.
2. Durability (benchmarks/battery_durability.py): two clients write (proposals through the public
   CfP form; releases through the API with an Idempotency-Key) while the server is killed with
   SIGKILL --kills times at random moments and restarted. A client retries a write the server did not
   answer, with the same form key or Idempotency-Key. At the end every acknowledged write must be in
   the database exactly once, and no write may be there twice.

It prints a summary, writes it as JSON (benchmarks/results/battery-<database>.json), and exits 1 on
any failure. The last figures are in docs/reliability.md.
"""

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from interop import PODIUM, ROOT, environment, free_port, run, wait_for_port

RESULTS = ROOT / "benchmarks" / "results"
MAIN_EVENT = "pycon-demo"  # released program: the API's reads and the API writes
CFP_EVENT = "pytexas-demo"  # open call for papers: the form submissions
SPEAKER_EMAIL = "battery-speaker@podium.example"
SPEAKER_PASSWORD = "battery-speaker-password"  # noqa: S105 (a throw-away account in a throw-away database)

SETUP_CODE = """
import json, django
django.setup()
from podium.accounts.models import User
from podium.accounts.tokens import create_api_token
from podium.events.models import Event
from podium.schedule.queries import latest_release
event = Event.objects.get(slug=%(main)r)
admin = User.objects.get(email="admin@podium.example")
_token, secret = create_api_token(user=admin, organiser=event.organiser, name="battery", events=[event], scope="write")
User.objects.create_user(email=%(email)r, password=%(password)r, name="Battery Speaker")
release = latest_release(event)
talk = next(s for s in release.sessions.filter(kind="session").order_by("start", "id") if s.speakers)
print(json.dumps({
    "token": secret,
    "event": event.slug,
    "code": talk.code,
    "speaker": talk.speakers[0]["code"],
    "version": release.version,
}))
"""


# --- The database and the server ------------------------------------------------------------------


@contextmanager
def scratch_database(url: str):
    """A new, empty PostgreSQL database next to the one `url` names; yields its URL, drops it after."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'podium'}_battery_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Server:
    """`podium serve` on one free port, started, killed with SIGKILL and started again."""

    def __init__(self, env: dict, log: Path):
        self.port = free_port()
        self.env = env | {"PODIUM_ALLOWED_HOSTS": "127.0.0.1"}
        self.log = log
        self.process: subprocess.Popen | None = None
        self.starts: list[float] = []  # seconds from launch until the port answered

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        began = time.perf_counter()
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [PODIUM, "serve", "--port", str(self.port), "--no-migrate"],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: SIGKILL reaches everything it started
            )
        wait_for_port(self.port, alive=lambda: self.process.poll() is None, tries=600)
        self.starts.append(time.perf_counter() - began)

    def kill(self) -> None:
        """SIGKILL, as a power cut of the process would: no shutdown, no flush, no clean-up."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


def prepare(env: dict) -> dict:
    """Build the demo conference and what the battery needs in it; returns the token and fixed codes."""
    run([PODIUM, "demo", "--no-serve"], env)
    code = SETUP_CODE % {"main": MAIN_EVENT, "email": SPEAKER_EMAIL, "password": SPEAKER_PASSWORD}
    output = run([sys.executable, "-c", code], env)["output"]
    return json.loads(output.strip().splitlines()[-1])


# --- Summary ----------------------------------------------------------------------------------------


def print_summary(report: dict) -> None:
    schema, durability = report["schema"], report["durability"]
    print()
    print(f"== Battery on {report['database']} ({report['machine']['cpus']} CPUs), {report['seconds']:.0f} s")
    print(
        f"Schema: {schema['calls']} calls in {schema['seconds']:.0f} s over {schema['operations']} operations; "
        f"exit code {schema['exit_code']}"
    )
    if schema["failures"]:
        for kind, count in sorted(schema["failures"].items()):
            print(f"  FAILED {kind}: {count}")
        for sample in schema["samples"]:
            print(f"  - {sample}")
    else:
        print("  no failures")
    for error in schema["errors"]:
        print(f"  ERROR {error}")
    print(
        f"Durability: {durability['kills']} kills in {durability['seconds']:.0f} s; "
        f"restarts took {', '.join(f'{s:.1f}' for s in durability['restart_seconds'])} s"
    )
    for name, client in durability["clients"].items():
        print(
            f"  {name}: {client['attempted']} writes attempted, {client['acknowledged']} acknowledged "
            f"({client['retried']} after a retry), {client['refused']} refused, "
            f"{client['unanswered']} never answered, {client['server_errors']} server errors; "
            f"in the database {client['stored']}; "
            f"lost {client['lost']}, duplicated {client['duplicated']}"
        )
        for problem in client["problems"]:
            print(f"  FAILED {problem}")
    print("PASS" if report["ok"] else "FAIL")


def main() -> int:
    from battery_durability import durability_loop
    from battery_schema import schema_run

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=100, help="Schemathesis examples per operation")
    parser.add_argument("--schema-seconds", type=int, default=270, help="time budget of the schema run")
    parser.add_argument("--kills", type=int, default=4, help="SIGKILLs in the durability loop")
    parser.add_argument(
        "--durability-seconds", type=float, default=150, help="time budget of the durability loop"
    )
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument(
        "--output", type=Path, help="JSON summary (default benchmarks/results/battery-<db>.json)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the data directory and server log")
    args = parser.parse_args()

    started = time.perf_counter()
    database_url = os.environ.get("PODIUM_DATABASE_URL", "")
    database = "postgresql" if database_url else "sqlite"
    data_dir = Path(tempfile.mkdtemp(prefix="podium-battery-"))
    try:
        with scratch_database(database_url) if database_url else nullcontext("") as url:
            env = environment(str(data_dir))
            if url:
                env["PODIUM_DATABASE_URL"] = url
            print(f"Setting up the demo conference in {data_dir} ({database})…", flush=True)
            facts = prepare(env)
            server = Server(env, data_dir / "server.log")
            env["PODIUM_BASE_URL"] = server.base
            server.env["PODIUM_BASE_URL"] = server.base
            try:
                server.start()
                print(f"Schema run against {server.base}/api/v1/openapi.json…", flush=True)
                schema = schema_run(
                    server, facts, data_dir, examples=args.examples, seconds=args.schema_seconds
                )
                print(f"Durability loop: {args.kills} kills…", flush=True)
                durability = durability_loop(
                    server,
                    facts,
                    env,
                    kills=args.kills,
                    seconds=args.durability_seconds,
                    seed=args.seed,
                    speaker=(SPEAKER_EMAIL, SPEAKER_PASSWORD),
                    events=(CFP_EVENT, MAIN_EVENT),
                )
            finally:
                server.stop()
    finally:
        if args.keep:
            print(f"Kept {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)

    report = {
        "date": dt.date.today().isoformat(),
        "database": database,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average": os.getloadavg(),
        },
        "arguments": vars(args) | {"output": str(args.output) if args.output else None},
        "schema": schema,
        "durability": durability,
        "seconds": time.perf_counter() - started,
    }
    report["ok"] = schema["ok"] and durability["ok"]
    output = args.output or RESULTS / f"battery-{database}.json"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    print_summary(report)
    print(f"Written to {output}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
