"""Benchmark: checking people in at the doors, and a rush for the last seats, through the real server.

    .venv/bin/python benchmarks/attendance.py [--tickets 5000] [--desks 20] [--duplicates 0.05]
        [--buyers 1000] [--seats 300] [--buyer-clients 50] [--via desk,api] [--postgres] [--output PATH]

Runs on SQLite (a throw-away data directory) and then, with --postgres or PODIUM_DATABASE_URL, on
PostgreSQL in a database of its own, created on that server (the one PODIUM_DATABASE_URL names, else
postgres://postgres@127.0.0.1:5432) and dropped at the end. For each database:

1. Set-up, in a child process: an event with registration open; --tickets tickets issued by hand (a
   paid order each, written as `issuing.issue_tickets` writes them by podium.demo.bulk, which takes
   seconds where the service takes minutes); a check-in team of --desks volunteers, each
   with a logged-in session and a `checkin` API token; a ticket type of --seats seats at 50.00 and
   --buyers accounts with logged-in sessions. The sessions are made as a log-in makes them: the log-in
   page is not what is measured, and its lockout would stop a thousand log-ins from one address.
2. `podium serve` (one uvicorn process), as benchmarks/serving.py starts it.
3. The baseline: `/healthz` (the cheapest answer) under --desks and under --buyer-clients keep-alive
   clients for a few seconds; the rates below are also given as a ratio to it, never as a limit.
4. Check-in, for each way in --via, --desks desks at once (a thread each, one keep-alive connection),
   each scanning its share of the tickets' QR tokens in a shuffled order; --duplicates of the tickets
   are scanned a second time, at another desk:
   - desk: the desk page's own calls (static/podium/checkin.js): the desk GETs the page (its CSRF
     cookie), then POSTs each code to `checkin/scan/` with `Accept: application/json` and `X-CSRFToken`;
   - api: `POST /api/v1/orga/events/<event>/checkins` with the desk's check-in token, as a door device.
   Scans per second, p50/p99 latency per scan. Then, in a child process: one CheckIn per ticket, one
   Scan per request; and from the answers: one "checked in" per ticket, every other scan of it
   "already checked in". The check-ins and scans are deleted before the next way in.
5. The race: every buyer opens the order form for one ticket (`/<event>/tickets/order/?qty-<type>=1`,
   which gives them their CSRF token and the form's idempotency key), then all post it at once through
   --buyer-clients connections. Orders per second, answers per second, p50/p99 latency; then exactly
   --seats seats sold (the counter, the tickets of pending and paid orders, no counter drift) and one
   order for each buyer told it has one.

Results go to benchmarks/results/attendance.json; benchmarks/README.md has the last ones.
"""

import argparse
import asyncio
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving import Server

from interop import PODIUM, ROOT, _load, environment, run, wait_for_port

RESULTS = ROOT / "benchmarks" / "results" / "attendance.json"
SLUG = "attendance"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/podium"
BASELINE_SECONDS = 5
WAYS = {"desk": "desk page", "api": "check-in API"}

