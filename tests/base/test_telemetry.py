"""Sentry and OpenTelemetry: not even imported unless configured; when configured, they report to the
given address (here a local stand-in for the service, so no test reaches the network)."""

import gzip
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from podium.base import telemetry
from tests.loopback import serving

PODIUM = str(Path(sys.executable).with_name("podium"))

# Sets Django up, answers one request through the whole middleware stack, reports which libraries are
# loaded, then gives the reporters a moment to send.
SCRIPT = """
import sys
from django.test import Client
response = Client(HTTP_HOST="127.0.0.1").get("/healthz")
assert response.status_code == 200, response.status_code
loaded = sorted({name.split(".")[0] for name in sys.modules if name.startswith(("sentry_sdk", "opentelemetry"))})
print("loaded:", ",".join(loaded) or "-")
if "sentry_sdk" in sys.modules:
    import sentry_sdk
    sentry_sdk.capture_message("podium telemetry test")
    sentry_sdk.flush(timeout=10)
if "opentelemetry.trace" in sys.modules:
    from opentelemetry import trace
    provider = trace.get_tracer_provider()
    if hasattr(provider, "force_flush"):  # the SDK's, set up by Podium
        provider.force_flush(10_000)
"""


class _Collector(BaseHTTPRequestHandler):
    received: list

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "br":  # Sentry compresses with brotli when it is installed
            import brotli

            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        self.received.append((self.path, self.headers.get("Content-Type", ""), body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def collector():
    """A stand-in for Sentry and an OTLP collector on a loopback port: [(path, content type, body)]."""
    received: list = []
    handler = type("Handler", (_Collector,), {"received": received})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    with serving(server):
        yield server.server_address[1], received


def _run(tmp_path, **env):
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("PODIUM_", "DJANGO_", "SENTRY_", "OTEL_"))
    }
    clean.update({"PODIUM_DATA_DIR": str(tmp_path), "PODIUM_BASE_URL": "http://127.0.0.1:8000", **env})
    return subprocess.run(
        [PODIUM, "shell", "--no-imports", "-c", SCRIPT],
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_without_settings_neither_library_is_loaded(tmp_path):
    result = _run(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "loaded: -" in result.stdout


def test_sentry_reports_to_the_configured_dsn(tmp_path, collector):
    port, received = collector
    result = _run(tmp_path, PODIUM_SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/42")

    assert result.returncode == 0, result.stderr
    assert "sentry_sdk" in result.stdout
    assert [path for path, _, _ in received] == ["/api/42/envelope/"]
    assert b"podium telemetry test" in received[0][2]


def test_traces_go_to_the_configured_otlp_endpoint(tmp_path, collector):
    port, received = collector
    result = _run(
        tmp_path, PODIUM_OTEL_ENDPOINT=f"http://127.0.0.1:{port}", PODIUM_OTEL_SERVICE_NAME="podium-test"
    )

    assert result.returncode == 0, result.stderr
    assert "loaded: opentelemetry\n" in result.stdout  # and not Sentry
    assert received, "no spans were exported"
    path, content_type, body = received[0]
    assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
    assert b"podium-test" in body  # the service name
    assert b"GET healthz" in body or b"healthz" in body  # the request's span


def test_sentry_is_told_to_send_no_personal_data(settings):
    settings.PODIUM_SENTRY_ENVIRONMENT = "staging"

    options = telemetry.sentry_options("http://key@127.0.0.1:9/1")

    assert options["send_default_pii"] is False
    assert options["environment"] == "staging"
    assert options["traces_sample_rate"] == 0.0


@pytest.mark.parametrize(
    ("given", "url"),
    [
        ("http://collector:4318", "http://collector:4318/v1/traces"),
        ("http://collector:4318/", "http://collector:4318/v1/traces"),
        ("https://otel.example.org/v1/traces", "https://otel.example.org/v1/traces"),
    ],
)
def test_the_traces_address_is_completed(given, url):
    assert telemetry.traces_url(given) == url
