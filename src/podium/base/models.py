"""Cross-cutting records: the audit log.

`base` never imports domain apps. Audit entries point at their object through the contenttypes
framework and carry the event's id as a plain column, so event pages can list them cheaply.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AuditEntry(models.Model):
    """Who changed what, when, from which value to which (append-only)."""

    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    event_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=80)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True, default="")
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action}"
