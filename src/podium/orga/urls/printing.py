"""Back-office URLs of printing (door signs, speaker sheets, the program grid)."""

from django.urls import path

from podium.orga.views import printing

urlpatterns = [
    path("event/<slug:event>/print/", printing.index, name="printing"),
    path("event/<slug:event>/print/program.pdf", printing.program, name="printing_program"),
    path("event/<slug:event>/print/doors.pdf", printing.door_signs, name="printing_door_signs"),
    path("event/<slug:event>/print/door/<uuid:room>.pdf", printing.door_sign, name="printing_door_sign"),
    path(
        "event/<slug:event>/print/speaker/<str:speaker>.pdf", printing.speaker_sheet, name="printing_speaker"
    ),
]
