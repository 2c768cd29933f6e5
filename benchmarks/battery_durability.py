"""The battery's durability loop: writes acknowledged by a server that is killed with SIGKILL.

Two clients (threads), each one write at a time:

- `cfp_form`: a logged-in speaker submits proposals through the public CfP form of the event with an
  open call for papers. Every proposal has a unique title and the random key the form carries. The
  write is acknowledged by the redirect (302) to the new proposal's page, which names its code; a
  200 is the form shown again with an error (a refusal).
- `api_release`: an organiser's write token publishes releases through the API
  (`POST /api/v1/orga/events/<event>/releases`, `force: true`, a unique name) with an
  Idempotency-Key. Acknowledged by 201 with the release's version; another 4xx is a refusal.

A write the server did not answer (connection refused or cut, a timeout, a 5xx, or a 409 "in
flight") is sent again, unchanged (same form key, same Idempotency-Key), until the server answers
or the write's time runs out; a write still "in flight" after STUCK_SECONDS is given up and counted
as stuck. Meanwhile the main thread kills the server's process group with SIGKILL at random moments
and starts it again.

At the end, with the server stopped, a child process reads the database: every acknowledged write
must be there exactly once, with the code or version its answer named (else "lost"); no title, name
or key may be stored twice, and no proposal may have two receipt mails or two "submitted" audit
entries (else "duplicated"). A published release whose Idempotency-Key record is not "done" is
reported too: a retry with that key would publish again once the claim counts as abandoned.
"""

import itertools
import json
import random
import re
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import requests
from lxml import html

WRITE_SECONDS = 30  # how long one write is retried once the loop is over, before it counts as never answered
TIMEOUT = 15  # seconds per HTTP request
RETRY_PAUSE = 0.2
STUCK_SECONDS = 20  # ten times the Retry-After the API sends with "still running"

VERIFY_CODE = """
import json, django
django.setup()
from django.db.models import Count
from podium.accounts.models import IdempotencyRecord
from podium.base.models import AuditEntry
from podium.mail.models import OutboxMail
from podium.proposals.models import Proposal
from podium.schedule.models import Release
proposals = list(
    Proposal.objects.filter(event__slug=%(cfp)r, title__startswith=%(title)r).values("pk", "title", "code", "submission_key")
)
pks = [p["pk"] for p in proposals]
submitted = dict(
    AuditEntry.objects.filter(action="proposal.submitted", object_id__in=[str(pk) for pk in pks])
    .values_list("object_id").annotate(n=Count("id")).values_list("object_id", "n")
)
mails = dict(
    OutboxMail.objects.filter(about__in=[f"proposal:{pk}" for pk in pks])
    .values_list("about").annotate(n=Count("id")).values_list("about", "n")
)
for p in proposals:
    p["audit"] = submitted.get(str(p["pk"]), 0)
    p["mails"] = mails.get(f"proposal:{p['pk']}", 0)
releases = list(Release.objects.filter(event__slug=%(main)r, name__startswith=%(release)r).values("name", "version"))
records = {}
has_state = any(f.name == "state" for f in IdempotencyRecord._meta.fields)
for key, state in IdempotencyRecord.objects.filter(key__startswith=%(release)r).values_list(
    "key", "state" if has_state else "key"
):
    records.setdefault(key, []).append(state if has_state else "done")
print(json.dumps({"proposals": proposals, "releases": releases, "records": records}))
"""


@dataclass
class Write:
    """One write as the client saw it."""

    label: str  # the unique title or release name
    key: str  # the form's key or the Idempotency-Key
    sends: int = 0
    acknowledged: bool = False
    refused: str = ""  # why the server refused it
    answer: str = ""  # the proposal code or release version the acknowledgement named
    last: str = ""  # what the last send got (status or error)
    server_errors: list[str] = field(default_factory=list)  # 5xx answers: "status body"


@dataclass
class Client:
    name: str
    writes: list[Write] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Stop(Exception):
    """The loop is over and this write's time ran out."""


