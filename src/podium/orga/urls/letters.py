"""Back-office URLs of visa letters: the requests, one request with its decision, the letter's PDF."""

from django.urls import path

from podium.orga.views import letters

urlpatterns = [
    path("event/<slug:event>/letters/", letters.letters, name="letters"),
    path("event/<slug:event>/letters/<int:letter>/", letters.letter, name="letter"),
    path("event/<slug:event>/letters/<int:letter>/letter.pdf", letters.letter_pdf, name="letter_pdf"),
]
