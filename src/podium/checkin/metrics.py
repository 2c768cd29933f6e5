"""The doors' figure for /metrics (registered in apps.py): check-ins scanned in the last minute."""

import datetime as dt

from django.utils import timezone

from podium.base.metrics import Figure
from podium.checkin.models import CheckIn


def checkin_figures() -> list[Figure]:
    """Tickets checked in during the last minute over every event (by the desks' scan time), one query."""
    since = timezone.now() - dt.timedelta(minutes=1)
    count = CheckIn.objects.filter(scanned_at__gte=since).count()
    return [Figure("podium_checkins_last_minute", "Tickets checked in during the last minute.", count)]