class GiveUp(Stop):
    """The server kept answering "still running" (409 with Retry-After) for STUCK_SECONDS."""


def _send(write: Write, deadline: float, stop: threading.Event, attempt) -> requests.Response:
    """Call `attempt()` until the server answers with something that is not a server error."""
    busy_since = None
    while True:
        write.sends += 1
        try:
            response = attempt()
        except requests.RequestException as exc:
            write.last = type(exc).__name__
        else:
            write.last = str(response.status_code)
            if response.status_code >= 500:
                write.server_errors.append(f"{response.status_code} {response.text[:200]}")
            elif response.status_code != 409 or "Retry-After" not in response.headers:
                return response  # an answer; a 409 with Retry-After is "in flight": send it again
            else:
                busy_since = busy_since or time.monotonic()
                if time.monotonic() - busy_since > STUCK_SECONDS:
                    raise GiveUp
        if time.monotonic() > deadline and stop.is_set():
            raise Stop
        time.sleep(RETRY_PAUSE)


class CfpWriter:
    """A speaker's browser: logs in, opens the submission form, submits, retries the same form."""

    def __init__(self, base: str, event: str, email: str, password: str, prefix: str):
        self.base, self.event, self.email, self.password, self.prefix = base, event, email, password, prefix
        self.session = requests.Session()
        self.submit_url = f"{base}/{event}/cfp/submit/"

    def _get_form(self, url: str, deadline: float, stop: threading.Event):
        """GET `url` until it answers 200; the page's last form and the final URL."""
        while True:
            try:
                page = self.session.get(url, timeout=TIMEOUT)
                if page.status_code == 200:
                    return html.fromstring(page.text).forms[-1], page.url
            except requests.RequestException:
                pass
            if time.monotonic() > deadline and stop.is_set():
                raise Stop
            time.sleep(RETRY_PAUSE)

    def login(self, deadline: float, stop: threading.Event) -> None:
        form, url = self._get_form(f"{self.base}/accounts/login/", deadline, stop)
        fields = dict(form.form_values()) | {"username": self.email, "password": self.password}
        while True:
            try:
                answer = self.session.post(url, data=fields, timeout=TIMEOUT, allow_redirects=False)
                if answer.status_code == 302:
                    return
                raise RuntimeError(f"log-in answered {answer.status_code}")
            except requests.RequestException:
                if time.monotonic() > deadline and stop.is_set():
                    raise Stop from None
                time.sleep(RETRY_PAUSE)

    def fields(self, number: int, deadline: float, stop: threading.Event) -> dict:
        """The submission form as a browser shows it, filled in for proposal `number`."""
        form, _ = self._get_form(self.submit_url, deadline, stop)
        if "idempotency_key" not in form.fields:
            self.login(deadline, stop)
            form, _ = self._get_form(self.submit_url, deadline, stop)
        values = dict(form.form_values())
        for select in form.xpath(".//select"):
            options = [o.get("value") for o in select.xpath(".//option") if o.get("value")]
            if options and not values.get(select.name):
                values[select.name] = options[0]
        values.update(
            {
                "profile-name": "Battery Speaker",
                "profile-bio": "Speaks about durability.",
                "title": f"{self.prefix}{number}",
                "abstract": f"Proposal {number} of the durability loop.",
                "description": "What happens to a write when the server is killed.",
            }
        )
        values.pop("profile-photo", None)
        return values

    def write(self, number: int, deadline: float, stop: threading.Event) -> Write:
        values = self.fields(number, deadline, stop)
        write = Write(label=values["title"], key=values["idempotency_key"])

        def attempt():
            return self.session.post(self.submit_url, data=values, timeout=TIMEOUT, allow_redirects=False)

        try:
            while True:
                response = _send(write, deadline, stop, attempt)
                location = response.headers.get("Location", "")
                proposal = re.search(rf"/{self.event}/me/proposals/([^/]+)/", location)
                if response.status_code == 302 and proposal:
                    write.acknowledged, write.answer = True, proposal.group(1)
                    return write
                if response.status_code == 302 and "/accounts/login/" in location:
                    self.login(deadline, stop)  # the session is gone: log in, send the same form again
                elif response.status_code == 403:
                    # A new log-in rotates the CSRF token: take the form's new one, keep everything else.
                    values["csrfmiddlewaretoken"] = self.fields(number, deadline, stop)["csrfmiddlewaretoken"]
                else:
                    errors = html.fromstring(response.text).xpath("//*[contains(@class, 'error')]//text()")
                    write.refused = f"{response.status_code}: {' '.join(t.strip() for t in errors)[:300]}"
                    return write
                if write.sends > 200:
                    write.refused = f"gave up after {write.sends} sends ({write.last})"
                    return write
        except Stop:
            return write


