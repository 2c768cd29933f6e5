"""/metrics: who may read it, what each request records, the figures of several processes added up."""

import asyncio
import os
import subprocess
import sys

import pytest
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from podium.base import live, metrics
from podium.base.errors import ServiceError
from podium.schedule import services as schedule_services
from tests import factories

TOKEN = "s3cret-scraper-token"


def _samples(text: str) -> list:
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


def value(text: str, name: str, **labels) -> float:
    """The sample `name` with exactly these labels in a scrape (0 when absent)."""
    for sample in _samples(text):
        if sample.name == name and sample.labels == labels:
            return sample.value
    return 0.0


def scrape(client) -> str:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


@pytest.fixture
def metrics_on(settings):
    settings.PODIUM_METRICS_TOKEN = TOKEN
    settings.PODIUM_METRICS_ALLOW = []
    settings.PODIUM_METRICS = True


# --- Who may read it ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_metrics_are_off_without_a_token_or_allow_list(client, settings):
    settings.PODIUM_METRICS_TOKEN = ""
    settings.PODIUM_METRICS_ALLOW = []
    settings.PODIUM_METRICS = False

    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404


@pytest.mark.django_db
def test_the_token_is_needed_and_must_match(client, metrics_on):
    missing = client.get("/metrics")
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token")
    other_scheme = client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}")

    assert [missing.status_code, wrong.status_code, other_scheme.status_code] == [401, 401, 401]
    assert missing["WWW-Authenticate"].startswith("Bearer")
    assert b"podium_" not in missing.content + wrong.content
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@pytest.fixture
def allow_list(settings):
    settings.PODIUM_METRICS_TOKEN = ""
    settings.PODIUM_METRICS_ALLOW = ["10.1.2.0/24", "2001:db8::/32"]
    settings.PODIUM_METRICS = True
    settings.PODIUM_TRUSTED_PROXIES = []


@pytest.mark.django_db
def test_the_allow_list_admits_only_its_addresses(client, allow_list):
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.9").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="2001:db8::7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.1.3.9").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403


@pytest.mark.django_db
def test_a_spoofed_forwarded_for_header_is_not_believed(client, allow_list):
    """Without trusted proxies, X-Forwarded-For is whatever the client wrote."""
    response = client.get("/metrics", REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR="10.1.2.9")

    assert response.status_code == 403


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_client_counts(client, allow_list, settings):
    settings.PODIUM_TRUSTED_PROXIES = ["127.0.0.1"]

    through_proxy = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.9")
    # The client put an allowed address left of its own; the proxy appended the real one.
    spoofed = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.2.9, 198.51.100.4")

    assert through_proxy.status_code == 200
    assert spoofed.status_code == 403


@pytest.mark.django_db
def test_with_both_set_a_scrape_needs_both(client, settings):
    settings.PODIUM_METRICS_TOKEN = TOKEN
    settings.PODIUM_METRICS_ALLOW = ["10.1.2.0/24"]
    settings.PODIUM_METRICS = True
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}

    assert client.get("/metrics", REMOTE_ADDR="10.1.2.9", **auth).status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="198.51.100.4", **auth).status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.9").status_code == 401


# --- Per request --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_requests_are_counted_by_route_method_and_status_with_their_queries(client, metrics_on):
    labels = {"route": "healthz", "method": "GET", "status": "200"}
    before = scrape(client)
    client.get(reverse("healthz"))
    client.get(reverse("healthz"))
    after = scrape(client)

    count = "podium_http_request_duration_seconds_count"
    assert value(after, count, **labels) - value(before, count, **labels) == 2
    queries = "podium_http_request_queries_sum"
    assert value(after, queries, route="healthz") - value(before, queries, route="healthz") >= 2
    # healthz makes one query: the histogram's "at most 1" bucket got both requests.
    bucket = "podium_http_request_queries_bucket"
    assert (
        value(after, bucket, route="healthz", le="1.0") - value(before, bucket, route="healthz", le="1.0")
        == 2
    )


