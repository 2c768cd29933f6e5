"""`make deploy-test`: the shipped deployment (deploy/), started for real on this machine and checked.

    make deploy-test
    .venv/bin/python deploy/test.py [--keep]   # --keep: leave the temporary directory for a look

What runs, all on 127.0.0.1 and torn down at the end (also on failure):
- PostgreSQL (already running; PODIUM_DEPLOY_DATABASE_URL, default
  postgres://postgres@127.0.0.1:5432/podium_deploy: that database is dropped and made again) and Redis
  (PODIUM_DEPLOY_REDIS_URL, default redis://127.0.0.1:6379/13: that database number is emptied);
- the demo conference (`podium demo --no-serve`) in a temporary data directory;
- two `podium serve` processes on two ports, a Celery worker (`celery -A podium worker`);
- nginx (installed from Debian's packages when missing) with deploy/nginx.conf and its snippets,
  rendered with loopback ports, the temporary paths and a self-signed certificate: TLS as in production
  (PODIUM_BASE_URL https, PODIUM_TRUST_X_FORWARDED_PROTO, PODIUM_TRUSTED_PROXIES=127.0.0.1).

Checks (each prints ok or FAIL; the exit status is 1 on any failure):
1. plain http redirects to https; /healthz answers through nginx, and /healthz and /readyz answer a
   probe sent straight to each server by its own address over plain http (a page is sent to https);
2. two live streams held through nginx (one on each server, read from nginx's log) both receive a
   release published through one server's API;
3. the worker writes the release's files; the exports then come from those files: the bytes on disk
   (raw and .gz), Podium's headers, and no request reaches Podium (nginx's log shows no upstream and
   Podium's request counters for the export routes do not move);
4. the schedule page (page cache) shows the new release through both servers;
5. log-in through nginx (CSRF behind the proxy) and the schedule editor page;
6. pages: while the demo's tutorials need seats, the lists come from nginx and the schedule and talk
   pages reach Podium; with no seats (the files written again) every page comes from nginx, to an
   anonymous and a logged-in visitor, with the bytes on disk (raw and .gz) and Podium's headers, and
   Podium's counters (Django's page routes, the fast path's answers) do not move; a logged-in visitor's
   talk page, a visitor with a message waiting (once), one asking for German and a list with a query
   string reach Podium; seats again send the schedule and talk pages back to Podium at once;
7. without the `latest` link (an event no longer public, erased data) nginx passes exports and pages on
   to Podium; a versioned export (/<event>/releases/<n>/<name>) comes from Podium.
"""

import argparse
import contextlib
import gzip
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
PODIUM = str(BIN / "podium")
CELERY = str(BIN / "celery")
EVENT = "pycon-demo"
ADMIN, PASSWORD = "admin@podium.example", "podium-demo"
METRICS_TOKEN = secrets.token_urlsafe(16)
SNIPPETS = ("podium-headers.conf", "podium-export.conf", "podium-page.conf", "podium-proxy.conf")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")

SETUP_CODE = """
import json, django
django.setup()
from podium.accounts.models import User
from podium.accounts.tokens import create_api_token
from podium.events.models import Event
from podium.schedule.queries import latest_release
event = Event.objects.get(slug=%(event)r)
admin = User.objects.get(email=%(admin)r)
if hasattr(event, "publish_unconfirmed"):  # the demo's program holds accepted, unconfirmed sessions
    Event.objects.filter(pk=event.pk).update(publish_unconfirmed=True)
_token, secret = create_api_token(user=admin, organiser=event.organiser, name="deploy-test", events=[event], scope="write")
release = latest_release(event)
talk = release.sessions.filter(kind="session").order_by("start", "id").first()
print(json.dumps({"token": secret, "version": release.version, "room": release.rooms[0]["uuid"],
                  "talk": talk.code, "speaker": talk.speakers[0]["code"]}))
"""

# The demo's tutorials need a seat: while they do, the schedule and talk pages show seats left.
SEATS_CODE = """
import django
django.setup()
from podium.events.models import SessionType
for session_type in SessionType.objects.filter(event__slug=%(event)r, name="Tutorial"):
    session_type.requires_seat = %(seated)r
    session_type.save(update_fields=["requires_seat"])
"""

failures: list[str] = []


def check(ok: bool, what: str, detail: str = "") -> bool:
    print(f"  {'ok  ' if ok else 'FAIL'} {what}" + (f": {detail}" if detail and not ok else ""), flush=True)
    if not ok:
        failures.append(what)
    return ok


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, name: str, seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if process.poll() is not None:
                raise SystemExit(
                    f"{name} stopped at start-up (exit {process.returncode}); see its log"
                ) from None
            time.sleep(0.2)
    raise SystemExit(f"{name}: nothing listens on port {port} after {seconds:.0f} s")


