"""Benchmark: serving a FOSDEM-size program, with and without the page cache, and 1,000 live connections.

    .venv/bin/python benchmarks/serving.py [--clients 64] [--seconds 10] [--live 1000] [--output PATH]
        [--only files|fastpath] [--client wrk|python]

Input: FOSDEM 2025 (`../shared/schedule-data/fosdem/fosdem-2025.schedule.xml`: 943 sessions in 40 rooms
over two days), imported with `podium import` into a throw-away data directory (SQLite unless
PODIUM_DATABASE_URL is set). The child-process helpers and the keep-alive load generator are the
ones of benchmarks/interop.py.

1. `podium serve` (one uvicorn process) with the page cache on (the default); --clients keep-alive
   connections for --seconds seconds against each of: the public schedule page (first day, grid), a
   talk page, schedule.xml and schedule.json, after one warm-up request each. Requests per second,
   p50 and p99 latency.
2. The same after restarting the server with `PODIUM_PAGE_CACHE=off`; the ratio cached / uncached.
   schedule.xml and schedule.json are cached by the exporters whatever the setting: they are the
   control (a ratio near 1).
3. --live open connections to `/<event>/live` (Server-Sent Events) on a server restarted with
   `PODIUM_REDIS_URL` pointing at a `redis-server` this script starts for itself (the live bus goes
   through Redis so that a release published by another process reaches the server): the server's
   resident memory before and after opening them (after a warm-up), divided by their number; then a
   release with a unique name is published in a child process (`publish_release(force=True)`) and
   the time is taken from the moment publishing started (and from when it returned) until every
   connection has received that release's `event: release` message.

4. Release files (podium.site.release_files): a release is published in a child process with the
   files on, and the time is taken from publish returning until every file is written (by the
   process's background thread, as on a server without a worker) and the CPU it took (the process's
   and its render helper processes'); the directory's size on disk.
   Then the same --clients against schedule.xml, schedule.json, schedule.ics, the schedule page (first
   day) and a talk page, all asking `Accept-Encoding: gzip`, once served from the files and once
   with `PODIUM_RELEASE_FILES=off` (the Django-rendered path as before: exports from the exporters'
   cache, gzip-compressed per request; pages from the page cache). Each answer is decoded and
   compared, so both sides send the same bytes.

5. The fast path against nginx (`--only fastpath`): with the files of step 4 written, nginx (one
   worker, its own temporary configuration on a loopback port, `gzip_static on`) serves the same
   bytes at the same addresses, and `podium serve` (granian, then uvicorn; the default workers, with a
   Redis of this script's own) answers them through podium.site.fastpath. The same client, in the same
   run, --clients connections against schedule.xml, schedule.json, schedule.ics, the schedule page
   (its default day) and a talk page, each raw and with `Accept-Encoding: gzip`: requests per second,
   p50 and p99, the ratio to nginx and the load average after each run. The client is wrk (--client
   wrk, the default when /usr/bin/wrk exists: one thread per core, --latency for p50/p99, any answer
   other than 2xx/3xx refused) or the one-process Python client of the other steps (--client python).
   Before each row one request goes through urllib: its answer, gzip-decoded when the server says so,
   is compared with nginx's, so every side sends the same bytes. The servers' /metrics counters show
   how many answers the fast path gave and that none reached Django.
   Then the shipped configuration: deploy/nginx.conf and its snippets as deploy/test.py renders them
   for loopback (`render_nginx`: TLS with a self-signed certificate, two workers, its access log),
   with the granian server as upstream: exports and pages come from the release files (the pages
   through the links Podium keeps beside `latest`: `served`, `served-static`, `today`), the rest is
   proxied. Measured as shipped (https; wrk speaks HTTP/1.1) and once more with `ssl http2` taken off
   the listen line, to tell TLS's cost apart; the ratio to nginx alone (the target: at least 90 %).
   Last, a logged-in visitor: a user and a database session made in the benchmark's database (as the
   log-in form makes them); the schedule page (gzip) with that session cookie against the same page
   anonymous, back to back, through granian and through the shipped nginx.

`--only files` or `--only fastpath` runs that step alone (and keeps the other results in the output file).

Results go to benchmarks/results/serving.json; benchmarks/README.md has the last ones.
"""

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from interop import DATA, PODIUM, ROOT, _load, environment, free_port, prepare, run, wait_for_port

RESULTS = ROOT / "benchmarks" / "results" / "serving.json"
FOSDEM = DATA / "fosdem" / "fosdem-2025.schedule.xml"
SLUG = "fosdem-2025"
REDIS_SERVER = shutil.which("redis-server") or "redis-server"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
METRICS_TOKEN = "serving-benchmark"  # noqa: S105 (a throw-away server's)

FACTS_CODE = """
import json, django
django.setup()
from podium.events.models import Event
from podium.schedule.queries import latest_release
event = Event.objects.get(slug=%r)
release = latest_release(event)
talk = release.sessions.filter(kind="session").order_by("start", "id").first()
print(json.dumps({"talk": talk.code, "sessions": release.sessions.filter(kind="session").count(),
                  "rooms": len(release.rooms), "days": len(set(release.sessions.values_list("day", flat=True))),
                  "public": event.is_public}))
"""

