"""Infrastructure views: uploaded files, health and readiness checks, metrics, error pages."""

import hmac
import ipaddress
import logging
import mimetypes
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from podium.base import metrics
from podium.base.clientip import client_address
from podium.base.permissions import public, token

log = logging.getLogger(__name__)

INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}
#: Folders under MEDIA_ROOT whose files are only given out by views that check who asks (answers to
#: the call for papers' file questions: cfp.views / orga.views.questions); never by their address.
PRIVATE_MEDIA = ("cfp-answers/",)


@public
def serve_media(request, path: str):
    """Serve an uploaded file. Images (re-encoded on upload) inline, everything else as a download."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404
    if target.relative_to(root).as_posix().startswith(PRIVATE_MEDIA):
        raise Http404
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    inline = content_type in INLINE_TYPES
    response = FileResponse(
        target.open("rb"), content_type=content_type, as_attachment=not inline, filename=target.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@public
def favicon(request):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links: the static icon."""
    response = redirect(static("podium/favicon.ico"))
    response["Cache-Control"] = "public, max-age=86400"
    return response


@public
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_redis() -> None:
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def _check_files() -> None:
    """The release files' directory (or, before the first release wrote it, the data directory it goes
    in) can be listed, written and read."""
    directory = Path(getattr(settings, "PODIUM_RELEASE_DIR", None) or settings.DATA_DIR)
    if not directory.exists():
        directory = Path(settings.DATA_DIR)
    next(directory.iterdir(), None)
    with tempfile.NamedTemporaryFile(dir=directory, prefix=".readyz-") as probe:
        probe.write(b"ok")
        probe.flush()
        probe.seek(0)
        if probe.read() != b"ok":
            raise OSError(f"{directory} gives back other bytes than written")


@public
def readyz(request):
    """Whether this process can serve: the database answers, Redis (when configured) answers, the
    release files can be written and read. 503 with the failed checks named; details go to the log."""
    checks = {"database": _check_database, "files": _check_files}
    if settings.REDIS_URL:
        checks["redis"] = _check_redis
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception as exc:
            log.warning("readiness check %s failed: %s: %s", name, type(exc).__name__, exc)
            results[name] = "failed"
        else:
            results[name] = "ok"
    failed = sorted(name for name, result in results.items() if result != "ok")
    body = {"status": "failed" if failed else "ok", "checks": results, "failed": failed}
    return JsonResponse(body, status=503 if failed else 200)


def _metrics_refusal(request) -> int | None:
    """None when every configured condition holds (the bearer token, the client address on the
    allow-list); else the status to answer: 401 for a missing or wrong token, 403 for an address."""
    if settings.PODIUM_METRICS_TOKEN:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), settings.PODIUM_METRICS_TOKEN.encode()
        ):
            return 401
    if settings.PODIUM_METRICS_ALLOW:
        address = ipaddress.ip_address(client_address(request))
        networks = [ipaddress.ip_network(entry, strict=False) for entry in settings.PODIUM_METRICS_ALLOW]
        if not any(address.version == net.version and address in net for net in networks):
            return 403
    return None


@token
def metrics_view(request):
    """Prometheus metrics, for a scraper holding PODIUM_METRICS_TOKEN and/or on PODIUM_METRICS_ALLOW.

    Off (404, as any unknown address) when neither is set; 401 or 403 to anyone else.
    """
    if not settings.PODIUM_METRICS:
        raise Http404
    refusal = _metrics_refusal(request)
    if refusal is not None:
        message = "a metrics token is needed" if refusal == 401 else "this address may not read the metrics"
        response = HttpResponse(f"{message.capitalize()}.\n", status=refusal)
        response["Content-Type"] = "text/plain; charset=utf-8"
        if refusal == 401:
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    response = HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
    response["Cache-Control"] = "no-store"
    return response


def forbidden(request, exception=None):
    return render(request, "base/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "base/404.html", status=404)
