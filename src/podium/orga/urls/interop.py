"""Back-office URLs of interop (filled in by its views)."""

from django.urls import path

from podium.orga.views import exports, imports

urlpatterns = [
    path("event/<slug:event>/exports/sessions.csv", exports.sessions_csv, name="export_sessions_csv"),
    path("event/<slug:event>/exports/speakers.csv", exports.speakers_csv, name="export_speakers_csv"),
    path("event/<slug:event>/import/", imports.event_import, name="event_import"),
    path("event/<slug:event>/import/apply/", imports.event_import_apply, name="event_import_apply"),
]
