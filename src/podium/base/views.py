"""Infrastructure views: uploaded files, health check, error pages."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render

from podium.base.permissions import public

INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}


@public
def serve_media(request, path: str):
    """Serve an uploaded file. Images (re-encoded on upload) inline, everything else as a download."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
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
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def forbidden(request, exception=None):
    return render(request, "base/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "base/404.html", status=404)