@pytest.mark.django_db
def test_the_route_label_is_the_pattern_name_never_the_raw_path(client, metrics_on):
    # Letters only: a sample's value (a sum of seconds, a time stamp) may hold any run of digits, and
    # once held "4711", which failed this test with no path in any label.
    client.get("/no-such-event-qzxw/")
    client.get("/orga/no/such/page/qzxw")
    text = scrape(client)

    assert "qzxw" not in text
    assert (
        value(
            text, "podium_http_request_duration_seconds_count", route="unmatched", method="GET", status="404"
        )
        >= 1
    )


@pytest.mark.django_db
def test_nothing_is_recorded_while_metrics_are_off(client, settings, metrics_on):
    labels = {"route": "healthz", "method": "GET", "status": "200"}
    before = scrape(client)
    settings.PODIUM_METRICS = False
    client.get(reverse("healthz"))
    settings.PODIUM_METRICS = True

    assert value(scrape(client), "podium_http_request_duration_seconds_count", **labels) == value(
        before, "podium_http_request_duration_seconds_count", **labels
    )


# --- At the points where the work happens ---------------------------------------------------------------


def _count(text: str, name: str, **labels) -> float:
    return value(text, f"{name}_count", **labels)


@pytest.mark.django_db
def test_publishing_a_release_is_timed_by_outcome(client, metrics_on, event):
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    before = scrape(client)
    schedule_services.publish_release(event=event, by=scheduler, force=True)
    with pytest.raises(ServiceError):
        schedule_services.publish_release(event=event, by=scheduler)  # nothing changed
    after = scrape(client)

    name = "podium_release_publish_seconds"
    assert _count(after, name, outcome="ok") - _count(before, name, outcome="ok") == 1
    assert _count(after, name, outcome="refused") - _count(before, name, outcome="refused") == 1


@pytest.mark.django_db
def test_rendering_an_export_is_timed_by_format(client, metrics_on, event):
    from podium.interop import exporters

    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    release = schedule_services.publish_release(event=event, by=scheduler, force=True)
    before = scrape(client)
    exporters.render(release, "frab-json")
    exporters.render(release, fmt="ical")
    after = scrape(client)

    name = "podium_release_render_seconds"
    assert _count(after, name, format="frab-json") - _count(before, name, format="frab-json") == 1
    assert _count(after, name, format="ical") - _count(before, name, format="ical") == 1


@pytest.mark.django_db
def test_a_solver_run_is_timed_by_its_final_status(client, metrics_on, event):
    from podium.scheduling import runs
    from podium.scheduling.models import SolverRun, SolverRunStatus

    event.rooms.all().delete()  # the run fails at once: no rooms to schedule into
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    run = SolverRun.objects.create(event=event, created_by=scheduler, mode="fill", time_limit=5)
    before = scrape(client)
    assert runs.execute(run.pk) == SolverRunStatus.FAILED
    after = scrape(client)

    name = "podium_solver_run_seconds"
    assert _count(after, name, status="failed") - _count(before, name, status="failed") == 1


@pytest.mark.django_db
def test_an_import_is_timed_by_outcome(client, metrics_on, event):
    from podium.interop.services import import_program

    before = scrape(client)
    with pytest.raises(ServiceError):
        import_program(data=b"not a schedule file", by=None, event=event)
    after = scrape(client)

    name = "podium_import_seconds"
    assert _count(after, name, outcome="refused") - _count(before, name, outcome="refused") == 1


@pytest.mark.django_db
def test_live_streams_are_counted_while_open(client, metrics_on, settings):
    settings.PODIUM_LIVE_POLL_INTERVAL = 0.05

    async def stream(during):
        async with live.subscribe("metrics-test-channel"):
            during.append(scrape_in_thread())

    def scrape_in_thread():
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:  # the test client is sync; the stream's loop must keep running
            return pool.submit(lambda: metrics.exposition().decode()).result()

    before = value(metrics.exposition().decode(), "podium_live_connections")
    during: list[str] = []
    asyncio.run(stream(during))
    after = value(metrics.exposition().decode(), "podium_live_connections")

    assert value(during[0], "podium_live_connections") == before + 1
    assert after == before


# --- Several processes ---------------------------------------------------------------------------------

