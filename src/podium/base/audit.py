"""Write audit entries. Called by services inside their transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from podium.base.models import AuditEntry


def record(
    *, action: str, actor=None, target: models.Model | None = None, event_id=None, **data
) -> AuditEntry:
    """Append one audit entry for `target` (any model instance)."""
    content_type = ContentType.objects.get_for_model(target) if target is not None else None
    return AuditEntry.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        event_id=event_id,
        content_type=content_type,
        object_id=str(target.pk) if target is not None else "",
        data=data,
    )


def history_for(target: models.Model):
    """Audit entries of one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor")
