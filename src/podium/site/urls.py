from django.urls import path

from podium.site.views import agenda, exports, feedback, home, live, notes, program, rooms, schedule, stars

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
    path("<slug:event>/live", live.live, name="live"),
    path("<slug:event>/rooms/now", rooms.rooms_now, name="rooms_now"),
    path("<slug:event>/rooms/<uuid:room>/now", rooms.room_now, name="room_now"),
    path("<slug:event>/stars/", stars.my_stars, name="my_stars"),
    path("<slug:event>/agenda/", agenda.agenda, name="agenda"),
    path("<slug:event>/agenda/calendar-link/", agenda.calendar_link, name="calendar_link"),
    path("<slug:event>/agenda/<str:token>.ics", exports.agenda_ics, name="agenda_ics"),
    path("<slug:event>/talk/<str:code>/note/", notes.note, name="note"),
    path("<slug:event>/talk/<str:code>/feedback/", feedback.feedback, name="feedback"),
    path("<slug:event>/notes/", notes.notes, name="notes"),
    path("<slug:event>/notes.md", notes.notes_markdown, name="notes_markdown"),
    path("<slug:event>/stars/merge/", stars.stars_merge, name="stars_merge"),
    path("<slug:event>/schedule/export/schedule.xml", exports.schedule_xml, name="export_xml"),
    path("<slug:event>/schedule/export/schedule.json", exports.schedule_json, name="export_json"),
    path("<slug:event>/schedule/export/schedule.ics", exports.schedule_ics, name="export_ics"),
    path("<slug:event>/schedule/export/starred.ics", exports.starred_ics, name="export_starred_ics"),
    path("<slug:event>/schedule/export/room/<uuid:room>.ics", exports.room_ics, name="export_room_ics"),
    path(
        "<slug:event>/schedule/export/speaker/<str:speaker>.ics",
        exports.speaker_ics,
        name="export_speaker_ics",
    ),
    path("<slug:event>/talk/<str:code>.ics", exports.talk_ics, name="export_talk_ics"),
]