# --- Machine set-up ----------------------------------------------------------------------------------


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found:
        return found
    print("== installing nginx from Debian's packages", flush=True)
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)  # noqa: S607
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], check=True, env=env)  # noqa: S607
    # The package starts its default site on port 80; this test needs nothing from it.
    subprocess.run(["service", "nginx", "stop"], check=False, capture_output=True)  # noqa: S607
    return shutil.which("nginx") or "/usr/sbin/nginx"


def fresh_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"database name {name!r}: letters, digits and _ only")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


def render_nginx(tmp: Path, data: Path, *, http_port: int, tls_port: int, upstreams: list[int]) -> Path:
    """The shipped site file and snippets with this machine's ports and paths; returns nginx's main file."""
    snippets = tmp / "snippets"
    snippets.mkdir()
    for name in SNIPPETS:
        shutil.copy(DEPLOY / name, snippets / name)
    if BROTLI_MODULE.exists():
        shutil.copy(DEPLOY / "podium-brotli.conf", snippets / "podium-brotli.conf")
    cert, key = certificate(tmp)
    (tmp / "www").mkdir()
    site = (DEPLOY / "nginx.conf").read_text()
    servers = "".join(f"server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n    " for port in upstreams)
    replacements = [
        ("server 127.0.0.1:8000 max_fails=3 fail_timeout=10s;\n    ", servers),
        ("/etc/letsencrypt/live/program.example.org/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/program.example.org/privkey.pem", str(key)),
        ("program.example.org", "127.0.0.1"),
        ("/var/lib/podium", str(data)),
        ("/etc/nginx/snippets/", f"{snippets}/"),
        ("/var/log/nginx/podium.access.log", str(tmp / "access.log")),
        ("/var/log/nginx/podium.error.log", str(tmp / "error.log")),
        ("/var/www/html", str(tmp / "www")),
        ("    listen [::]:80;\n", ""),
        ("    listen [::]:443 ssl http2;\n", ""),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{tls_port} ssl http2;"),
    ]
    for old, new in replacements:
        if old not in site:
            raise SystemExit(f"deploy/nginx.conf no longer contains {old!r}: update deploy/test.py")
        site = site.replace(old, new)
    (tmp / "site.conf").write_text(site)
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / folder).mkdir()
    main = tmp / "nginx.conf"
    main.write_text(f"""
# As Debian's /etc/nginx/nginx.conf, reduced to what the site needs, with the line docs/operations.md
# adds to it: the site's locations and maps are regular expressions, compiled by PCRE's JIT.
pcre_jit on;
include /etc/nginx/modules-enabled/*.conf;
worker_processes 2;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    access_log off;
    include {tmp}/site.conf;
}}
""")
    return main


# --- Processes ---------------------------------------------------------------------------------------


class Processes:
    """Every process started here, each in its own process group, stopped in reverse order."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append((name, process))
        return process

    def stop_all(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for _name, process in reversed(self.started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)


# --- HTTP --------------------------------------------------------------------------------------------


class Client:
    """HTTPS to nginx (verifying the test certificate), keeping cookies like a browser."""

    def __init__(self, port: int, cert: Path):
        self.port = port
        self.context = ssl.create_default_context(cafile=str(cert))
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, *, headers: dict | None = None, body: bytes | None = None):
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=60)
        sent = dict(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.partition(";")[0]
                if "max-age=0" in rest.lower().replace(" ", ""):  # deleted, as a browser does
                    del self.cookies[name.strip()]
        connection.close()
        return response, content


def backend(port: int, method: str, path: str, *, headers: dict | None = None, body: bytes | None = None):
    """A request straight to one `podium serve` (as if nginx sent it over https)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})})
    response = connection.getresponse()
    content = response.read()
    connection.close()
    return response, content


class Stream(threading.Thread):
    """A live (SSE) stream held open through nginx; collects the release versions it is sent."""

    def __init__(self, client: Client, path: str):
        super().__init__(daemon=True)
        self.client, self.path = client, path
        self.connected = threading.Event()
        self.versions: list[int] = []
        self.received = threading.Condition()
        self.connection = None
        self.error = ""
        self.closed = False

    def run(self) -> None:
        try:
            self.connection = http.client.HTTPSConnection(
                "127.0.0.1", self.client.port, context=self.client.context, timeout=120
            )
            self.connection.request("GET", self.path, headers={"Accept": "text/event-stream"})
            response = self.connection.getresponse()
            if response.status != 200:
                self.error = f"status {response.status}"
                self.connected.set()
                return
            while True:
                line = response.readline()
                if not line:
                    return
                if line.startswith(b": connected"):
                    self.connected.set()
                if line.startswith(b"id: "):
                    with self.received:
                        self.versions.append(int(line[4:]))
                        self.received.notify_all()
        except Exception as exc:
            if not self.closed:
                self.error = self.error or repr(exc)
        finally:
            self.connected.set()

    def wait_for(self, version: int, seconds: float) -> bool:
        with self.received:
            return self.received.wait_for(lambda: version in self.versions, timeout=seconds)

    def close(self) -> None:
        self.closed = True
        if self.connection is not None and self.connection.sock is not None:
            with contextlib.suppress(OSError):
                self.connection.sock.shutdown(socket.SHUT_RDWR)
            self.connection.close()


