"""Optional error reports (Sentry) and traces (OpenTelemetry), started once per process.

Both are off by default: without PODIUM_SENTRY_DSN and PODIUM_OTEL_ENDPOINT neither library is even
imported, and nothing is sent anywhere. `start()` runs when Django is set up (base/apps.py), in every
process: each `podium serve` worker, the Celery worker, commands.

- Sentry: unhandled errors and error log lines, without personal data (`send_default_pii=False`: no
  cookies, user ids or client addresses), no performance tracing.
- OpenTelemetry: a span per request (Django's instrumentation), sent in batches over OTLP/HTTP to
  PODIUM_OTEL_ENDPOINT (a collector, e.g. http://127.0.0.1:4318), named PODIUM_OTEL_SERVICE_NAME.
"""

from django.conf import settings

_started: set[str] = set()


def sentry_options(dsn: str) -> dict:
    """What Podium passes to `sentry_sdk.init` (tests add a transport of their own)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        release = f"podium@{version('podium')}"
    except PackageNotFoundError:  # pragma: no cover (a source tree without an installed package)
        release = None
    return {
        "dsn": dsn,
        "release": release,
        "environment": settings.PODIUM_SENTRY_ENVIRONMENT,
        "send_default_pii": False,
        "traces_sample_rate": 0.0,
    }


def start_sentry(dsn: str, **overrides) -> None:
    import sentry_sdk

    sentry_sdk.init(**{**sentry_options(dsn), **overrides})


def traces_url(endpoint: str) -> str:
    """The OTLP/HTTP address of traces: `endpoint` as given when it names the path, else /v1/traces on it."""
    endpoint = endpoint.rstrip("/")
    return endpoint if endpoint.endswith("/v1/traces") else endpoint + "/v1/traces"


def start_tracing(endpoint: str, service_name: str):
    """Send a span per request to the OTLP collector at `endpoint`; returns the tracer provider."""
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.sdk.resources import SERVICE_NAME, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=traces_url(endpoint))))
    trace.set_tracer_provider(provider)
    DjangoInstrumentor().instrument(tracer_provider=provider)
    return provider


def start() -> None:
    """Start what the settings ask for, once per process."""
    if settings.PODIUM_SENTRY_DSN and "sentry" not in _started:
        _started.add("sentry")
        start_sentry(settings.PODIUM_SENTRY_DSN)
    if settings.PODIUM_OTEL_ENDPOINT and "otel" not in _started:
        _started.add("otel")
        start_tracing(settings.PODIUM_OTEL_ENDPOINT, settings.PODIUM_OTEL_SERVICE_NAME)