class ApiWriter:
    """A script with an organiser's write token, publishing releases with an Idempotency-Key."""

    def __init__(self, base: str, event: str, token: str, prefix: str):
        self.url = f"{base}/api/v1/orga/events/{event}/releases"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.prefix = prefix
        self.session = requests.Session()

    def write(self, number: int, deadline: float, stop: threading.Event) -> Write:
        name = f"{self.prefix}{number}"
        write = Write(label=name, key=name)
        body = {"name": name, "comment": "durability loop", "force": True}

        def attempt():
            return self.session.post(
                self.url, json=body, headers=self.headers | {"Idempotency-Key": name}, timeout=TIMEOUT
            )

        try:
            response = _send(write, deadline, stop, attempt)
        except Stop:
            return write
        if response.status_code == 201:
            write.acknowledged, write.answer = True, str(response.json()["version"])
        else:
            write.refused = f"{response.status_code}: {response.text[:300]}"
        return write


def _client_loop(client: Client, writer, stop: threading.Event) -> None:
    for number in itertools.count(1):
        if stop.is_set():
            return
        try:
            client.writes.append(writer.write(number, time.monotonic() + WRITE_SECONDS, stop))
        except Stop:
            return
        except Exception as exc:  # reported; the loop goes on with the next write
            client.errors.append(f"{type(exc).__name__}: {exc}")
            if len(client.errors) > 20:
                return


def durability_loop(
    server,
    facts: dict,
    env: dict,
    *,
    kills: int,
    seconds: float,
    seed: int,
    speaker: tuple[str, str],
    events: tuple[str, str],
) -> dict:
    """Run both clients for about `seconds` while killing the server `kills` times; verify the database."""
    cfp_event, main_event = events
    title, release = "Battery proposal ", "battery-release-"
    rng = random.Random(seed)
    stop = threading.Event()
    cfp = CfpWriter(server.base, cfp_event, *speaker, prefix=title)
    cfp.login(time.monotonic() + WRITE_SECONDS, stop)
    clients = {
        "cfp_form": (Client("cfp_form"), cfp),
        "api_release": (Client("api_release"), ApiWriter(server.base, main_event, facts["token"], release)),
    }
    threads = [
        threading.Thread(target=_client_loop, args=(client, writer, stop), daemon=True)
        for client, writer in clients.values()
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    # One kill at a random moment in each of `kills` equal stretches, after the clients got going and
    # leaving the last stretch to run on the restarted server.
    stretch = seconds / (kills + 1)
    restarts, killed_at = [], []
    for index in range(kills):
        moment = started + stretch * index + rng.uniform(0.3, 0.9) * stretch
        time.sleep(max(0.0, moment - time.monotonic()))
        server.kill()
        killed_at.append(round(time.monotonic() - started, 1))
        time.sleep(rng.uniform(0.1, 1.0))
        server.start()
        restarts.append(server.starts[-1])
    time.sleep(max(0.0, started + seconds - time.monotonic()))
    stop.set()
    for thread in threads:
        thread.join(timeout=WRITE_SECONDS + TIMEOUT + 10)
    elapsed = time.monotonic() - started
    server.stop()

    code = VERIFY_CODE % {"cfp": cfp_event, "title": title, "main": main_event, "release": release}
    stored = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, timeout=120
    )
    found = json.loads(stored.stdout.strip().splitlines()[-1])

    results = {
        "cfp_form": verify(
            clients["cfp_form"][0],
            [(p["title"], p["code"], p["submission_key"]) for p in found["proposals"]],
            extra=[
                f"{p['title']} has {p['audit']} 'submitted' audit entries and {p['mails']} receipt mails"
                for p in found["proposals"]
                if p["audit"] != 1 or p["mails"] != 1
            ],
        ),
        "api_release": verify(
            clients["api_release"][0],
            [(r["name"], str(r["version"]), r["name"]) for r in found["releases"]],
            extra=[
                f"Idempotency-Key {key} has {len(states)} records"
                for key, states in found["records"].items()
                if len(states) > 1
            ]
            + [
                f"{r['name']} (v{r['version']}) was published but its Idempotency-Key record is "
                f"{found['records'].get(r['name'], ['missing'])}: once the claim counts as abandoned, "
                "a retry with that key publishes again"
                for r in found["releases"]
                if found["records"].get(r["name"]) != ["done"]
            ],
        ),
    }
    return {
        "kills": len(killed_at),
        "killed_at_seconds": killed_at,
        "restart_seconds": restarts,
        "seconds": elapsed,
        "clients": results,
        "ok": all(not r["problems"] for r in results.values()) and len(killed_at) == kills,
    }


