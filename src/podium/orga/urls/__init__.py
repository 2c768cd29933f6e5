"""Back-office URLs. Each area keeps its routes in its own module of this package."""

from django.urls import path

from podium.orga.urls import (
    campaigns,
    checkin,
    contacts,
    dayof,
    interop,
    letters,
    mail_templates,
    printing,
    program_extras,
    questions,
    registration,
    review,
    schedule,
    seats,
    setup,
    sponsors,
    tokens,
    webhooks,
)
from podium.orga.views import dashboard

app_name = "orga"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("invite/<str:token>/", dashboard.team_invite, name="team_invite"),
    path("organisers/new/", dashboard.organiser_new, name="organiser_new"),
    path("organiser/<slug:organiser>/", dashboard.organiser, name="organiser"),
    path("event/<slug:event>/", dashboard.event_dashboard, name="event"),
    *setup.urlpatterns,
    *questions.urlpatterns,
    *review.urlpatterns,
    *schedule.urlpatterns,
    *dayof.urlpatterns,
    *interop.urlpatterns,
    *webhooks.urlpatterns,
    *tokens.urlpatterns,
    *printing.urlpatterns,
    *registration.urlpatterns,
    *checkin.urlpatterns,
    *seats.urlpatterns,
    *letters.urlpatterns,
    *campaigns.urlpatterns,
    *contacts.urlpatterns,
    *mail_templates.urlpatterns,
    *sponsors.urlpatterns,
    *program_extras.urlpatterns,
]
