"""The API's URLs: the NinjaAPI's routes (write operations handle Idempotency-Key themselves)."""

from podium.api.main import api

_patterns, _app, _namespace = api.urls
app_name = "api"
urlpatterns = _patterns
