"""Outbox delivery through the Celery task sends each mail exactly once, even when a worker dies
mid-way or two workers run at the same moment. No worker runs here: the task function is called
directly, and the eager path (no broker) runs it in-process after commit."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

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
def test_queued_mail_goes_through_the_eager_task_after_commit(
    event, settings, django_capture_on_commit_callbacks
):
    assert settings.CELERY_TASK_ALWAYS_EAGER  # no broker configured in tests
    calls = []
    original = tasks.deliver_mail.run

    def spy(ids=None):
        calls.append(ids)
        return original(ids=ids)

    tasks.deliver_mail.run = spy
    try:
        with django_capture_on_commit_callbacks(execute=True):
            row = _queue(event)
            assert mail.outbox == []  # nothing is sent before the commit
    finally:
        tasks.deliver_mail.run = original

    assert calls == [[row.pk]]
    row.refresh_from_db()
    assert row.status == MailStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_unreachable_broker_leaves_the_row_queued_for_the_next_run(
    event, monkeypatch, django_capture_on_commit_callbacks
):
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