SETUP_CODE = """
import datetime as dt, json, sys, time, django
django.setup()
from decimal import Decimal
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.backends.db import SessionStore
from podium.accounts.models import User
from podium.accounts.tokens import create_api_token
from podium.events import services as event_services
from django.utils import timezone
from podium.demo.bulk import Sale, write_sales
from podium.registration import orders, setup
from podium.registration import services as registration_services
from podium.registration.enums import OrderOrigin
from podium.registration.models import Ticket
from podium.registration.tickets import token_for

args, out = json.loads(sys.argv[1]), sys.argv[2]
admin = User.objects.create_user(email="admin@bench.example", password=None, name="Bench Admin")
organiser = event_services.create_organiser(name="Benchmark", slug="bench", admin=admin)
first_day = dt.date.today() + dt.timedelta(days=30)
event = event_services.create_event(organiser=organiser, by=admin, slug=args["slug"], data={
    "name": "Attendance benchmark", "timezone": "Europe/Berlin",
    "date_from": first_day, "date_to": first_day + dt.timedelta(days=2)})
registration_services.save_registration_settings(event=event, by=admin, values={"is_open": True})
conference = setup.save_ticket_type(event=event, by=admin, data={"name": "Conference", "price": Decimal(0)})
tutorial = setup.save_ticket_type(
    event=event, by=admin, data={"name": "Tutorial", "price": Decimal("50.00"), "quota": args["seats"]})
started = time.perf_counter()
now = timezone.now()
sales = [
    Sale(buyer=None, email=f"attendee{n}@bench.example", placed_at=now, origin=OrderOrigin.ISSUED, placed_by=admin,
         lines=[orders.Line(conference, f"Attendee {n}", f"attendee{n}@bench.example", price=Decimal(0))])
    for n in range(1, args["tickets"] + 1)
]
write_sales(event=event, sales=sales)
issued = time.perf_counter() - started

unusable = make_password(None)
def accounts(prefix, count):
    User.objects.bulk_create(
        [User(email=f"{prefix}{n}@bench.example", name=f"{prefix} {n}", password=unusable) for n in range(1, count + 1)])
    return list(User.objects.filter(email__startswith=prefix, email__endswith="@bench.example").order_by("pk"))

def session(user):
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

desks = accounts("desk", args["desks"])
team = event_services.save_team(organiser=organiser, by=admin, events=[event],
    data={"name": "Check-in", "can_check_in": True, "all_events": False})
team.members.add(*desks)
facts = {
    "issue_seconds": issued,
    "tutorial": tutorial.pk,
    "desks": [
        {"session": session(user), "token": create_api_token(
            user=user, organiser=organiser, name=user.name, events=[event], scope="checkin")[1]}
        for user in desks
    ],
    "buyers": [session(user) for user in accounts("buyer", args["buyers"])],
    "codes": [token_for(ticket) for ticket in
              Ticket.objects.filter(ticket_type=conference).select_related("order").order_by("pk")],
}
with open(out, "w") as file:
    json.dump(facts, file)
"""

CHECK_CODE = """
import json, sys, django
django.setup()
from collections import Counter
from podium.checkin.models import CheckIn, Scan
from podium.events.models import Event
from podium.registration.models import Ticket
event = Event.objects.get(slug=sys.argv[1])
open(sys.argv[-1], "w").write(json.dumps({
    "tickets": Ticket.objects.filter(order__event=event, ticket_type__name="Conference").count(),
    "check_ins": CheckIn.objects.filter(event=event).count(),
    "tickets_checked_in": CheckIn.objects.filter(event=event).values("ticket").distinct().count(),
    "scans": dict(Counter(Scan.objects.filter(event=event).values_list("result", flat=True))),
}))
"""

RESET_CODE = """
import json, sys, django
django.setup()
from podium.checkin.models import CheckIn, Scan
scans, _ = Scan.objects.filter(event__slug=sys.argv[1]).delete()
check_ins, _ = CheckIn.objects.filter(event__slug=sys.argv[1]).delete()
open(sys.argv[-1], "w").write(json.dumps({"scans": scans, "check_ins": check_ins}))
"""

SOLD_CODE = """
import json, sys, django
django.setup()
from podium.registration.enums import HOLDING
from podium.registration.models import Order, Ticket, TicketType
from podium.registration.queries import seat_count_drift
ticket_type = TicketType.objects.select_related("event").get(pk=int(sys.argv[1]))
orders = Order.objects.filter(tickets__ticket_type=ticket_type).distinct()
open(sys.argv[-1], "w").write(json.dumps({
    "quota": ticket_type.quota,
    "seats_taken": ticket_type.seats_taken,
    "tickets_held": Ticket.objects.filter(ticket_type=ticket_type, order__state__in=HOLDING).count(),
    "orders": sorted(orders.values_list("code", flat=True)),
    "drift": seat_count_drift(ticket_type.event),
}))
"""


def child(code: str, env: dict, *args: str) -> dict:
    """Run a snippet with Django in a child process; what it wrote (JSON) to the file named last."""
    answer = Path(env["PODIUM_DATA_DIR"]) / "answer.json"
    run([sys.executable, "-c", code, *args, str(answer)], env)
    return json.loads(answer.read_text())


