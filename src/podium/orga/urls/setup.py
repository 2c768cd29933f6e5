"""Event set-up and team routes."""

from django.urls import path

from podium.orga.views import branding, setup, teams

urlpatterns = [
    path("event/<slug:event>/settings/", setup.event_settings, name="event_settings"),
    path("organiser/<slug:organiser>/events/new/", setup.event_new, name="event_new"),
    path("event/<slug:event>/rooms/", setup.rooms, name="rooms"),
    path("event/<slug:event>/tracks/", setup.tracks, name="tracks"),
    path("event/<slug:event>/session-types/", setup.session_types, name="session_types"),
    path("event/<slug:event>/pages/", setup.pages, name="pages"),
    path("event/<slug:event>/branding/", branding.branding_page, name="branding"),
    # Rooms, tracks, session types and pages share their new, edit and delete views (views/objects.py).
    *[
        route
        for prefix, kind in (
            ("rooms", "room"),
            ("tracks", "track"),
            ("session-types", "session_type"),
            ("pages", "page"),
        )
        for route in (
            path(f"event/<slug:event>/{prefix}/new/", setup.object_new, {"kind": kind}, name=f"{kind}_new"),
            path(
                f"event/<slug:event>/{prefix}/<int:pk>/",
                setup.object_edit,
                {"kind": kind},
                name=f"{kind}_edit",
            ),
            path(
                f"event/<slug:event>/{prefix}/<int:pk>/delete/",
                setup.object_delete,
                {"kind": kind},
                name=f"{kind}_delete",
            ),
        )
    ],
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
