"""Back-office URLs of API tokens (a user's own, per organiser)."""

from django.urls import path

from podium.orga.views import tokens

urlpatterns = [
    path("organiser/<slug:organiser>/tokens/", tokens.api_tokens, name="api_tokens"),
    path("organiser/<slug:organiser>/tokens/revoke/", tokens.api_token_revoke, name="api_token_revoke"),
]
