"""Organiser spreadsheets of the latest release: sessions.csv and speakers.csv.

They hold what the public does not see (each proposal's current state, speakers' e-mail addresses),
so only the event's schedulers and event editors get them, rendered fresh on every request.
"""

from django.http import Http404, HttpResponse
from django.utils.cache import add_never_cache_headers

from podium.interop import exporters
from podium.orga.access import event_permission
from podium.schedule.queries import latest_release

can_export = event_permission("can_schedule", "can_edit_event")


def _csv_response(request, fmt: str) -> HttpResponse:
    release = latest_release(request.event)
    if release is None:
        raise Http404("Nothing is released yet.")
    export = exporters.render(release, fmt)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    add_never_cache_headers(response)
    return response


@can_export
def sessions_csv(request, event):
    return _csv_response(request, "sessions-csv")


@can_export
def speakers_csv(request, event):
    return _csv_response(request, "speakers-csv")