@contextlib.contextmanager
def own_database(url: str):
    """A new, empty PostgreSQL database on the server `url` names; yields its URL, drops it after."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'podium'}_attendance_{os.getpid()}"
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(parts._replace(path="/" + name))
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class LoggedServer(Server):
    """serving.py's server, with its log kept in `log`: a failed request is explained there."""

    def __init__(self, env: dict, log: Path):
        super().__init__(env)
        self.log = log

    def __enter__(self):
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [PODIUM, "serve", "--port", str(self.port), "--no-migrate"],
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        wait_for_port(self.port, alive=lambda: self.process.poll() is None, tries=300)
        return self

    def errors(self) -> dict:
        """How many requests failed with a traceback so far, and the end of the log."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return {"tracebacks": text.count("Traceback (most recent call last)"), "log_tail": text[-3000:]}


# --- HTTP, one keep-alive connection per desk or buyer client ------------------------------------------


class Client:
    """One keep-alive connection to the server; `send` answers (status, headers, body, seconds)."""

    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def send(self, method: str, path: str, *, body: bytes | None = None, headers: dict | None = None):
        headers = {"Host": "127.0.0.1", **(headers or {})}
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.connection.request(method, path, body=body, headers=headers)
                answer = self.connection.getresponse()
                content = answer.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed the idle keep-alive connection: open a new one, send again once.
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
                if attempt == 2:
                    raise
                continue
            return answer.status, answer.headers, content, time.perf_counter() - started
        raise AssertionError("unreachable")

    def close(self):
        self.connection.close()


def _cookie(headers, name: str) -> str | None:
    for line in headers.get_all("Set-Cookie") or []:
        match = re.match(rf"{name}=([^;]*)", line)
        if match:
            return match.group(1)
    return None


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _timing(latencies: list[float], count: int, elapsed: float) -> dict:
    return {
        "requests": count,
        "seconds": elapsed,
        "per_s": count / elapsed,
        "p50_ms": 1000 * _percentile(latencies, 0.5),
        "p99_ms": 1000 * _percentile(latencies, 0.99),
    }


# --- Check-in -------------------------------------------------------------------------------------------


def desk_queues(codes: list[str], desks: int, duplicates: float, seed: int) -> list[list[int]]:
    """Each desk's tickets (indexes into `codes`), shuffled; a share of all tickets also goes to a second,
    other desk."""
    rng = random.Random(seed)
    queues = [[index for index in range(len(codes)) if index % desks == desk] for desk in range(desks)]
    for index in rng.sample(range(len(codes)), round(duplicates * len(codes))):
        other = rng.choice([desk for desk in range(desks) if desk != index % desks])
        queues[other].append(index)
    for queue in queues:
        rng.shuffle(queue)
    return queues


def check_in_all(port: int, facts: dict, way: str, queues: list[list[int]]) -> dict:
    """Every desk scans its queue at once; the answers per ticket, latencies and the time taken."""
    codes, path = facts["codes"], f"/orga/event/{SLUG}/checkin/scan/"
    api_path = f"/api/v1/orga/events/{SLUG}/checkins"
    answers: dict[int, list[str]] = defaultdict(list)
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    clients = [Client(port) for _ in queues]
    ready = threading.Barrier(len(queues) + 1)

    def desk(number: int) -> None:
        client, own = clients[number], facts["desks"][number]
        name = f"Desk {number + 1}"
        cookies = f"sessionid={own['session']}"
        if way == "desk":  # the page sets the CSRF cookie its script sends back
            status, headers, _, _ = client.send(
                "GET", f"/orga/event/{SLUG}/checkin/", headers={"Cookie": cookies}
            )
            csrf = _cookie(headers, "csrftoken")
            if status != 200 or not csrf:
                raise RuntimeError(f"{name}: the desk page answered {status} without a CSRF cookie")
            cookies += f"; csrftoken={csrf}"
        ready.wait()
        mine, kinds = [], []
        for index in queues[number]:
            if way == "desk":
                body = urllib.parse.urlencode({"code": codes[index], "desk": name}).encode()
                headers = {
                    "Cookie": cookies,
                    "X-CSRFToken": csrf,
                    "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded",
                }
                status, _, content, seconds = client.send("POST", path, body=body, headers=headers)
            else:
                body = json.dumps({"code": codes[index], "desk": name}).encode()
                headers = {"Authorization": f"Bearer {own['token']}", "Content-Type": "application/json"}
                status, _, content, seconds = client.send("POST", api_path, body=body, headers=headers)
            mine.append(seconds)
            kinds.append((index, json.loads(content)["kind"] if status == 200 else f"HTTP {status}"))
        with lock:
            latencies.extend(mine)
            for index, kind in kinds:
                answers[index].append(kind)
                if kind.startswith("HTTP"):
                    failures.append(kind)

    threads = [threading.Thread(target=desk, args=(number,)) for number in range(len(queues))]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for client in clients:
        client.close()
    return {"answers": answers, "latencies": latencies, "elapsed": elapsed, "failures": failures}


def measure_check_in(port: int, env: dict, facts: dict, way: str, args) -> dict:
    queues = desk_queues(facts["codes"], args.desks, args.duplicates, seed=args.seed)
    done = check_in_all(port, facts, way, queues)
    stored = child(CHECK_CODE, env, SLUG)
    answers = done["answers"]
    kinds = Counter(kind for per_ticket in answers.values() for kind in per_ticket)
    once = sum(1 for per_ticket in answers.values() if per_ticket.count("ok") == 1)
    scanned_twice = [per_ticket for per_ticket in answers.values() if len(per_ticket) > 1]
    report = _timing(done["latencies"], sum(len(queue) for queue in queues), done["elapsed"]) | {
        "way": WAYS[way],
        "desks": args.desks,
        "answers": dict(kinds),
        "failures": len(done["failures"]),
        "second_scans": len(scanned_twice),
        "second_scans_answered_already": sum(
            1
            for per_ticket in scanned_twice
            if per_ticket.count("ok") == 1 and per_ticket.count("already") == len(per_ticket) - 1
        ),
        "stored": stored,
    }
    report["checks"] = {
        "every ticket checked in once (CheckIn rows)": stored["check_ins"] == stored["tickets"]
        and stored["tickets_checked_in"] == stored["tickets"],
        "one 'checked in' answer per ticket": once == len(facts["codes"]) == len(answers),
        "every second scan answered 'already'": report["second_scans_answered_already"]
        == report["second_scans"]
        and kinds["already"] == report["second_scans"],
        "a Scan row per request": sum(stored["scans"].values()) == report["requests"],
        "no failed request": not done["failures"],
    }
    child(RESET_CODE, env, SLUG)
    return report


# --- The race for the last seats --------------------------------------------------------------------


def race(port: int, env: dict, facts: dict, args) -> dict:
    """Every buyer opens the form, then all post it at once; what each was told, and what was sold."""
    form_path = f"/{SLUG}/tickets/order/?qty-{facts['tutorial']}=1"
    buyers = facts["buyers"]
    forms: dict[int, dict] = {}
    told: dict[int, str] = {}
    opening: list[float] = []
    posting: list[float] = []
    lock = threading.Lock()

    def work(jobs: list[int], step) -> None:
        client = Client(port)
        try:
            for number in jobs:
                step(client, number)
        finally:
            client.close()

    def open_form(client: Client, number: int) -> None:
        cookies = f"sessionid={buyers[number]}"
        status, headers, content, seconds = client.send("GET", form_path, headers={"Cookie": cookies})
        page = content.decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', page)
        if status != 200 or not csrf or not key:
            raise RuntimeError(f"buyer {number}: the order form answered {status}")
        with lock:
            opening.append(seconds)
            forms[number] = {
                "cookies": f"{cookies}; csrftoken={_cookie(headers, 'csrftoken')}",
                "fields": {
                    "csrfmiddlewaretoken": csrf.group(1),
                    "idempotency_key": key.group(1),
                    "email": f"buyer{number + 1}@bench.example",
                    "t1-name": f"Buyer {number + 1}",
                    "t1-email": f"buyer{number + 1}@bench.example",
                    "t1-company": "",
                },
            }

    def place(client: Client, number: int) -> None:
        form = forms[number]
        status, headers, content, seconds = client.send(
            "POST",
            form_path,
            body=urllib.parse.urlencode(form["fields"]).encode(),
            headers={"Cookie": form["cookies"], "Content-Type": "application/x-www-form-urlencoded"},
        )
        where = headers.get("Location", "")
        if status == 302 and f"/{SLUG}/orders/" in where:
            outcome = "order " + where.rstrip("/").rsplit("/", 1)[1]
        elif (status == 302 and f"/{SLUG}/tickets/" in where) or (status == 200 and b"sold out" in content):
            outcome = "sold out"
        else:
            outcome = f"HTTP {status}"
        with lock:
            posting.append(seconds)
            told[number] = outcome

    def in_parallel(step) -> float:
        jobs = [list(range(len(buyers)))[n :: args.buyer_clients] for n in range(args.buyer_clients)]
        threads = [threading.Thread(target=work, args=(share, step)) for share in jobs if share]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started

    opened = in_parallel(open_form)
    placed = in_parallel(place)
    sold = child(SOLD_CODE, env, str(facts["tutorial"]))
    outcomes = Counter("order" if text.startswith("order ") else text for text in told.values())
    codes = sorted(text.split()[1] for text in told.values() if text.startswith("order "))
    return {
        "buyers": len(buyers),
        "seats": args.seats,
        "clients": args.buyer_clients,
        "order_form": _timing(opening, len(opening), opened),
        "orders": _timing(posting, len(posting), placed) | {"orders_per_s": outcomes["order"] / placed},
        "outcomes": dict(outcomes),
        "sold": {key: value for key, value in sold.items() if key != "orders"},
        "checks": {
            "exactly the seats sold (counter)": sold["seats_taken"] == args.seats == sold["quota"],
            "exactly the seats sold (tickets)": sold["tickets_held"] == args.seats,
            "no counter drift": sold["drift"] == {},
            "an order for each buyer told so, and no other": codes == sold["orders"],
            "everyone else told 'sold out'": outcomes["sold out"] == len(buyers) - args.seats,
        },
    }


# --- One database ---------------------------------------------------------------------------------------


def measure(database: str, env: dict, args) -> dict:
    started = time.perf_counter()
    facts_file = Path(env["PODIUM_DATA_DIR"]) / "facts.json"
    run([PODIUM, "migrate", "--no-input", "-v", "0"], env)
    setup_args = {
        "slug": SLUG,
        "tickets": args.tickets,
        "desks": args.desks,
        "buyers": args.buyers,
        "seats": args.seats,
    }
    run([sys.executable, "-c", SETUP_CODE, json.dumps(setup_args), str(facts_file)], env)
    facts = json.loads(facts_file.read_text())
    setup_seconds = time.perf_counter() - started
    print(
        f"  set up in {setup_seconds:.0f} s ({args.tickets} tickets issued in {facts['issue_seconds']:.0f} s)",
        flush=True,
    )
    with LoggedServer(env, Path(env["PODIUM_DATA_DIR"]) / "server.log") as server:
        baseline = {
            clients: asyncio.run(_load("127.0.0.1", server.port, "/healthz", clients, BASELINE_SECONDS))
            for clients in sorted({args.desks, args.buyer_clients})
        }
        check_ins = {}
        for way in args.via:
            print(f"  check-in through the {WAYS[way]}…", flush=True)
            before = server.errors()["tracebacks"]
            check_ins[way] = measure_check_in(server.port, env, facts, way, args)
            check_ins[way]["x_healthz"] = check_ins[way]["per_s"] / baseline[args.desks]["requests_per_s"]
            check_ins[way]["server_errors"] = _errors(server, before)
        print(f"  {args.buyers} buyers for {args.seats} seats…", flush=True)
        before = server.errors()["tracebacks"]
        rush = race(server.port, env, facts, args)
        rush["x_healthz"] = rush["orders"]["per_s"] / baseline[args.buyer_clients]["requests_per_s"]
        rush["server_errors"] = _errors(server, before)
    return {
        "database": database,
        "setup_seconds": setup_seconds,
        "issue_seconds": facts["issue_seconds"],
        "baseline_healthz": {str(clients): row for clients, row in baseline.items()},
        "check_in": check_ins,
        "race": rush,
    }


def _errors(server: LoggedServer, before: int) -> dict:
    """The tracebacks the server logged since `before`, with the end of its log when there were any."""
    now = server.errors()
    count = now["tracebacks"] - before
    return {"tracebacks": count, "log_tail": now["log_tail"] if count else ""}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=5000)
    parser.add_argument("--desks", type=int, default=20)
    parser.add_argument("--duplicates", type=float, default=0.05, help="share of tickets scanned twice")
    parser.add_argument("--buyers", type=int, default=1000)
    parser.add_argument("--seats", type=int, default=300)
    parser.add_argument("--buyer-clients", type=int, default=50, help="connections the buyers share")
    parser.add_argument("--via", default="desk,api", help="desk, api or both (desk,api)")
    parser.add_argument("--postgres", action="store_true", help="also on PostgreSQL (see above)")
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.via = [way.strip() for way in args.via.split(",") if way.strip()]
    if not args.via or set(args.via) - set(WAYS):
        parser.error("--via takes desk, api or desk,api")
    postgres = os.environ.get("PODIUM_DATABASE_URL") or (DEFAULT_POSTGRES if args.postgres else "")

    load_before = os.getloadavg()
    runs = []
    for database in ["sqlite", *(["postgresql"] if postgres else [])]:
        print(f"{database}:", flush=True)
        data_dir = tempfile.mkdtemp(prefix="podium-bench-attendance-")
        try:
            with own_database(postgres) if database == "postgresql" else contextlib.nullcontext("") as url:
                env = environment(data_dir)
                env.pop("PODIUM_DATABASE_URL", None)
                if url:
                    env["PODIUM_DATABASE_URL"] = url
                runs.append(measure(database, env, args))
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    report = {
        "benchmark": "attendance",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "arguments": {key: value for key, value in vars(args).items() if key != "output"},
        "runs": runs,
    }
    print_report(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nResults written to {args.output}")
    failed = [(run_["database"], name) for run_ in runs for name, ok in _checks(run_) if not ok]
    for database, name in failed:
        print(f"CHECK FAILED on {database}: {name}")
    return 1 if failed else 0


def _checks(result: dict):
    for way in result["check_in"].values():
        yield from way["checks"].items()
    yield from result["race"]["checks"].items()


def print_report(report: dict) -> None:
    arguments = report["arguments"]
    print(
        f"\nPodium attendance benchmark: Python {report['python']}, {report['cpus']} CPUs, load average "
        f"{report['load_average_before'][0]:.1f} before, {report['load_average_after'][0]:.1f} after"
    )
    print(
        f"Check-in: {arguments['desks']} desks, {arguments['tickets']} tickets, {arguments['duplicates']:.0%} scanned "
        f"twice. Race: {arguments['buyers']} buyers for {arguments['seats']} seats over {arguments['buyer_clients']} "
        "connections."
    )
    print(f"\n  {'database':<11} {'what':<26} {'per s':>7} {'p50':>9} {'p99':>9} {'x healthz':>9}  checks")
    for result in report["runs"]:
        database = result["database"]
        for clients, row in result["baseline_healthz"].items():
            print(
                f"  {database:<11} {f'/healthz, {clients} clients':<26} {row['requests_per_s']:7.0f}"
                f" {row['p50_ms']:7.1f}ms {row['p99_ms']:7.1f}ms {'':>9}"
            )
        for way in result["check_in"].values():
            ok = all(way["checks"].values())
            print(
                f"  {database:<11} {'scans, ' + way['way']:<26} {way['per_s']:7.0f} {way['p50_ms']:7.1f}ms"
                f" {way['p99_ms']:7.1f}ms {way['x_healthz']:8.2f}x  {'ok' if ok else 'FAILED'}"
                f" ({way['stored']['check_ins']} check-ins, {way['second_scans']} second scans answered already)"
            )
        rush = result["race"]
        form, orders = rush["order_form"], rush["orders"]
        print(
            f"  {database:<11} {'order form (GET)':<26} {form['per_s']:7.0f} {form['p50_ms']:7.1f}ms"
            f" {form['p99_ms']:7.1f}ms"
        )
        ok = all(rush["checks"].values())
        print(
            f"  {database:<11} {'order answers (POST)':<26} {orders['per_s']:7.0f} {orders['p50_ms']:7.1f}ms"
            f" {orders['p99_ms']:7.1f}ms {rush['x_healthz']:8.2f}x  {'ok' if ok else 'FAILED'}"
            f" ({orders['orders_per_s']:.0f} orders/s; {rush['sold']['seats_taken']} of {rush['seats']} seats sold,"
            f" {rush['outcomes'].get('sold out', 0)} told sold out)"
        )


if __name__ == "__main__":
    sys.exit(main())