RENDER_CODE = """
import json, os, resource, time, django
django.setup()
from django.conf import settings
from podium.base import background
from podium.events.models import Event
from podium.schedule.services import publish_release
from podium.site import release_files
def cpu_seconds():  # this process's and its finished children's (the render's helper processes)
    return sum(usage.ru_utime + usage.ru_stime for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)))
event = Event.objects.get(slug=%r)
started = time.time()
release = publish_release(event=event, by=None, name=%r, force=True)
returned = time.time()
cpu = cpu_seconds()
background.wait(timeout=600)
done = time.time()
cpu = cpu_seconds() - cpu
folder = release_files.release_dir(event.slug, release)
size = sum(path.stat().st_size for path in folder.path.rglob("*") if path.is_file())
files = folder.manifest["files"]
print(json.dumps({"publish_seconds": returned - started, "files_written_after_return_s": done - returned,
                  "cpu_s_after_return": cpu, "load_average": os.getloadavg(),
                  "render_processes": getattr(release_files, "RENDER_PROCESSES", 1),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "helper_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "version": release.version, "files": len(files), "disk_bytes": size,
                  "raw_bytes": sum(e["size"] for e in files.values()),
                  "gz_bytes": sum(e["gz"] for e in files.values()), "br_bytes": sum(e["br"] for e in files.values()),
                  "day": str(min(release.sessions.values_list("day", flat=True)))}))
"""

PUBLISH_CODE = """
import json, time, django
django.setup()
from podium.events.models import Event
from podium.schedule.services import publish_release
event = Event.objects.get(slug=%r)
started = time.time()
release = publish_release(event=event, by=None, name=%r, force=True)
print(json.dumps({"started": started, "returned": time.time(), "version": release.version}))
"""


def raise_open_files(needed: int) -> dict:
    """Allow this process (and the server it starts) enough open files for the live connections."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        soft = min(needed, hard) if hard != resource.RLIM_INFINITY else needed
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return {"soft": soft, "hard": hard}


def rss_mib(pid: int) -> float:
    """The resident memory of a process (VmRSS), in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


class Server:
    """`podium serve` on a free port, for the duration of a `with` block."""

    def __init__(self, env: dict, *args: str, **extra_env: str):
        self.port = free_port()
        self.args = list(args) or ["--workers", "1", "--server", "uvicorn"]
        self.env = env | {"PODIUM_ALLOWED_HOSTS": "127.0.0.1"} | extra_env

    def __enter__(self):
        self.process = subprocess.Popen(  # noqa: S603
            [PODIUM, "serve", "--port", str(self.port), "--no-migrate", *self.args],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, alive=lambda: self.process.poll() is None, tries=3000)  # collectstatic first
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)


def targets(facts: dict) -> dict[str, str]:
    return {
        "healthz": "/healthz",  # the baseline: the cheapest answer the server gives
        "schedule_page": f"/{SLUG}/schedule/",
        "talk_page": f"/{SLUG}/talk/{facts['talk']}/",
        "schedule_xml": f"/{SLUG}/schedule/export/schedule.xml",
        "schedule_json": f"/{SLUG}/schedule/export/schedule.json",
    }


def measure_pages(env: dict, paths: dict, clients: int, seconds: float, **extra_env) -> dict:
    with Server(env, **extra_env) as server:
        results = {}
        for name, path in paths.items():
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}{path}") as answer:
                size = len(answer.read())  # and the warm-up: renders (and caches) once
            results[name] = asyncio.run(_load("127.0.0.1", server.port, path, clients, seconds)) | {
                "bytes": size
            }
        results["server_rss_mib"] = rss_mib(server.process.pid)
    return results


# --- Release files against the Django-rendered path ----------------------------------------------


async def _encoded_client(
    port: int,
    path: str,
    deadline: float,
    latencies: list[float],
    encoding: str,
    tls: bool = False,
    extra: str = "",
) -> int:
    context = _unverified_tls() if tls else None
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context)
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept-Encoding: {encoding}\r\n{extra}"
        "Connection: keep-alive\r\n\r\n"
    ).encode()
    done = 0
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            await reader.readexactly(length)
            if status != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
            latencies.append(time.perf_counter() - started)
            done += 1
    finally:
        writer.close()
    return done


async def _encoded_load(
    port: int, path: str, clients: int, seconds: float, encoding: str, tls: bool = False, extra: str = ""
) -> dict:
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    counts = await asyncio.gather(
        *[_encoded_client(port, path, deadline, latencies, encoding, tls, extra) for _ in range(clients)]
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "path": path,
        "requests": sum(counts),
        "requests_per_s": sum(counts) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
    }


def _unverified_tls():
    """TLS for the loopback nginx with its throw-away self-signed certificate."""
    import ssl

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


WRK = "/usr/bin/wrk"
_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _wrk_ms(value: str) -> float:
    number = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", value)
    if number is None:
        raise RuntimeError(f"wrk: unreadable latency {value!r}")
    return float(number.group(1)) * _WRK_UNITS[number.group(2)]