def request_counts(client: Client, routes: set[str]) -> float:
    """Podium's count of requests answered for `routes` (all processes, from /metrics through nginx)."""
    from prometheus_client.parser import text_string_to_metric_families

    response, content = client.request(
        "GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    if response.status != 200:
        raise SystemExit(f"/metrics answered {response.status}")
    total = 0.0
    for family in text_string_to_metric_families(content.decode()):
        for sample in family.samples:
            if (
                sample.name == "podium_http_request_duration_seconds_count"
                and sample.labels.get("route") in routes
            ):
                total += sample.value
    return total


def fastpath_counts(client: Client) -> float:
    """Podium's count of answers its fast path gave from the files (all processes)."""
    from prometheus_client.parser import text_string_to_metric_families

    response, content = client.request(
        "GET", "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}
    )
    if response.status != 200:
        raise SystemExit(f"/metrics answered {response.status}")
    return sum(
        sample.value
        for family in text_string_to_metric_families(content.decode())
        for sample in family.samples
        if sample.name == "podium_fastpath_responses_total"
    )


#: deploy/nginx.conf buffers its access log for up to a second (flush=1s).
ACCESS_LOG_FLUSH = 1.2


def access_log(tmp: Path) -> list[str]:
    """nginx's access log as it is once every line buffered so far has been written."""
    time.sleep(ACCESS_LOG_FLUSH)
    path = tmp / "access.log"
    return path.read_text().splitlines() if path.exists() else []


def upstream_of(lines: list[str], path: str) -> list[str]:
    """The upstream= field of nginx's log lines for GET `path` ("-": answered by nginx itself)."""
    found = []
    for line in lines:
        if f'"GET {path} HTTP/' in line:
            match = re.search(r" upstream=(\S+)", line)
            found.append(match.group(1) if match else "?")
    return found


# --- The checks --------------------------------------------------------------------------------------


def run_checks(tmp: Path, data: Path, ports: dict, facts: dict, cert: Path, env: dict) -> None:
    client = Client(ports["tls"], cert)
    a, b = ports["servers"]

    print("== TLS and the proxy", flush=True)
    plain = http.client.HTTPConnection("127.0.0.1", ports["http"], timeout=10)
    plain.request("GET", f"/{EVENT}/schedule/")
    redirect = plain.getresponse()
    check(
        redirect.status == 301 and (redirect.getheader("Location") or "").startswith("https://"),
        "plain http is redirected to https",
        f"{redirect.status} {redirect.getheader('Location')}",
    )
    response, content = client.request("GET", "/healthz")
    check(response.status == 200 and b"ok" in content, "/healthz through nginx", f"{response.status}")
    for port in (a, b):  # a load balancer's probe: the server's own address, plain http
        probes = {}
        for path in ("/healthz", "/readyz", f"/{EVENT}/schedule/"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)
            probes[path] = connection.getresponse().status
            connection.close()
        page = probes.pop(f"/{EVENT}/schedule/")
        check(
            probes == {"/healthz": 200, "/readyz": 200} and page in (301, 400),
            f"a probe of server :{port} by its own address over http: /healthz and /readyz answer, "
            "a page does not (sent to https or refused)",
            f"{probes}, the page {page}",
        )
    response, _ = client.request("GET", f"/{EVENT}/schedule/")
    check(response.status == 200, "the schedule page through nginx", f"{response.status}")
    before_page = client.request("GET", f"/{EVENT}/schedule/")[1]

    print("== A release published through one server reaches live streams on both", flush=True)
    streams = [Stream(client, f"/{EVENT}/live") for _ in range(2)]
    for stream in streams:
        stream.start()
        stream.connected.wait(30)
    check(
        all(not s.error and s.connected.is_set() for s in streams),
        "two live streams open through nginx",
        "; ".join(s.error for s in streams),
    )
    name = f"deploy-check-{secrets.token_hex(3)}"
    response, content = backend(
        a,
        "POST",
        f"/api/v1/orga/events/{EVENT}/releases",
        headers={"Authorization": f"Bearer {facts['token']}", "Content-Type": "application/json"},
        body=json.dumps({"name": name, "force": True}).encode(),
    )
    published = json.loads(content) if response.status == 201 else {}
    version = published.get("version", facts["version"] + 1)
    check(
        response.status == 201,
        f"release {version} published through the server on port {a}",
        f"{response.status} {content[:200]!r}",
    )
    started = time.monotonic()
    got = [stream.wait_for(version, 20) for stream in streams]
    check(all(got), "both live streams received it", f"versions seen: {[s.versions for s in streams]}")
    print(f"       (in {time.monotonic() - started:.2f} s)", flush=True)
    for stream in streams:
        stream.close()
    for stream in streams:
        stream.join(10)

    print("== The worker writes the release's files", flush=True)
    latest = data / "releases" / EVENT / "latest"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if latest.is_symlink() and os.readlink(latest).startswith(f"{version}-"):
            break
        time.sleep(0.2)
    if not check(
        latest.is_symlink() and os.readlink(latest).startswith(f"{version}-"),
        f"latest points at release {version}'s files",
        os.readlink(latest) if latest.is_symlink() else "no link",
    ):
        return
    folder = latest.resolve()
    manifest = json.loads((folder / "manifest.json").read_text())

    # The streams' log lines are written when they end: one went to each server.
    live = upstream_of(access_log(tmp), f"/{EVENT}/live")
    check(
        {f"127.0.0.1:{a}", f"127.0.0.1:{b}"} <= set(live),
        "the two streams were held by different servers",
        f"{live}",
    )

    print("== Exports come from the files, not from Podium", flush=True)
    exports = {
        f"/{EVENT}/schedule/export/schedule.xml": "schedule.xml",
        f"/{EVENT}/schedule/export/schedule.json": "schedule.json",
        f"/{EVENT}/schedule/export/schedule.ics": "schedule.ics",
        f"/{EVENT}/schedule/export/room/{facts['room']}.ics": f"room/{facts['room']}.ics",
        f"/{EVENT}/schedule/export/speaker/{facts['speaker']}.ics": f"speaker/{facts['speaker']}.ics",
        f"/{EVENT}/talk/{facts['talk']}.ics": f"talk/{facts['talk']}.ics",
        f"/{EVENT}/widget/widget.js": "widget/widget.js",
        f"/{EVENT}/widget/schedule.json": "widget/schedule.json",
    }
    routes = {
        "site:export_xml",
        "site:export_json",
        "site:export_ics",
        "site:export_room_ics",
        "site:export_speaker_ics",
        "site:export_talk_ics",
        "site:widget_script",
        "site:widget_data",
    }
    health_before = request_counts(client, {"healthz"})
    client.request("GET", "/healthz")
    check(
        request_counts(client, {"healthz"}) == health_before + 1,
        "Podium counts the requests it answers (/healthz through nginx: one more)",
    )
    counted_before = request_counts(client, routes)
    lines_before = len(access_log(tmp))
    requests_sent = 0
    for path, name_in_dir in exports.items():
        raw = (folder / name_in_dir).read_bytes()
        entry = manifest["files"][name_in_dir]
        response, content = client.request("GET", path)
        requests_sent += 1
        headers = {k.lower(): v for k, v in response.getheaders()}
        problems = []
        if response.status != 200 or content != raw:
            problems.append(f"status {response.status}, {len(content)} bytes, file {len(raw)}")
        if headers.get("content-type") != entry["type"]:
            problems.append(f"Content-Type {headers.get('content-type')!r}, Podium's {entry['type']!r}")
        for header, wanted in (
            ("cache-control", "public, max-age=60, stale-while-revalidate=600"),
            ("access-control-allow-origin", "*"),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "same-origin"),
        ):
            if headers.get(header) != wanted:
                problems.append(f"{header}: {headers.get(header)!r}")
        if not headers.get("etag"):
            problems.append("no ETag")
        check(not problems, f"GET {path}", "; ".join(problems))
        gz_path = folder / (name_in_dir + ".gz")
        response, content = client.request("GET", path, headers={"Accept-Encoding": "gzip"})
        requests_sent += 1
        encoding = response.getheader("Content-Encoding")
        if gz_path.exists():
            check(
                response.status == 200
                and encoding == "gzip"
                and content == gz_path.read_bytes()
                and gzip.decompress(content) == raw
                and "Accept-Encoding" in (response.getheader("Vary") or ""),
                f"GET {path} (gzip: the .gz file)",
                f"{response.status} {encoding}",
            )
        else:
            check(response.status == 200 and content == raw, f"GET {path} (gzip asked, no .gz stored)")
        etag = response.getheader("ETag")
        response, content = client.request(
            "GET", path, headers={"Accept-Encoding": "gzip", "If-None-Match": etag}
        )
        requests_sent += 1
        check(
            response.status == 304 and not content,
            f"GET {path} again with its ETag: 304",
            f"{response.status}",
        )
    lines = access_log(tmp)[lines_before:]
    export_lines = [line for line in lines if any(f'"GET {path} HTTP/' in line for path in exports)]
    upstreams = sorted({re.search(r" upstream=(\S+)", line).group(1) for line in export_lines})
    check(
        len(export_lines) == requests_sent and upstreams == ["-"],
        f"nginx answered all {requests_sent} export requests itself",
        f"{len(export_lines)} logged, upstreams {upstreams}",
    )
    counted_after = request_counts(client, routes)
    check(
        counted_after == counted_before,
        "Podium's request counters for the export and widget routes did not move",
        f"{counted_before} before, {counted_after} after",
    )

    check_widget_page(tmp, client, folder, ports["servers"][0])

    print("== The page cache follows the new release", flush=True)
    check(name.encode() not in before_page, "the schedule page did not show the release before")
    shown = []
    for _ in range(2):  # round-robin: once through each server
        response, content = client.request("GET", f"/{EVENT}/schedule/")
        shown.append(response.status == 200 and name.encode() in content)
    check(all(shown), f"the schedule page shows release {name} through both servers", f"{shown}")

    print("== Log-in and the editor through nginx", flush=True)
    visitor = Client(ports["tls"], cert)
    response, content = visitor.request("GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
    check(
        response.status == 200 and token is not None and "csrftoken" in visitor.cookies,
        "the log-in page and its CSRF cookie",
        f"{response.status}",
    )
    if token is not None:
        form = f"csrfmiddlewaretoken={token.group(1).decode()}&username={ADMIN}&password={PASSWORD}"
        response, content = visitor.request(
            "POST",
            "/accounts/login/",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": visitor.origin,
                "Referer": f"{visitor.origin}/accounts/login/",
            },
            body=form.encode(),
        )
        check(
            response.status == 302 and "sessionid" in visitor.cookies,
            "log-in accepted (CSRF checked over https)",
            f"{response.status} {content[:300]!r}",
        )
        for attempt in range(2):  # once through each server: the session is in the shared database
            response, content = visitor.request("GET", f"/orga/event/{EVENT}/schedule/")
            check(
                response.status == 200 and b"csrfmiddlewaretoken" in content,
                f"the schedule editor page ({attempt + 1})",
                f"{response.status}",
            )

    check_pages(tmp, data, ports, facts, cert, visitor, env)
    folder = latest.resolve()  # written again there (without seats, then with)

    print("== Falling back to Podium", flush=True)
    response, content = client.request("GET", f"/{EVENT}/releases/{version}/schedule.xml")
    check(
        response.status == 200
        and content == (folder / "schedule.xml").read_bytes()
        and "immutable" in (response.getheader("Cache-Control") or ""),
        "a versioned export through Podium",
        f"{response.status}",
    )
    target = os.readlink(latest)
    latest.unlink()  # as Podium does when the event stops being public or the files are no longer valid
    for path, what in (
        (
            f"/{EVENT}/schedule/export/schedule.json",
            "without the latest link nginx passes the export on to Podium",
        ),
        (f"/{EVENT}/talks/", "and a page too (served links to latest/pages, which is gone)"),
    ):
        lines_before = len(access_log(tmp))
        response, content = client.request("GET", path)
        passed_on = upstream_of(access_log(tmp)[lines_before:], path)
        check(
            response.status == 200 and passed_on and passed_on[0] != "-",
            what,
            f"{response.status} {passed_on}",
        )
    if not latest.is_symlink():
        os.symlink(target, latest)


