from django.urls import path

from podium.site import views

app_name = "site"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:event>/", views.event_home, name="event"),
    path("<slug:event>/tracks.css", views.tracks_css, name="tracks_css"),
]
