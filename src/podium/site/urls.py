from django.urls import path

from podium.site.views import home, program, schedule, stars

app_name = "site"
urlpatterns = [
    path("", home.index, name="index"),
    path("<slug:event>/", home.event_home, name="event"),
    path("<slug:event>/tracks.css", home.tracks_css, name="tracks_css"),
    path("<slug:event>/schedule/", schedule.schedule, name="schedule"),
    path("<slug:event>/talks/", program.talks, name="talks"),
    path("<slug:event>/talk/<str:code>/", program.talk, name="talk"),
    path("<slug:event>/talk/<str:code>/star/", stars.star, name="star"),
    path("<slug:event>/speakers/", program.speakers, name="speakers"),
    path("<slug:event>/speaker/<str:speaker>/", program.speaker, name="speaker"),
    path("<slug:event>/releases/", program.releases, name="releases"),
    path("<slug:event>/stars/", stars.my_stars, name="my_stars"),
    path("<slug:event>/stars/merge/", stars.stars_merge, name="stars_merge"),
]
