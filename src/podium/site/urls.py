from django.urls import path

from podium.site import views

app_name = "site"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:event>/", views.event_home, name="event"),
]
