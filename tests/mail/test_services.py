import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from podium.mail import services
from podium.mail.models import MailStatus, OutboxMail
from tests import factories

pytestmark = pytest.mark.django_db


def _queue(event, held=False, to="a@example.org"):
    return services.queue_mail(
        to=to,
        template="team_invite",
        event=event,
        held=held,
        context={
            "team": event.organiser.teams.first() or _team(event),
            "inviter": factories.UserFactory(),
            "link": "x",
        },
    )


def _team(event):
    from podium.events.models import Team

    return Team.objects.create(organiser=event.organiser, name="T")


def test_queued_mail_is_sent_after_commit_exactly_once(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = _queue(event)

    row.refresh_from_db()
    assert row.status == MailStatus.SENT
    assert len(mail.outbox) == 1
    assert services.deliver() == 0  # nothing left to send
    assert len(mail.outbox) == 1


def test_held_mail_waits_until_released(event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = _queue(event, held=True)
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        services.release_held(mails=OutboxMail.objects.filter(pk=row.pk))

    row.refresh_from_db()
    assert row.status == MailStatus.SENT
    assert len(mail.outbox) == 1


def test_failed_delivery_is_kept_and_retried(event, settings, monkeypatch):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    row = _queue(event)

    def broken_send(self, fail_silently=False):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken_send)
    assert services.deliver() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (MailStatus.QUEUED, 1, "smtp down")

    monkeypatch.undo()
    assert services.deliver() == 1
    row.refresh_from_db()
    assert row.status == MailStatus.SENT


def test_stale_claim_is_retried_but_fresh_claim_is_not(event, settings):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    fresh, stale = _queue(event, to="fresh@example.org"), _queue(event, to="stale@example.org")
    OutboxMail.objects.filter(pk=fresh.pk).update(status=MailStatus.SENDING, claimed_at=timezone.now())
    OutboxMail.objects.filter(pk=stale.pk).update(
        status=MailStatus.SENDING, claimed_at=timezone.now() - dt.timedelta(hours=1)
    )

    assert services.deliver() == 1
    assert [m.to for m in mail.outbox] == [["stale@example.org"]]


def test_discard_held_drops_only_that_subject(event):
    user = factories.UserFactory()
    context = {"user": user, "link": "x"}
    a = services.queue_mail(
        to="a@example.org",
        template="password_reset",
        context=context,
        event=event,
        about="decision:1",
        held=True,
    )
    b = services.queue_mail(
        to="b@example.org",
        template="password_reset",
        context=context,
        event=event,
        about="decision:2",
        held=True,
    )

    assert services.discard_held(about="decision:1", event=event) == 1
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == (MailStatus.DISCARDED, MailStatus.HELD)


@pytest.mark.parametrize(
    "address",
    ["lisa-1a2b@imported.invalid", "erased-00ff@erased.invalid", "Someone@Example.INVALID", "x@y.invalid."],
)
def test_mail_to_a_reserved_invalid_address_is_stored_discarded_and_never_sent(
    event, address, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = services.queue_mail(
            to=address,
            template="password_reset",
            context={"user": factories.UserFactory(name="Lisa"), "link": "https://podium.test/x"},
            event=event,
        )
        held = services.queue_mail(
            to=address,
            template="password_reset",
            context={"user": factories.UserFactory(name="Lisa"), "link": "https://podium.test/x"},
            event=event,
            held=True,
        )
        services.release_held(mails=OutboxMail.objects.filter(pk=held.pk))

    assert services.deliver() == 0
    assert {r.status for r in OutboxMail.objects.filter(pk__in=[row.pk, held.pk])} == {MailStatus.DISCARDED}
    assert mail.outbox == []


def test_an_address_that_only_looks_invalid_is_delivered():
    assert not services.undeliverable("invalid@example.org")
    assert not services.undeliverable("someone@invalid.example.org")
