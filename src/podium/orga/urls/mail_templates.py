"""The routes of the event's system mails (their texts, the preview, the reset)."""

from django.urls import path

from podium.orga.views import mail_templates

urlpatterns = [
    path("event/<slug:event>/mail/system/", mail_templates.system_mails, name="system_mails"),
    path("event/<slug:event>/mail/system/<slug:key>/", mail_templates.system_mail, name="system_mail"),
    path(
        "event/<slug:event>/mail/system/<slug:key>/reset/",
        mail_templates.system_mail_reset,
        name="system_mail_reset",
    ),
]