#: The headers nginx must send as Podium does for a file it serves in Podium's place.
SAME_HEADERS = (
    "content-type",
    "cache-control",
    "content-security-policy",
    "x-frame-options",
    "x-content-type-options",
    "referrer-policy",
)


def differences(
    response, content: bytes, raw: bytes, headers: dict, podium_headers: dict, *more: str
) -> list:
    """What differs between nginx's answer (`response`, `content`, `headers`) and the file `raw` with
    Podium's headers for it (SAME_HEADERS and `more`)."""
    problems = (
        [] if response.status == 200 and content == raw else [f"{response.status}, {len(content)} bytes"]
    )
    for header in (*SAME_HEADERS, *more):
        if headers.get(header) != podium_headers.get(header):
            problems.append(f"{header}: {headers.get(header)!r}, Podium's {podium_headers.get(header)!r}")
    return problems


def check_widget_page(tmp: Path, client: "Client", folder: Path, server: int) -> None:
    """The widget's page (the one page other sites may frame) from its file, with Podium's headers for
    it: the frameable Content-Security-Policy and no X-Frame-Options."""
    path = f"/{EVENT}/widget/"
    raw = (folder / "pages/widget/schedule.html").read_bytes()
    # Podium's own answer first, straight to one server; then its counter must not move.
    podium_headers = backend_headers(server, path)[1]
    counted_before = request_counts(client, {"site:widget"})
    lines_before = len(access_log(tmp))
    response, content = client.request("GET", path)
    headers = {k.lower(): v for k, v in response.getheaders()}
    problems = differences(response, content, raw, headers, podium_headers, "access-control-allow-origin")
    if "frame-ancestors *" not in headers.get("content-security-policy", ""):
        problems.append("other sites may not frame it")
    check(not problems, f"GET {path}: the widget's file, Podium's headers (frameable)", "; ".join(problems))
    response, content = client.request("GET", path, headers={"Accept-Encoding": "gzip"})
    check(
        response.status == 200 and content == (folder / "pages/widget/schedule.html.gz").read_bytes(),
        f"GET {path} (gzip: the .gz file)",
        f"{response.status} {response.getheader('Content-Encoding')}",
    )
    found = upstream_of(access_log(tmp)[lines_before:], path)
    counted_after = request_counts(client, {"site:widget"})
    check(
        found == ["-", "-"] and counted_after == counted_before,
        "nginx answered the widget's page itself (Podium's counter did not move)",
        f"{found}, {counted_before} before, {counted_after} after",
    )