def parse_wrk(output: str, path: str) -> dict:
    """wrk's summary (run with --latency): requests, requests per second, p50 and p99; errors refused."""
    totals = re.search(r"^\s*(\d+) requests in ([0-9.]+)(us|ms|s|m),", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([0-9.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    if not (totals and rate and p50 and p99):
        raise RuntimeError(f"wrk: unreadable output for {path}:\n{output}")
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if failed:
        raise RuntimeError(f"{path}: {failed.group(1)} answers were not 2xx or 3xx:\n{output}")
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "path": path,
        "requests": int(totals.group(1)),
        "requests_per_s": float(rate.group(1)),
        "p50_ms": _wrk_ms(p50.group(1)),
        "p99_ms": _wrk_ms(p99.group(1)),
        "socket_errors": {
            kind: int(count)
            for kind, count in zip(("connect", "read", "write", "timeout"), errors.groups(), strict=True)
        }
        if errors
        else {},
    }


def wrk_load(base: str, path: str, clients: int, seconds: float, headers: dict[str, str]) -> dict:
    """wrk (two threads, one per core, keep-alive) against base + path with `headers`."""
    argv = [WRK, "--threads", str(min(clients, available_cores())), "--connections", str(clients)]
    argv += ["--duration", f"{max(1, round(seconds))}s", "--timeout", "10s", "--latency"]
    for name, value in headers.items():
        argv += ["--header", f"{name}: {value}"]
    finished = subprocess.run([*argv, base + path], capture_output=True, text=True, check=False)  # noqa: S603
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr or finished.stdout}")
    return parse_wrk(finished.stdout, path)


def load(client: str, base: str, path: str, clients: int, seconds: float, headers: dict[str, str]) -> dict:
    """One row of load: wrk, or the Python keep-alive client (one process, asyncio)."""
    if client == "wrk":
        return wrk_load(base, path, clients, seconds, headers)
    tls, port = base.startswith("https:"), int(base.rsplit(":", 1)[1])
    encoding = headers.get("Accept-Encoding", "identity")
    extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items() if name != "Accept-Encoding")
    return asyncio.run(_encoded_load(port, path, clients, seconds, encoding, tls, extra))


def _fetch(port: int | str, path: str, encoding: str, headers: dict | None = None) -> tuple[bytes, dict]:
    """One request (`port`, or a base address such as https://127.0.0.1:PORT): the body, decoded if the
    server compressed it, and the answer's headers."""
    import gzip

    base = port if isinstance(port, str) else f"http://127.0.0.1:{port}"
    sent = {"Accept-Encoding": encoding} | (headers or {})
    request = urllib.request.Request(f"{base}{path}", headers=sent)  # noqa: S310 (loopback)
    context = _unverified_tls() if base.startswith("https:") else None
    with urllib.request.urlopen(request, context=context) as answer:  # noqa: S310 (loopback)
        body = answer.read()
        # Header names as the server wrote them: granian and uvicorn send lowercase ones; the message
        # object looks them up case-insensitively.
        encoded = (answer.headers.get("Content-Encoding") or "").strip().lower()
        headers = {name.title(): value for name, value in answer.headers.items()}
    if encoded == "gzip":
        body = gzip.decompress(body)
    elif encoded not in ("", "identity"):
        raise RuntimeError(f"{path}: unexpected Content-Encoding {encoded!r}")
    return body, headers


def measure_files(env: dict, facts: dict, clients: int, seconds: float) -> dict:
    """Step 4: publish with the files on and time the render; then files against the rendered path."""
    env = env | {"PODIUM_RELEASE_FILES": "true"}
    rendering = json.loads(
        run([sys.executable, "-c", RENDER_CODE % (SLUG, f"files-{time.time_ns()}")], env)["output"]
        .strip()
        .splitlines()[-1]
    )
    paths = {
        "schedule_xml": f"/{SLUG}/schedule/export/schedule.xml",
        "schedule_json": f"/{SLUG}/schedule/export/schedule.json",
        "schedule_ics": f"/{SLUG}/schedule/export/schedule.ics",
        "schedule_page": f"/{SLUG}/schedule/?day={rendering['day']}",
        "talk_page": f"/{SLUG}/talk/{facts['talk']}/",
    }
    sides, bodies = {}, {}
    for side, setting in (("files", "true"), ("django", "false")):
        with Server(env, PODIUM_RELEASE_FILES=setting) as server:
            results = {}
            for name, path in paths.items():
                body, headers = _fetch(server.port, path, "gzip")  # and the warm-up
                bodies.setdefault(name, {})[side] = body
                results[name] = asyncio.run(_encoded_load(server.port, path, clients, seconds, "gzip")) | {
                    "bytes": len(body),
                    "cache_control": headers.get("Cache-Control", ""),
                    "content_encoding": headers.get("Content-Encoding", ""),
                }
            results["server_rss_mib"] = rss_mib(server.process.pid)
        sides[side] = results
    return {
        "render": rendering,
        "files": sides["files"],
        "django": sides["django"],
        "same_bytes": {name: pair["files"] == pair["django"] for name, pair in bodies.items()},
        "ratio_rps_files_to_django": {
            name: sides["files"][name]["requests_per_s"] / sides["django"][name]["requests_per_s"]
            for name in paths
        },
        "load_average": os.getloadavg(),
    }


# --- The fast path against nginx --------------------------------------------------------------------

NGINX_CONF = """
user root;
worker_processes {workers};
master_process {master};
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_requests 10000000;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    gzip_static on;
    gzip_vary on;
    types {{ }}
    server {{
        listen 127.0.0.1:{port}{tls};
{locations}
    }}
}}
"""


