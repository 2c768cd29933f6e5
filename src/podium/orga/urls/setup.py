"""Event set-up and team routes."""

from django.urls import path

from podium.orga.views import setup, teams

urlpatterns = [
    path("event/<slug:event>/settings/", setup.event_settings, name="event_settings"),
    path("organiser/<slug:organiser>/events/new/", setup.event_new, name="event_new"),
    path("event/<slug:event>/rooms/", setup.rooms, name="rooms"),
    path("event/<slug:event>/rooms/new/", setup.room_new, name="room_new"),
    path("event/<slug:event>/rooms/<int:pk>/", setup.room_edit, name="room_edit"),
    path("event/<slug:event>/rooms/<int:pk>/delete/", setup.room_delete, name="room_delete"),
    path("event/<slug:event>/tracks/", setup.tracks, name="tracks"),
    path("event/<slug:event>/tracks/new/", setup.track_new, name="track_new"),
    path("event/<slug:event>/tracks/<int:pk>/", setup.track_edit, name="track_edit"),
    path("event/<slug:event>/tracks/<int:pk>/delete/", setup.track_delete, name="track_delete"),
    path("event/<slug:event>/session-types/", setup.session_types, name="session_types"),
    path("event/<slug:event>/session-types/new/", setup.session_type_new, name="session_type_new"),
    path("event/<slug:event>/session-types/<int:pk>/", setup.session_type_edit, name="session_type_edit"),
    path(
        "event/<slug:event>/session-types/<int:pk>/delete/",
        setup.session_type_delete,
        name="session_type_delete",
    ),
    path("organiser/<slug:organiser>/teams/", teams.teams, name="teams"),
    path("organiser/<slug:organiser>/teams/new/", teams.team_new, name="team_new"),
    path("organiser/<slug:organiser>/teams/<int:pk>/", teams.team_edit, name="team_edit"),
    path(
        "organiser/<slug:organiser>/teams/<int:pk>/invite/", teams.team_invite_send, name="team_invite_send"
    ),
    path(
        "organiser/<slug:organiser>/teams/<int:pk>/members/remove/",
        teams.team_member_remove,
        name="team_member_remove",
    ),
]
