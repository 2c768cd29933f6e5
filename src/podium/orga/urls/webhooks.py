"""Back-office URLs of webhooks."""

from django.urls import path

from podium.orga.views import webhooks

urlpatterns = [
    path("event/<slug:event>/webhooks/", webhooks.webhooks, name="webhooks"),
    path("event/<slug:event>/webhooks/new/", webhooks.webhook_new, name="webhook_new"),
    path("event/<slug:event>/webhooks/<int:pk>/", webhooks.webhook_edit, name="webhook_edit"),
    path("event/<slug:event>/webhooks/<int:pk>/delete/", webhooks.webhook_delete, name="webhook_delete"),
    path("event/<slug:event>/webhooks/<int:pk>/ping/", webhooks.webhook_ping, name="webhook_ping"),
    path(
        "event/<slug:event>/webhooks/<int:pk>/secret/",
        webhooks.webhook_rotate_secret,
        name="webhook_rotate_secret",
    ),
    path(
        "event/<slug:event>/webhooks/<int:pk>/deliveries/",
        webhooks.webhook_deliveries,
        name="webhook_deliveries",
    ),
]