def check_pages(
    tmp: Path, data: Path, ports: dict, facts: dict, cert: Path, visitor: Client, env: dict
) -> None:
    """Pages from the files through nginx, and the requests that must reach Podium still do."""
    client = Client(ports["tls"], cert)
    a = ports["servers"][0]
    base = data / "releases" / EVENT
    routes = {"site:schedule", "site:talks", "site:speakers", "site:speaker", "site:talk"}

    def files() -> tuple[Path, dict]:
        folder = (base / "latest").resolve()
        return folder, json.loads((folder / "manifest.json").read_text())

    folder, manifest = files()
    day = min(name.split("/")[2] for name in manifest["files"] if name.startswith("pages/schedule/"))
    lists = {
        f"/{EVENT}/talks/": "pages/talks.html",
        f"/{EVENT}/speakers/": "pages/speakers.html",
        f"/{EVENT}/speaker/{facts['speaker']}/": f"pages/speaker/{facts['speaker']}.html",
    }
    seated = {
        f"/{EVENT}/schedule/?day={day}": f"pages/schedule/{day}/grid.html",
        f"/{EVENT}/schedule/?day={day}&view=list": f"pages/schedule/{day}/list.html",
        f"/{EVENT}/schedule/?day={day}&room={facts['room']}": f"pages/room/{facts['room']}/{day}.html",
        f"/{EVENT}/talk/{facts['talk']}/": f"pages/talk/{facts['talk']}.html",
    }

    def upstreams(who: Client, paths, headers: dict | None = None) -> dict[str, str]:
        before = len(access_log(tmp))
        for path in paths:
            who.request("GET", path, headers=headers)
        lines = access_log(tmp)[before:]
        return {path: ",".join(upstream_of(lines, path)) or "?" for path in paths}

    def podium(found: dict[str, str]) -> bool:
        return all(upstream not in ("-", "?") for upstream in found.values())

    def seats(on: bool) -> None:
        code = SEATS_CODE % {"event": EVENT, "seated": on}
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)  # noqa: S603

    print(
        "== Pages of an event with seats: the lists from the files, schedule and talks from Podium",
        flush=True,
    )
    found = upstreams(client, lists)
    check(
        set(found.values()) == {"-"},
        "the talk and speaker lists and a speaker's page came from nginx",
        f"{found}",
    )
    found = upstreams(client, [*seated, f"/{EVENT}/schedule/"])
    check(podium(found), "the schedule and a talk page (seats left) reached Podium", f"{found}")

    print("== Without seats: every page from the files, to anonymous and logged-in visitors", flush=True)
    seats(False)
    subprocess.run([PODIUM, "render", EVENT], env=env, check=True, capture_output=True)  # noqa: S603
    folder, manifest = files()
    check((base / "served-static").is_symlink(), "served-static names the pages (no seats, written again)")
    pages = lists | seated
    # Podium's own answers first (straight to one server): they count.
    podium_answers = {path: backend_headers(a, path)[1] for path in pages}
    _, default_day = backend(a, "GET", f"/{EVENT}/schedule/")
    routes_before, fast_before = request_counts(client, routes), fastpath_counts(client)
    lines_before = len(access_log(tmp))
    sent = 0
    for path, name in pages.items():
        raw = (folder / name).read_bytes()
        response, content = client.request("GET", path)
        sent += 1
        headers = {k.lower(): v for k, v in response.getheaders()}
        problems = differences(response, content, raw, headers, podium_answers[path], "permissions-policy")
        if "cookie" not in headers.get("vary", "").lower():
            problems.append(f"Vary: {headers.get('vary')!r}")
        check(not problems, f"GET {path}: the file, Podium's headers", "; ".join(problems))
        response, content = client.request("GET", path, headers={"Accept-Encoding": "gzip"})
        sent += 1
        check(
            response.status == 200 and content == (folder / f"{name}.gz").read_bytes(),
            f"GET {path} (gzip: the .gz file)",
            f"{response.status} {response.getheader('Content-Encoding')}",
        )
    response, content = client.request("GET", f"/{EVENT}/schedule/")
    sent += 1
    check(
        response.status == 200 and content == default_day,
        "GET the schedule: the default day's file, as Podium's",
    )
    if "sessionid" in visitor.cookies:
        for path, name in [*lists.items(), *list(seated.items())[:3]]:
            response, content = visitor.request("GET", path, headers={"Accept-Encoding": "gzip"})
            sent += 1
            check(
                response.status == 200 and gzip.decompress(content) == (folder / name).read_bytes(),
                f"GET {path} logged in: the same file",
                f"{response.status}",
            )
    else:
        check(False, "a logged-in visitor for the pages (the log-in above failed)")
    lines = [line for line in access_log(tmp)[lines_before:] if "/metrics" not in line]
    upstream_set = sorted({re.search(r" upstream=(\S+)", line).group(1) for line in lines})
    check(
        len(lines) == sent and upstream_set == ["-"],
        f"nginx answered all {sent} page requests itself",
        f"{len(lines)} logged, upstreams {upstream_set}",
    )
    check(
        (request_counts(client, routes), fastpath_counts(client)) == (routes_before, fast_before),
        "Podium's counters (Django's page routes, its fast path) did not move",
    )
    if "sessionid" in visitor.cookies:
        talk = f"/{EVENT}/talk/{facts['talk']}/"
        found = upstreams(visitor, [talk])
        response, content = visitor.request("GET", talk)
        check(
            podium(found) and response.status == 200 and b'name="text"' in content,
            "a logged-in visitor's talk page (their note's form) reached Podium",
            f"{found} {response.status}",
        )
        check_message(tmp, visitor, lists, facts)
    found = upstreams(client, [f"/{EVENT}/talks/"], headers={"Accept-Language": "de"})
    check(podium(found), "a visitor asking for German reached Podium", f"{found}")
    found = upstreams(client, [f"/{EVENT}/talks/?sort=title"])
    check(podium(found), "a list with a query string reached Podium", f"{found}")

    print("== Seats again: the schedule and talk pages go back to Podium", flush=True)
    seats(True)
    check(not (base / "served-static").exists(), "served-static is withdrawn at once")
    found = upstreams(client, [*seated, f"/{EVENT}/schedule/"])
    check(podium(found), "the schedule and talk pages reached Podium", f"{found}")
    found = upstreams(client, lists)
    check(set(found.values()) == {"-"}, "the lists still came from nginx", f"{found}")


