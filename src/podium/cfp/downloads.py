"""An answer's file as a download: never shown inline, never sniffed, sandboxed."""

import mimetypes

from django.http import FileResponse, Http404

from podium.cfp.models import Answer


def file_response(answer: Answer) -> FileResponse:
    """The file of `answer` (the caller decided who may have it), under the name it was uploaded with."""
    if not answer.file:
        raise Http404
    try:
        handle = answer.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(answer.file.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type, as_attachment=True, filename=answer.display)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
