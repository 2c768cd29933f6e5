"""The outbox's figures for /metrics (registered in apps.py): mails waiting by state and the oldest's age."""

from django.db.models import Count, Min
from django.utils import timezone

from podium.base.metrics import Figure
from podium.mail.models import MailStatus, OutboxMail

# The states an operator watches: held for review, waiting to be sent, being sent, given up on.
WATCHED = (MailStatus.HELD, MailStatus.QUEUED, MailStatus.SENDING, MailStatus.FAILED)


def outbox_figures() -> list[Figure]:
    """How many mails are in each watched state and how old the oldest is (seconds; 0 when none): one query."""
    now = timezone.now()
    rows = {
        row["status"]: row
        for row in OutboxMail.objects.filter(status__in=WATCHED)
        .order_by()
        .values("status")
        .annotate(count=Count("id"), oldest=Min("created"))
    }
    figures = []
    for status in WATCHED:
        row = rows.get(status.value, {"count": 0, "oldest": None})
        age = (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0
        labels = {"status": status.value}
        figures.append(Figure("podium_outbox_mails", "Mails in the outbox, by state.", row["count"], labels))
        figures.append(
            Figure(
                "podium_outbox_oldest_seconds", "Age of the oldest mail in each state.", max(age, 0.0), labels
            )
        )
    return figures
