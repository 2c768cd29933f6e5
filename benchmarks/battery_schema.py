"""The battery's schema run: the Schemathesis CLI against a served /api/v1/openapi.json.

Every phase (examples, coverage, fuzzing, stateful) and every check Schemathesis has, with the
organiser's write token as the schema's bearer scheme (so the `ignored_auth` and
`missing_required_header` checks can also try without it). One worker: with two, Python 3.11's `ast`
module, which Hypothesis uses to describe strategies, fails now and then across threads. Path
parameters are fixed to the demo's released program (event, a talk, its speaker, release 1) so that
requests reach real data; query strings, headers and bodies are generated. Counts come from the
NDJSON event log: every recorded call with its status, and every check result by name.
"""

import base64
import collections
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCHEMATHESIS = str(Path(sys.executable).parent / "schemathesis")
# A schema-valid request may still be refused by a use case's rules (400: "Nothing public changed
# since release v1.", a score off the event's scale) or by a stale version (409), as in
# tests/api/test_main_schemathesis.py.
CONFIG = """
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409"]

[auth.openapi.BearerToken]
bearer = "{token}"

[parameters]
"path.event" = "{event}"
"path.code" = "{code}"
"path.speaker" = "{speaker}"
"path.version" = 1
"""
# The checks the battery is about first; every other check runs too and counts the same.
CORE_CHECKS = ("not_a_server_error", "status_code_conformance", "response_schema_conformance")
SAMPLES = 12


def schema_run(server, facts: dict, work: Path, *, examples: int, seconds: int, workers: int = 1) -> dict:
    """Run Schemathesis against `server`; returns calls, statuses, check results and failure samples."""
    config = work / "schemathesis.toml"
    config.write_text(CONFIG.format(**facts))
    reports = work / "schemathesis-report"
    ndjson, summary = reports / "events.ndjson", reports / "run.json"
    argv = [
        SCHEMATHESIS,
        "--config-file",
        str(config),
        "run",
        f"{server.base}/api/v1/openapi.json",
        "--checks",
        "all",
        "--max-examples",
        str(examples),
        "--max-time",
        str(seconds),
        "--workers",
        str(workers),
        "--request-timeout",
        "30",
        "--seed",
        "1",
        "--no-color",
        "--report",
        "ndjson,json",
        "--report-ndjson-path",
        str(ndjson),
        "--report-json-path",
        str(summary),
    ]
    env = os.environ | {
        "SCHEMATHESIS_HOOKS": "battery_hooks",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
    }
    started = time.perf_counter()
    with (work / "schemathesis.log").open("wb") as log:
        # A hard stop a little after its own budget, so the battery always ends.
        try:
            code = subprocess.run(  # noqa: S603
                argv,
                env=env,
                cwd=work,  # its cache of past failures stays in the throw-away directory
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=seconds + 120,
                check=False,
            ).returncode
        except subprocess.TimeoutExpired:
            code = -1
    elapsed = time.perf_counter() - started
    result = read_events(ndjson) if ndjson.exists() else _empty("no NDJSON report was written")
    result |= {"exit_code": code, "seconds": elapsed, "log": str(work / "schemathesis.log")}
    if summary.exists():
        run = json.loads(summary.read_text())
        result["operations"] = run["operations"]["tested"]
        result["generated"] = run["test_cases"]["generated"]
        result["stop_reason"] = run.get("stop_reason")
        result["phases"] = {name: phase["status"] for name, phase in run.get("phases", {}).items()}
        result["errors"] += [json.dumps(error)[:500] for error in run.get("errors", [])]
        warnings = {name: items for name, items in run.get("warnings", {}).items() if items}
        if warnings.get("missing_auth"):
            result["errors"].append(f"the token was refused for {warnings['missing_auth']}")
    if code == -1:
        result["errors"].append(f"Schemathesis did not stop within {seconds + 120} s")
    result["ok"] = not result["failures"] and not result["errors"] and code == 0
    return result


def _empty(error: str) -> dict:
    return {
        "calls": 0,
        "statuses": {},
        "checks": {},
        "failures": {},
        "samples": [],
        "errors": [error],
        "operations": 0,
    }


def read_events(path: Path) -> dict:
    """Calls, status codes, check outcomes and a few failing requests, from Schemathesis' NDJSON log."""
    result = _empty("")
    result["errors"] = []
    statuses, checks, failures = collections.Counter(), collections.Counter(), collections.Counter()
    seen = set()
    for line in path.read_text().splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        interactions = recorder.get("interactions", {})
        for interaction in interactions.values():
            response = interaction.get("response") or {}
            statuses[str(response.get("status_code", "no answer"))] += 1
        for case_id, results in recorder.get("checks", {}).items():
            for check in results:
                checks[f"{check['name']}:{check['status']}"] += 1
                if check["status"] != "failure":
                    continue
                failure = check.get("failure_info", {}).get("failure", {})
                kind = f"{check['name']} ({failure.get('code', '?')} {failure.get('title', '')})"
                failures[kind] += 1
                key = (check["name"], failure.get("operation"), failure.get("message"))
                if key not in seen and len(result["samples"]) < SAMPLES:
                    seen.add(key)
                    result["samples"].append(_sample(check["name"], failure, interactions.get(case_id)))
    result["calls"] = sum(statuses.values())
    result["statuses"] = dict(sorted(statuses.items()))
    result["checks"] = dict(sorted(checks.items()))
    result["failures"] = dict(failures)
    result["core_failures"] = {
        name: sum(count for kind, count in failures.items() if kind.startswith(name + " "))
        for name in CORE_CHECKS
    }
    return result


def _sample(name: str, failure: dict, interaction: dict | None) -> str:
    """One failing call, as request and response, short enough for a report."""
    text = f"{name}: {failure.get('operation')}: {failure.get('message', '').splitlines()[0:3]}"
    if interaction:
        request, response = interaction["request"], interaction.get("response") or {}
        body = ""
        content = response.get("content") or {}
        if "$base64" in content:
            body = base64.b64decode(content["$base64"]).decode(errors="replace")[:200]
        sent = request.get("body") or {}
        sent = base64.b64decode(sent["$base64"]).decode(errors="replace")[:200] if "$base64" in sent else ""
        text += f" | {request['method']} {request['uri']} {sent} -> {response.get('status_code')} {body}"
    return text
