"""The outbox's figures for /metrics (registered in apps.py): mails waiting by state and the oldest's age."""

from podium.base.metrics import Figure, queue_figures
from podium.mail.models import MailStatus, OutboxMail

# The states an operator watches: held for review, waiting to be sent, being sent, given up on.
WATCHED = (MailStatus.HELD, MailStatus.QUEUED, MailStatus.SENDING, MailStatus.FAILED)


def outbox_figures() -> list[Figure]:
    """How many mails are in each watched state and how old the oldest is (seconds; 0 when none): one query."""
    return queue_figures(
        OutboxMail.objects.all(),
        states=WATCHED,
        count=("podium_outbox_mails", "Mails in the outbox, by state."),
        oldest=("podium_outbox_oldest_seconds", "Age of the oldest mail in each state."),
    )
