"""Outbox delivery through the Celery task sends each mail exactly once, even when a worker dies
mid-way or two workers run at the same moment. No worker runs here: the task function is called
directly, and the eager path (no broker) runs it in-process after commit."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.utils import timezone

from podium.base import background
from podium.mail import services, tasks
from podium.mail.models import MailStatus, OutboxMail
from podium.webhooks import tasks as webhook_tasks
from tests import factories
from tests.races import race


def _queue(event, to="a@example.org"):
    return services.queue_mail(
        to=to, template="password_reset", context={"user": factories.UserFactory(), "link": "x"}, event=event
    )


@pytest.fixture
def no_dispatch(settings):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False


@pytest.mark.parametrize("task", [tasks.deliver_mail, webhook_tasks.deliver_webhooks])
def test_delivery_tasks_are_acked_late_and_time_limited(task):
    assert task.acks_late is True
    assert task.soft_time_limit < task.time_limit
    # A run ends long before its claims go stale, so no second run sends what it is still sending.
    assert dt.timedelta(seconds=task.time_limit) < services.STALE_CLAIM


@pytest.mark.django_db
def test_deliver_mail_task_sends_a_row_whose_worker_died_exactly_once(event, no_dispatch):
    row = _queue(event)
    [claimed] = services._claim()  # a worker claims the row, then dies before sending
    assert claimed.pk == row.pk

    assert tasks.deliver_mail() == 0  # the claim is fresh: the worker might still be sending
    OutboxMail.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - services.STALE_CLAIM * 2)
    assert tasks.deliver_mail() == 1
    assert tasks.deliver_mail() == 0

    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.SENT, 1)


@pytest.mark.django_db
def test_deliver_mail_task_never_sends_a_sent_row_again(event, no_dispatch):
    row = _queue(event)
    assert tasks.deliver_mail(ids=[row.pk]) == 1
    OutboxMail.objects.filter(pk=row.pk).update(claimed_at=timezone.now() - dt.timedelta(days=1))

    assert tasks.deliver_mail(ids=[row.pk]) == 0
    assert tasks.deliver_mail() == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_without_a_broker_queued_mail_is_sent_after_commit_not_before(
    event, settings, django_capture_on_commit_callbacks
):
    assert settings.CELERY_TASK_ALWAYS_EAGER  # no broker configured in tests
    with django_capture_on_commit_callbacks(execute=True):
        row = _queue(event)
        assert mail.outbox == []  # nothing is sent before the commit

    row.refresh_from_db()
    assert row.status == MailStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_mail_is_sent_by_a_background_thread_not_the_committing_one(
    event, settings, monkeypatch
):
    """A slow SMTP server must not hold up the request that queued the mail."""
    settings.PODIUM_BACKGROUND_THREADS = True
    sent_in = []
    deliver = services.deliver

    def spy(*, ids=None):
        sent_in.append(threading.current_thread())
        return deliver(ids=ids)

    monkeypatch.setattr(services, "deliver", spy)
    row = _queue(event)
    background.wait()

    assert len(sent_in) == 1
    assert sent_in[0] is not threading.current_thread()
    row.refresh_from_db()
    assert row.status == MailStatus.SENT
    assert [m.to for m in mail.outbox] == [[row.to]]


@pytest.mark.django_db
def test_unreachable_broker_leaves_the_row_queued_for_the_next_run(
    event, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker is configured, and down

    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.deliver_mail, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        row = _queue(event)

    row.refresh_from_db()
    assert row.status == MailStatus.QUEUED
    monkeypatch.undo()
    assert tasks.deliver_mail() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_send_each_row_once(event, no_dispatch):
    rows = [_queue(event, to=f"p{i}@example.org") for i in range(8)]

    results = race(tasks.deliver_mail, tasks.deliver_mail)

    assert sum(results) == 8, results
    assert sorted(m.to[0] for m in mail.outbox) == sorted(row.to for row in rows)
    assert set(OutboxMail.objects.values_list("status", "attempts")) == {(MailStatus.SENT, 1)}