CHILD = """
import os, sys
from prometheus_client import Gauge, Histogram
Histogram("podium_release_render_seconds", "x", ["format"]).labels("frab-xml").observe(0.25)
Gauge("podium_live_connections", "x", multiprocess_mode="livesum").inc(5)
"""


@pytest.mark.django_db
def test_a_scrape_adds_up_every_process_and_forgets_live_streams_of_ended_ones(client, metrics_on, settings):
    name = "podium_release_render_seconds"
    before = scrape(client)
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(settings.PODIUM_METRICS_DIR)}
    subprocess.run([sys.executable, "-c", CHILD], env=env, check=True, timeout=60)
    after = scrape(client)

    # The ended process's render stays counted (a total), its open streams do not (it holds none now).
    assert _count(after, name, format="frab-xml") - _count(before, name, format="frab-xml") == 1
    assert (
        value(after, f"{name}_sum", format="frab-xml") - value(before, f"{name}_sum", format="frab-xml")
        == 0.25
    )
    assert value(after, "podium_live_connections") == value(before, "podium_live_connections")


# --- Read when scraped ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_registered_figures_are_read_at_each_scrape(client, metrics_on, monkeypatch):
    calls = []

    def figures():
        calls.append(1)
        return [
            metrics.Figure("podium_test_waiting", "Things waiting.", len(calls), {"kind": "a"}),
            metrics.Figure("podium_test_waiting", "Things waiting.", 7, {"kind": "b"}),
        ]

    monkeypatch.setattr(metrics, "SOURCES", [])
    metrics.register_figures(figures)
    metrics.register_figures(figures)  # once, however often an app is readied

    assert value(scrape(client), "podium_test_waiting", kind="a") == 1
    text = scrape(client)
    assert value(text, "podium_test_waiting", kind="a") == 2
    assert value(text, "podium_test_waiting", kind="b") == 7


@pytest.mark.django_db
def test_the_domain_apps_figures_are_registered(client, metrics_on):
    text = scrape(client)

    assert "podium_outbox_mails" in text
    assert "podium_webhook_deliveries" in text
    assert "podium_checkins_last_minute" in text


# --- Server start -------------------------------------------------------------------------------------


def _ended_pid() -> int:
    """The id of a process that has ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=60)
    return child.pid


def test_server_start_removes_the_files_of_ended_processes_and_keeps_running_ones(tmp_path):
    ended, running = _ended_pid(), os.getpid()
    names = [
        f"counter_{ended}.db",
        f"histogram_{ended}.db",
        f"gauge_livesum_{ended}.db",
        f"gauge_all_{ended}.db",
        f"counter_{running}.db",
        f"histogram_{running}.db",
        f"gauge_livesum_{running}.db",
        "notes.txt",
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"")

    removed = metrics.clear_ended_processes(tmp_path)

    assert sorted(removed) == sorted(names[:4])
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(names[4:])


@pytest.mark.django_db
def test_a_scrape_after_a_restart_no_longer_adds_up_the_ended_processes(client, metrics_on, settings):
    name = "podium_release_render_seconds"
    before = _count(scrape(client), name, format="frab-xml")
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(settings.PODIUM_METRICS_DIR)}
    subprocess.run([sys.executable, "-c", CHILD], env=env, check=True, timeout=60)
    assert _count(scrape(client), name, format="frab-xml") == before + 1

    metrics.clear_ended_processes()

    # Only running processes count now (earlier ended ones, if any, went too).
    assert _count(scrape(client), name, format="frab-xml") <= before


def test_podium_serve_clears_the_ended_processes_before_serving(monkeypatch, settings, tmp_path):
    from django.core.management import call_command

    from podium.base.management.commands import serve

    settings.PODIUM_METRICS_DIR = tmp_path
    stale = tmp_path / f"counter_{_ended_pid()}.db"
    stale.write_bytes(b"")
    seen = []
    for name in serve.RUNNERS:  # the server is not started: only what comes before it runs
        monkeypatch.setitem(serve.RUNNERS, name, lambda **kwargs: seen.append(stale.exists()))
    monkeypatch.setattr(serve, "call_command", lambda *a, **k: None)

    call_command("serve", "--port", "8999", "--workers", "1")

    assert seen == [False]