def check_message(tmp: Path, visitor: Client, lists: dict, facts: dict) -> None:
    """A message waiting (a star without JavaScript): Podium's page shows it, once; then the files again."""
    response, content = visitor.request("GET", f"/{EVENT}/me.json")
    token = json.loads(content).get("csrf_token", "") if response.status == 200 else ""
    talks = f"/{EVENT}/talks/"
    response, _ = visitor.request(
        "POST",
        f"/{EVENT}/talk/{facts['talk']}/star/?next={talks}",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": visitor.origin,
            "Referer": f"{visitor.origin}{talks}",
        },
        body=f"csrfmiddlewaretoken={token}&starred=1".encode(),
    )
    check(
        response.status == 302 and visitor.cookies.get("podium_messages") == "1",
        "a star sent without JavaScript leaves a message and its cookie",
        f"{response.status} {sorted(visitor.cookies)}",
    )
    before = len(access_log(tmp))
    response, content = visitor.request("GET", talks)
    shown = response.status == 200 and b"Added to your stars." in content
    response, content = visitor.request("GET", talks)
    found = upstream_of(access_log(tmp)[before:], talks)
    check(
        shown and len(found) == 2 and found[0] != "-" and found[1] == "-",
        "the next page came from Podium with the message; the one after from nginx",
        f"{found} shown={shown} cookies={sorted(visitor.cookies)}",
    )


