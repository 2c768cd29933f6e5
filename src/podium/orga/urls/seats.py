"""Back-office URLs of the seats at sessions that need one: the sessions, their people, a session's seats."""

from django.urls import path

from podium.orga.views import seats

urlpatterns = [
    path("event/<slug:event>/seats/", seats.seat_sessions, name="seats"),
    path("event/<slug:event>/seats/<str:code>/", seats.seat_session, name="seat_session"),
    path("event/<slug:event>/seats/<str:code>/people.csv", seats.seat_session_csv, name="seat_session_csv"),
    path("event/<slug:event>/seats/<str:code>/capacity/", seats.seat_capacity, name="seat_capacity"),
]
