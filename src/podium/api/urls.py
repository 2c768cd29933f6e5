"""The API's URLs: the NinjaAPI's routes, each wrapped for Idempotency-Key handling of write calls."""

from django.urls import URLPattern, path

from podium.api.idempotency import idempotent
from podium.api.main import api


def _wrapped(patterns):
    return [
        path(str(entry.pattern), idempotent(entry.callback), name=entry.name)
        if isinstance(entry, URLPattern)
        else entry
        for entry in patterns
    ]


_patterns, _app, _namespace = api.urls
app_name = "api"
urlpatterns = _wrapped(_patterns)
