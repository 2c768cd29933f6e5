"""Check-in routes: the desk page with its JSON, badges and the live figures."""

from django.urls import path

from podium.orga.views import checkin

urlpatterns = [
    path("event/<slug:event>/checkin/", checkin.desk, name="checkin"),
    path("event/<slug:event>/checkin/scan/", checkin.scan, name="checkin_scan"),
    path("event/<slug:event>/checkin/attendees.json", checkin.attendees, name="checkin_attendees"),
    path("event/<slug:event>/checkin/sync/", checkin.sync, name="checkin_sync"),
    path("event/<slug:event>/checkin/badges.pdf", checkin.badges, name="checkin_badges"),
    path("event/<slug:event>/checkin/figures/", checkin.figures, name="checkin_figures"),
]
