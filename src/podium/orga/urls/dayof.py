"""Day-of routes: the phone-friendly page for changes during the conference."""

from django.urls import path

from podium.orga.views import dayof

urlpatterns = [
    path("event/<slug:event>/day-of/", dayof.board, name="dayof"),
    path("event/<slug:event>/day-of/change/", dayof.change, name="dayof_change"),
]
