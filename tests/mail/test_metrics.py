"""The outbox's figures for /metrics."""

import datetime as dt

import pytest
from django.utils import timezone

from podium.mail.metrics import outbox_figures
from podium.mail.models import MailStatus, OutboxMail


def _figures() -> dict:
    return {(figure.name, figure.labels["status"]): figure.value for figure in outbox_figures()}


def _mail(status, minutes_ago: int):
    mail = OutboxMail.objects.create(to="a@example.org", subject="s", body="b", template="t", status=status)
    OutboxMail.objects.filter(pk=mail.pk).update(created=timezone.now() - dt.timedelta(minutes=minutes_ago))


@pytest.mark.django_db
def test_counts_and_oldest_age_by_state(django_assert_num_queries):
    _mail(MailStatus.QUEUED, 10)
    _mail(MailStatus.QUEUED, 2)
    _mail(MailStatus.HELD, 60)
    _mail(MailStatus.SENT, 600)  # done: not watched

    with django_assert_num_queries(1):
        figures = _figures()

    assert figures[("podium_outbox_mails", "queued")] == 2
    assert figures[("podium_outbox_mails", "held")] == 1
    assert figures[("podium_outbox_mails", "failed")] == 0
    assert ("podium_outbox_mails", "sent") not in figures
    assert 599 <= figures[("podium_outbox_oldest_seconds", "queued")] <= 660
    assert figures[("podium_outbox_oldest_seconds", "sending")] == 0
