from django.urls import include, path

from podium.base import views as base_views

urlpatterns = [
    path("accounts/", include("podium.accounts.urls")),
    path("orga/", include("podium.orga.urls")),
    path("api/v1/", include("podium.api.urls")),
    path("media/<path:path>", base_views.serve_media, name="media"),
    path("favicon.ico", base_views.favicon, name="favicon"),
    path("healthz", base_views.healthz, name="healthz"),
    path("readyz", base_views.readyz, name="readyz"),
    path("metrics", base_views.metrics_view, name="metrics"),
    path("<slug:event>/", include("podium.cfp.urls")),
    path("", include("podium.site.urls")),
]

handler403 = "podium.base.views.forbidden"
handler404 = "podium.base.views.not_found"