def verify(client: Client, stored: list[tuple[str, str, str]], *, extra: list[str]) -> dict:
    """Compare what the client was told with what the database holds: (label, answer, key) rows."""
    by_label, by_key = {}, {}
    for label, answer, key in stored:
        by_label.setdefault(label, []).append(answer)
        by_key.setdefault(key, []).append(label)
    lost, mismatched = [], []
    for write in client.writes:
        if not write.acknowledged:
            continue
        answers = by_label.get(write.label, [])
        if not answers:
            lost.append(write.label)
        elif write.answer not in answers:
            mismatched.append(f"{write.label}: answered {write.answer}, stored {answers}")
    duplicated = sorted({label for label, answers in by_label.items() if len(answers) > 1})
    duplicated += sorted({key for key, labels in by_key.items() if key and len(labels) > 1} - set(duplicated))
    refused = [w for w in client.writes if w.refused]
    server_errors = [error for w in client.writes for error in w.server_errors]
    unanswered = [w for w in client.writes if not w.acknowledged and not w.refused]
    stuck = [w for w in unanswered if w.last == "409"]
    problems = (
        [f"lost (acknowledged, not stored): {label}" for label in lost]
        + [f"stored under another code or version: {text}" for text in mismatched]
        + [f"duplicated: {label}" for label in duplicated]
        + extra
        + [f"refused: {w.label}: {w.refused}" for w in refused[:5]]
        + [f"{len(server_errors)} server errors, e.g. {error}" for error in sorted(set(server_errors))[:3]]
        + [
            f"never answered: {w.label} got 409 'still running' with Retry-After on every send "
            f"({w.sends} sends) after the server that ran it was killed"
            for w in stuck
        ]
        + [f"client error: {error}" for error in client.errors[:5]]
    )
    return {
        "attempted": len(client.writes),
        "acknowledged": sum(w.acknowledged for w in client.writes),
        "retried": sum(w.acknowledged and w.sends > 1 for w in client.writes),
        "refused": len(refused),
        "unanswered": len(unanswered),
        "unanswered_last": sorted({w.last for w in unanswered}),
        "stuck": len(stuck),
        "stored": len(stored),
        "lost": len(lost) + len(mismatched),
        "duplicated": len(duplicated),
        "server_errors": len(server_errors),
        "problems": problems,
    }