def nginx_alone_conf(
    tmp: Path, port: int, files: dict[str, tuple[Path, str]], *, tls: bool, workers: int, master: bool = True
) -> str:
    """nginx's main file serving `files` ({address: (file, content type)}) from `tmp` on `port`: one
    exact location each, `gzip_static`, no access log, no headers of its own; with `tls`, the shipped
    configuration's TLS settings and a self-signed certificate made in `tmp` as deploy/test.py makes it.
    Without `master`, one process serves alone (nginx's `master_process off`)."""
    locations = "\n".join(
        f'        location = {address} {{ default_type "{content_type}"; root {path.parent}; '
        f"try_files /{path.name} =404; }}"
        for address, (path, content_type) in files.items()
    )
    listen = ""
    if tls:
        cert, key = _deploy_test().certificate(tmp)
        listen = (
            f" ssl http2;\n        ssl_certificate {cert};\n        ssl_certificate_key {key};\n"
            "        ssl_protocols TLSv1.2 TLSv1.3;\n        ssl_session_cache shared:bench_tls:10m;\n"
            "        ssl_session_timeout 1d"
        )
    return NGINX_CONF.format(
        tmp=tmp, port=port, locations=locations, tls=listen, workers=workers, master="on" if master else "off"
    )


@contextlib.contextmanager
def own_nginx(files: dict[str, tuple[Path, str]], *, tls: bool = False, workers: int = 1):
    """nginx serving `files` ({address: (file, content type)}) on a free loopback port, with the
    precompressed `.gz` beside each file sent to clients that accept gzip (gzip_static). With `tls`, the
    shipped configuration's TLS settings (a self-signed certificate made as deploy/test.py makes it,
    TLS 1.2 and 1.3, the same session cache): the baseline the shipped nginx is compared with, so the
    ratio measures what Podium's configuration costs, not what encryption costs."""
    port = free_port()
    tmp = Path(tempfile.mkdtemp(prefix="podium-bench-nginx-"))
    conf = tmp / "nginx.conf"
    conf.write_text(nginx_alone_conf(tmp, port, files, tls=tls, workers=workers))
    process = subprocess.Popen(  # noqa: S603
        [NGINX, "-c", str(conf), "-p", str(tmp)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(port, alive=lambda: process.poll() is None, pause=0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        errors = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
        if errors:
            print(f"nginx's error log:\n{errors}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)


def _counts(port: int) -> dict:
    """From the server's /metrics: answers of the fast path, and requests Django answered (the scrapes of
    /metrics itself left out)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    with urllib.request.urlopen(request) as answer:  # noqa: S310 (http on loopback)
        text = answer.read().decode()
    counts = {"fastpath": 0.0, "django": 0.0}
    for line in text.splitlines():
        if line.startswith("podium_fastpath_responses_total{"):
            counts["fastpath"] += float(line.rsplit(" ", 1)[1])
        elif line.startswith("podium_http_request_duration_seconds_count{") and "metrics" not in line:
            counts["django"] += float(line.rsplit(" ", 1)[1])
    return counts


def _counted(port: int, before: dict) -> dict:
    after = _counts(port)
    return {
        "fastpath_answers": after["fastpath"] - before["fastpath"],
        "django_answers": after["django"] - before["django"],
    }


def _run_targets(
    base: str, paths: dict, clients: int, seconds: float, bodies: dict, side: str, client: str
) -> dict:
    results = {}
    for name, path in paths.items():
        for encoding in ("identity", "gzip"):
            key = f"{name}:{'gzip' if encoding == 'gzip' else 'raw'}"
            body, headers = _fetch(base, path, encoding)  # and the warm-up
            bodies.setdefault(key, {})[side] = body
            results[key] = load(client, base, path, clients, seconds, {"Accept-Encoding": encoding}) | {
                "bytes": int(headers.get("Content-Length", 0)),
                "content_encoding": headers.get("Content-Encoding", ""),
                "load_average_1min": os.getloadavg()[0],
            }
    return results


SESSION_CODE = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from podium.accounts.models import User
user = User.objects.create_user("visitor@serving.example", "serving-benchmark-visitor", name="Visitor")
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "key": session.session_key, "email": user.email}))
"""


def visitor_session(env: dict) -> dict:
    """A logged-in visitor: a user of the benchmark database and a session for them, as logging in makes."""
    if env.get("PODIUM_SESSION_ENGINE"):
        raise SystemExit("the logged-in visitor needs the database session engine")
    output = run([sys.executable, "-c", SESSION_CODE], env)["output"]
    return json.loads(output.strip().splitlines()[-1])


def _deploy_test():
    """deploy/test.py as a module, for its rendering of the shipped nginx configuration."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("podium_deploy_test", ROOT / "deploy" / "test.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def shipped_nginx(data: Path, upstream: int, *, tls: bool = True):
    """deploy/nginx.conf and its snippets as deploy/test.py renders them for loopback (TLS with a
    self-signed certificate, its access log, two workers), in front of the `podium serve` on `upstream`;
    yields the https address. The one change: the workers run as this script's user, since the
    benchmark's data directory is private (deploy/test.py opens its own to nginx's default user instead)."""
    deploy = _deploy_test()
    tmp = Path(tempfile.mkdtemp(prefix="podium-bench-shipped-"))
    ports = {"http": free_port(), "tls": free_port()}
    conf = deploy.render_nginx(
        tmp, data, http_port=ports["http"], tls_port=ports["tls"], upstreams=[upstream]
    )
    conf.write_text("user root;\n" + conf.read_text())
    if not tls:
        site = tmp / "site.conf"
        listen = f"listen 127.0.0.1:{ports['tls']} ssl http2;"
        if listen not in site.read_text():
            raise SystemExit(f"the rendered configuration has no {listen!r}")
        site.write_text(site.read_text().replace(listen, f"listen 127.0.0.1:{ports['tls']};"))
    tested = subprocess.run([NGINX, "-t", "-c", str(conf)], capture_output=True, text=True, check=False)  # noqa: S603
    if tested.returncode != 0:
        raise SystemExit(f"nginx -t refused the shipped configuration:\n{tested.stderr}")
    process = subprocess.Popen(  # noqa: S603
        [NGINX, "-c", str(conf), "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_for_port(ports["tls"], alive=lambda: process.poll() is None, pause=0.05)
        scheme = "https" if tls else "http"
        yield {"base": f"{scheme}://127.0.0.1:{ports['tls']}", "tmp": tmp, "worker_processes": 2}
    finally:
        process.terminate()
        process.wait(timeout=10)
        errors = (tmp / "error.log").read_text() if (tmp / "error.log").exists() else ""
        if errors.strip():
            print(f"the shipped nginx's error log:\n{errors[-3000:]}", file=sys.stderr)
        shutil.rmtree(tmp, ignore_errors=True)


def _upstream_share(tmp: Path) -> dict:
    """From the shipped nginx's access log: how many answers nginx gave from disk (upstream=-)."""
    time.sleep(1.2)  # the shipped access log is buffered for up to a second
    lines = (tmp / "access.log").read_text().splitlines() if (tmp / "access.log").exists() else []
    proxied = sum(1 for line in lines if " upstream=- " not in line)
    return {"logged": len(lines), "proxied": proxied, "from_disk": len(lines) - proxied}


def _logged_in_rows(base: str, path: str, session: dict, clients: int, seconds: float, client: str) -> dict:
    """The schedule page (gzip) for an anonymous visitor and for the logged-in one, back to back."""
    cookie = {"Cookie": f"{session['cookie']}={session['key']}"}
    anonymous_body, _ = _fetch(base, path, "gzip")
    body, headers = _fetch(base, path, "gzip", cookie)  # and the warm-up (the page cache)
    # The page is the same file for everyone; the visitor's part comes from /<event>/me.json.
    me, _ = _fetch(base, f"/{SLUG}/me.json", "gzip", cookie)
    if json.loads(me).get("logged_in") is not True:
        raise RuntimeError(f"{base}: the session cookie did not log the visitor in: {me[:200]!r}")
    rows = {}
    for who, extra in (("anonymous", {}), ("logged_in", cookie)):
        rows[who] = load(client, base, path, clients, seconds, {"Accept-Encoding": "gzip"} | extra) | {
            "bytes": int(headers.get("Content-Length", 0)) if who == "logged_in" else None,
            "load_average_1min": os.getloadavg()[0],
        }
    rows["bytes_decoded"] = {"anonymous": len(anonymous_body), "logged_in": len(body)}
    rows["same_page_as_anonymous"] = body == anonymous_body
    rows["me_json_logged_in"] = True
    rows["ratio_rps_logged_in_to_anonymous"] = (
        rows["logged_in"]["requests_per_s"] / rows["anonymous"]["requests_per_s"]
    )
    return rows


def measure_fastpath(env: dict, facts: dict, clients: int, seconds: float, client: str = "wrk") -> dict:
    """Step 5: nginx serving the release's files against `podium serve` and its fast path, and the
    shipped nginx configuration in front of `podium serve`."""
    env = env | {"PODIUM_RELEASE_FILES": "true", "PODIUM_METRICS_TOKEN": METRICS_TOKEN}
    rendering = json.loads(
        run([sys.executable, "-c", RENDER_CODE % (SLUG, f"fastpath-{time.time_ns()}")], env)["output"]
        .strip()
        .splitlines()[-1]
    )
    session = visitor_session(env)
    data = Path(env["PODIUM_DATA_DIR"])
    folder = data / "releases" / SLUG / "latest"
    manifest = json.loads((folder / "manifest.json").read_text())["files"]
    paths = {
        "schedule_xml": ("schedule.xml", f"/{SLUG}/schedule/export/schedule.xml"),
        "schedule_json": ("schedule.json", f"/{SLUG}/schedule/export/schedule.json"),
        "schedule_ics": ("schedule.ics", f"/{SLUG}/schedule/export/schedule.ics"),
        # The event is over: its schedule page shows the first day.
        "schedule_page": (f"pages/schedule/{rendering['day']}/grid.html", f"/{SLUG}/schedule/"),
        "talk_page": (f"pages/talk/{facts['talk']}.html", f"/{SLUG}/talk/{facts['talk']}/"),
    }
    served = {path: ((folder / name).resolve(), manifest[name]["type"]) for name, path in paths.values()}
    addresses = {name: path for name, (_file, path) in paths.items()}
    bodies: dict = {}
    sides = {}
    logged_in = {}
    with own_nginx(served) as port:
        sides["nginx"] = _run_targets(
            f"http://127.0.0.1:{port}", addresses, clients, seconds, bodies, "nginx", client
        )
    # nginx alone again as the shipped one runs: TLS with the same settings, the same two workers.
    with own_nginx(served, tls=True, workers=2) as port:
        sides["nginx_tls"] = _run_targets(
            f"https://127.0.0.1:{port}", addresses, clients, seconds, bodies, "nginx_tls", client
        )
    with own_redis() as redis_url:
        for server in ("granian", "uvicorn"):
            with Server(env, "--server", server, PODIUM_REDIS_URL=redis_url) as podium:
                base = f"http://127.0.0.1:{podium.port}"
                before = _counts(podium.port)
                sides[server] = _run_targets(base, addresses, clients, seconds, bodies, server, client)
                sides[server] |= _counted(podium.port, before)
                # Answers the client read (and the warm-ups); the server also answered requests still
                # in flight when the client stopped counting.
                sides[server]["requests"] = sum(
                    entry["requests"] + 1 for entry in sides[server].values() if isinstance(entry, dict)
                )
                if server != "granian":
                    continue
                # The shipped configuration in front of this server (granian, the default): as
                # shipped (TLS), then the same with TLS off, to tell the encryption's cost apart.
                for side, tls in (("shipped_nginx", True), ("shipped_nginx_plain", False)):
                    with shipped_nginx(data, podium.port, tls=tls) as shipped:
                        before = _counts(podium.port)
                        sides[side] = _run_targets(
                            shipped["base"], addresses, clients, seconds, bodies, side, client
                        )
                        sides[side] |= _counted(podium.port, before)
                        sides[side]["access_log"] = _upstream_share(shipped["tmp"])
                        if tls:
                            before = _counts(podium.port)
                            logged_in[side] = _logged_in_rows(
                                shipped["base"], addresses["schedule_page"], session, clients, seconds, client
                            )
                            logged_in[side] |= _counted(podium.port, before)
                before = _counts(podium.port)
                logged_in["granian"] = _logged_in_rows(
                    base, addresses["schedule_page"], session, clients, seconds, client
                )
                logged_in["granian"] |= _counted(podium.port, before)
    compared = ("granian", "uvicorn", "shipped_nginx", "shipped_nginx_plain")
    return {
        "client": client,
        "client_detail": (
            f"wrk {available_cores()} threads, keep-alive"
            if client == "wrk"
            else "one Python process (asyncio)"
        ),
        "clients": clients,
        "seconds": seconds,
        "render": rendering,
        "workers": available_cores(),
        "shipped_nginx": "deploy/nginx.conf rendered by deploy/test.py render_nginx: TLS (self-signed, HTTP/1.1"
        " from the client), 2 worker processes, access log on; exports and pages from the release files,"
        " the rest proxied to podium serve (granian); shipped_nginx_plain: the same without TLS (listen"
        " without ssl)",
        "sides": sides,
        "same_bytes": {
            key: all(body == pair["nginx"] for body in pair.values()) for key, pair in bodies.items()
        },
        "same_bytes_compared": "every side's answer decoded (gzip) and compared with nginx alone's decoded answer",
        "ratio_rps_to_nginx": {
            server: {
                key: sides[server][key]["requests_per_s"] / sides["nginx"][key]["requests_per_s"]
                for key in sides["nginx"]
            }
            for server in compared
        },
        # The shipped configuration against nginx alone with the same TLS and the same two workers.
        "ratio_rps_shipped_to_nginx_tls": {
            key: sides["shipped_nginx"][key]["requests_per_s"] / sides["nginx_tls"][key]["requests_per_s"]
            for key in sides["nginx_tls"]
        },
        "logged_in": logged_in,
    }


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


# --- Live connections ------------------------------------------------------------------------------


@dataclass
class Listeners:
    """What the live clients share: how many are open, and when each saw the release named `marker`."""

    total: int
    marker: bytes
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    opened: int = 0
    received: dict[int, float] = field(default_factory=dict)


async def _listen(port: int, path: str, shared: Listeners, index: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(f"{path}: {head.splitlines()[0]!r}")
    seen = b""
    # The stream starts with a ": connected" comment once the subscription is open.
    while b": connected" not in seen:
        seen += await reader.read(4096)
    shared.opened += 1
    if shared.opened == shared.total:
        shared.ready.set()
    # Only the release this benchmark publishes counts (its name is unique).
    while shared.marker not in seen:
        chunk = await reader.read(4096)
        if not chunk:
            raise RuntimeError("live stream closed before the release arrived")
        seen = seen[-256:] + chunk
    shared.received[index] = time.time()
    writer.close()


async def _warm_up(port: int) -> None:
    """A few live connections opened and closed, so the server's one-time costs are not counted per connection."""
    for _ in range(10):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET /{SLUG}/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        seen = b""
        while b": connected" not in seen:
            seen += await reader.read(4096)
        writer.close()
    await asyncio.sleep(1)


async def _live(port: int, connections: int, server_pid: int, env: dict) -> dict:
    await _warm_up(port)
    before = rss_mib(server_pid)
    name = f"bench-{os.getpid()}-{time.time_ns()}"
    shared = Listeners(total=connections, marker=name.encode())
    started = time.perf_counter()
    tasks = []
    for index in range(connections):
        tasks.append(asyncio.create_task(_listen(port, f"/{SLUG}/live", shared, index)))
        if index % 50 == 49:
            await asyncio.sleep(0.05)  # do not overflow the listen backlog
    await asyncio.wait_for(shared.ready.wait(), timeout=120)
    open_seconds = time.perf_counter() - started
    await asyncio.sleep(2)  # let the server settle before reading its memory
    after = rss_mib(server_pid)
    publisher = await asyncio.create_subprocess_exec(
        sys.executable, "-c", PUBLISH_CODE % (SLUG, name), env=env, stdout=asyncio.subprocess.PIPE
    )
    output, _ = await publisher.communicate()
    if publisher.returncode != 0:
        raise RuntimeError("publishing the release failed")
    published = json.loads(output.decode().strip().splitlines()[-1])
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=120)
    last = max(shared.received.values())
    return {
        "connections": connections,
        "seconds_to_open_all": open_seconds,
        "server_rss_before_mib": before,
        "server_rss_after_mib": after,
        "kib_per_connection": (after - before) * 1024 / connections,
        "release_version": published["version"],
        "publish_seconds": published["returned"] - published["started"],
        "all_received_after_publish_started_ms": 1000 * (last - published["started"]),
        "all_received_after_publish_returned_ms": 1000 * (last - published["returned"]),
        "first_received_after_publish_returned_ms": 1000
        * (min(shared.received.values()) - published["returned"]),
    }


@contextlib.contextmanager
def own_redis():
    """A Redis server of this benchmark's own (no persistence), so no one else's messages share its channels."""
    port = free_port()
    redis = subprocess.Popen(  # noqa: S603
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, alive=lambda: redis.poll() is None, pause=0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        redis.terminate()
        redis.wait(timeout=10)


def measure_live(env: dict, connections: int) -> dict:
    with own_redis() as redis_url:
        live_env = env | {"PODIUM_REDIS_URL": redis_url}
        with Server(live_env) as server:
            return asyncio.run(_live(server.port, connections, server.process.pid, live_env))


# --- Report ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--live", type=int, default=1000, help="open live connections (0: skip)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--only", choices=["files", "fastpath"], help="run one step alone (keeps the others' results)"
    )
    parser.add_argument(
        "--client",
        choices=["wrk", "python"],
        default="wrk" if Path(WRK).exists() else "python",
        help="step 5's load generator (default: wrk when /usr/bin/wrk exists)",
    )
    args = parser.parse_args()
    limits = raise_open_files(2 * args.live + 256)

    data_dir = tempfile.mkdtemp(prefix="podium-bench-serving-")
    env = environment(data_dir)
    try:
        prepare(env)
        imported = run([PODIUM, "import", str(FOSDEM), "--event", SLUG, "--organiser", "bench"], env)
        facts = json.loads(
            run([sys.executable, "-c", FACTS_CODE % SLUG], env)["output"].strip().splitlines()[-1]
        )
        paths = targets(facts)
        if args.only == "files":
            files = measure_files(env, facts, args.clients, args.seconds)
        elif args.only == "fastpath":
            fast = measure_fastpath(env, facts, args.clients, args.seconds, args.client)
        else:
            cached = measure_pages(env, paths, args.clients, args.seconds, PODIUM_RELEASE_FILES="off")
            uncached = measure_pages(
                env, paths, args.clients, args.seconds, PODIUM_PAGE_CACHE="off", PODIUM_RELEASE_FILES="off"
            )
            live = measure_live(env, args.live) if args.live else None
            files = measure_files(env, facts, args.clients, args.seconds)
            fast = measure_fastpath(env, facts, args.clients, args.seconds, args.client)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)

    if args.only:
        report = json.loads(args.output.read_text()) if args.output.exists() else {}
        if args.only == "files":
            report["files"] = files
            print_files(files)
        else:
            report["fastpath"] = fast
            print_fastpath(fast)
        report[f"{args.only}_measured_at"] = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        args.output.write_text(json.dumps(report, indent=2) + "\n")
        print(f"\nResults written to {args.output}")
        return 0

    report = {
        "benchmark": "serving",
        "measured_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": "postgresql" if env.get("PODIUM_DATABASE_URL") else "sqlite",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "open_files_limit": limits,
        "event": facts
        | {"file": str(FOSDEM.relative_to(ROOT.parent)), "import_seconds": imported["seconds"]},
        "clients": args.clients,
        "seconds": args.seconds,
        "cached": cached,
        "uncached": uncached,
        "ratio_rps_cached_to_uncached": {
            name: cached[name]["requests_per_s"] / uncached[name]["requests_per_s"]
            for name in paths
            if name != "healthz"
        },
        "live": live,
        "files": files,
        "fastpath": fast,
    }
    print_report(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nResults written to {args.output}")
    return 0


def print_files(files: dict) -> None:
    render = files["render"]
    print(
        f"\nRelease files: {render['files']} files written {render['files_written_after_return_s']:.2f} s after"
        f" publish returned ({render['publish_seconds']:.2f} s; {render.get('cpu_s_after_return', 0):.2f} s of CPU,"
        f" load {render.get('load_average', [0])[0]:.1f}); {render['disk_bytes'] / 2**20:.1f} MiB on disk"
        f" ({render['raw_bytes'] / 2**20:.1f} raw, {render['gz_bytes'] / 2**20:.1f} gz, {render['br_bytes'] / 2**20:.1f} br)"
    )
    print(
        f"  {'target (gzip)':<15} {'files req/s':>11} {'p99':>8}   {'django req/s':>12} {'p99':>8}  ratio  same bytes"
    )
    for name, ratio in files["ratio_rps_files_to_django"].items():
        on, off = files["files"][name], files["django"][name]
        print(
            f"  {name:<15} {on['requests_per_s']:11.0f} {on['p99_ms']:6.1f}ms   {off['requests_per_s']:12.0f}"
            f" {off['p99_ms']:6.1f}ms  x{ratio:.1f}  {files['same_bytes'][name]}"
        )


def print_fastpath(fast: dict) -> None:
    sides = fast["sides"]
    ratios = fast["ratio_rps_to_nginx"]
    print(
        f"\nThe fast path against nginx (1 worker); podium serve with {fast['workers']} workers;"
        f" client: {fast.get('client_detail', 'Python')}"
    )
    print(
        f"  {'target':<20} {'nginx req/s':>11} {'p99':>7}   {'granian req/s':>13} {'p99':>7} {'ratio':>5}"
        f"   {'shipped req/s':>13} {'p99':>7} {'ratio':>5}   {'no TLS req/s':>13} {'p99':>7} {'ratio':>5}"
        f"   {'uvicorn req/s':>13} {'p99':>7} {'ratio':>5}"
        "  load  same"
    )
    for key, nginx in sides["nginx"].items():
        tls = sides["nginx_tls"][key]
        print(
            f"  {key:<20} nginx alone with TLS (2 workers) {tls['requests_per_s']:.0f} req/s"
            f" p99 {tls['p99_ms']:.1f}ms; shipped / nginx with TLS"
            f" {fast['ratio_rps_shipped_to_nginx_tls'][key]:.0%}"
        )
        row = f"  {key:<20} {nginx['requests_per_s']:11.0f} {nginx['p99_ms']:5.1f}ms"
        for side in ("granian", "shipped_nginx", "shipped_nginx_plain", "uvicorn"):
            entry = sides[side][key]
            row += f"   {entry['requests_per_s']:13.0f} {entry['p99_ms']:5.1f}ms {ratios[side][key]:5.0%}"
        print(row + f"  {nginx['load_average_1min']:4.1f}  {fast['same_bytes'][key]}")
    for server in ("granian", "uvicorn"):
        print(
            f"  {server}: the client read {sides[server]['requests']} answers; the fast path gave"
            f" {sides[server]['fastpath_answers']:.0f}, Django {sides[server]['django_answers']:.0f}"
        )
    for side in ("shipped_nginx", "shipped_nginx_plain"):
        log = sides[side]["access_log"]
        print(
            f"  {side}: {log['from_disk']} of {log['logged']} answers from disk, {log['proxied']} proxied"
            f" (behind it: fast path {sides[side]['fastpath_answers']:.0f}, Django {sides[side]['django_answers']:.0f})"
        )
    for side, rows in fast.get("logged_in", {}).items():
        print(
            f"  schedule page (gzip) via {side}: anonymous {rows['anonymous']['requests_per_s']:.0f} req/s"
            f" (p99 {rows['anonymous']['p99_ms']:.1f} ms), logged in {rows['logged_in']['requests_per_s']:.0f}"
            f" req/s (p99 {rows['logged_in']['p99_ms']:.1f} ms): {rows['ratio_rps_logged_in_to_anonymous']:.1%};"
            f" Django answered {rows['django_answers']:.0f}"
        )


def print_report(report: dict) -> None:
    event = report["event"]
    print(f"Podium serving benchmark: {report['database']}, Python {report['python']}, {report['cpus']} CPUs")
    print(
        f"{event['sessions']} sessions, {event['rooms']} rooms, {event['days']} days (import {event['import_seconds']:.1f} s)"
    )
    print(f"\n{report['clients']} keep-alive clients, {report['seconds']:.0f} s per target")
    print(
        f"  {'target':<15} {'cached req/s':>12} {'p50':>8} {'p99':>8}   {'uncached req/s':>14} {'p50':>8} {'p99':>8}  ratio"
    )
    for name in report["cached"]:
        if name == "server_rss_mib":
            continue
        on, off = report["cached"][name], report["uncached"][name]
        ratio = on["requests_per_s"] / off["requests_per_s"]
        print(
            f"  {name:<15} {on['requests_per_s']:12.0f} {on['p50_ms']:6.1f}ms {on['p99_ms']:6.1f}ms"
            f"   {off['requests_per_s']:14.0f} {off['p50_ms']:6.1f}ms {off['p99_ms']:6.1f}ms  x{ratio:.1f}"
        )
    if report.get("files"):
        print_files(report["files"])
    if report.get("fastpath"):
        print_fastpath(report["fastpath"])
    live = report["live"]
    if live:
        print(f"\n{live['connections']} live connections (opened in {live['seconds_to_open_all']:.1f} s)")
        print(
            f"  server RSS {live['server_rss_before_mib']:.0f} -> {live['server_rss_after_mib']:.0f} MiB:"
            f" {live['kib_per_connection']:.1f} KiB per connection"
        )
        print(
            f"  release v{live['release_version']}: publish took {1000 * live['publish_seconds']:.0f} ms; every connection"
            f" had it {live['all_received_after_publish_started_ms']:.0f} ms after publishing started"
            f" ({live['all_received_after_publish_returned_ms']:.0f} ms after it returned)"
        )


if __name__ == "__main__":
    sys.exit(main())