def backend_headers(port: int, path: str) -> tuple[int, dict]:
    response, _ = backend(port, "GET", path)
    return response.status, {k.lower(): v for k, v in response.getheaders()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--reuse", type=Path, help="a directory kept by --keep: its data and the database as they are"
    )
    args = parser.parse_args()
    began = time.monotonic()
    database_url = os.environ.get(
        "PODIUM_DEPLOY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/podium_deploy"
    )
    redis_url = os.environ.get("PODIUM_DEPLOY_REDIS_URL", "redis://127.0.0.1:6379/13")
    nginx = nginx_binary()
    tmp = Path(tempfile.mkdtemp(prefix="podium-deploy-"))
    if args.reuse:
        shutil.copytree(args.reuse / "data", tmp / "data", symlinks=True)
    tmp.chmod(0o755)  # nginx's workers (nobody) read the static and release files, as www-data would
    data = tmp / "data"
    data.mkdir(mode=0o755, exist_ok=True)
    logs = tmp / "logs"
    logs.mkdir()
    processes = Processes(logs)
    ports = {"http": free_port(), "tls": free_port(), "servers": [free_port(), free_port()]}
    env = {
        **os.environ,
        "PODIUM_DATA_DIR": str(data),
        "PODIUM_DATABASE_URL": database_url,
        "PODIUM_SECRET_KEY": secrets.token_urlsafe(40),
        "PODIUM_MAIL_BACKEND": "file",
        "DJANGO_SETTINGS_MODULE": "podium.settings",
    }
    env.pop("PODIUM_REDIS_URL", None)
    os.umask(0o022)
    try:
        print(f"== set-up in {tmp}", flush=True)
        empty_redis(redis_url)
        step = time.monotonic()
        if not args.reuse:
            fresh_database(database_url)
            subprocess.run([PODIUM, "demo", "--no-serve"], env=env, check=True, capture_output=True)  # noqa: S603
        code = SETUP_CODE % {"event": EVENT, "admin": ADMIN}
        output = subprocess.run(  # noqa: S603
            [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
        )
        facts = json.loads(output.stdout.strip().splitlines()[-1])
        print(f"   demo conference built in {time.monotonic() - step:.0f} s", flush=True)

        served = env | {
            "PODIUM_REDIS_URL": redis_url,
            "PODIUM_BASE_URL": f"https://127.0.0.1:{ports['tls']}",
            "PODIUM_TRUST_X_FORWARDED_PROTO": "true",
            "PODIUM_TRUSTED_PROXIES": "127.0.0.1",
            "PODIUM_METRICS_TOKEN": METRICS_TOKEN,
            "PODIUM_LIVE_KEEPALIVE": "5",
            "PODIUM_LOG_LEVEL": "WARNING",
        }
        step = time.monotonic()
        worker = processes.start(
            "worker", [CELERY, "-A", "podium", "worker", "--loglevel=INFO", "--concurrency=1"], served
        )
        servers = []
        for index, port in enumerate(ports["servers"]):
            argv = [PODIUM, "serve", "--port", str(port), "--workers", "1"] + (
                ["--no-migrate"] if index else []
            )
            servers.append(processes.start(f"serve-{port}", argv, served))
        for port, process in zip(ports["servers"], servers, strict=True):
            wait_for_port(port, process, f"podium serve on port {port}")
        main_conf = render_nginx(
            tmp, data, http_port=ports["http"], tls_port=ports["tls"], upstreams=ports["servers"]
        )
        tested = subprocess.run([nginx, "-t", "-c", str(main_conf)], capture_output=True, text=True)  # noqa: S603
        if tested.returncode != 0:
            raise SystemExit(f"nginx -t refused the rendered configuration:\n{tested.stderr}")
        proxy = processes.start("nginx", [nginx, "-c", str(main_conf), "-g", "daemon off;"], served)
        wait_for_port(ports["tls"], proxy, "nginx")
        if worker.poll() is not None:
            raise SystemExit("the Celery worker stopped at start-up; see its log")
        print(f"   two servers, a worker and nginx started in {time.monotonic() - step:.0f} s", flush=True)

        run_checks(tmp, data, ports, facts, tmp / "cert.pem", served)
    except SystemExit as exc:
        failures.append(str(exc))
        print(f"  FAIL {exc}", flush=True)
    except Exception as exc:  # a check that could not run is a failure too
        failures.append(repr(exc))
        if isinstance(exc, subprocess.CalledProcessError):
            print(exc.stderr if isinstance(exc.stderr, str) else (exc.stderr or b"").decode(errors="replace"))
        print(f"  FAIL {exc!r}", flush=True)
        import traceback

        traceback.print_exc()
    finally:
        processes.stop_all()
        if failures:
            for log in sorted(logs.glob("*.log")):
                tail = log.read_text(errors="replace").splitlines()[-15:]
                print(f"-- last lines of {log.name}:", *tail, sep="\n   ")
            error_log = tmp / "error.log"
            if error_log.exists():
                print("-- nginx error log:", *error_log.read_text().splitlines()[-15:], sep="\n   ")
        if args.keep:
            print(f"   kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    seconds = time.monotonic() - began
    print(
        f"== {'FAIL' if failures else 'PASS'} in {seconds:.0f} s"
        + (f": {len(failures)} failed" if failures else "")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
