"""A refused address fails its mail at once and is recorded as a bounce; other failures are retried;
campaigns skip bounced addresses while transactional mail still goes to them."""

import smtplib

import pytest
from django.core import mail as django_mail

from podium.mail.models import Bounce, MailStatus, OutboxMail
from podium.mail.services import deliver, queue_mail, record_bounce
from tests import factories

pytestmark = pytest.mark.django_db


def _queued(to="ada@example.org"):
    return OutboxMail.objects.create(to=to, subject="s", body="b", template="t", status=MailStatus.QUEUED)


def _failing(monkeypatch, exc):
    def send(self, messages):
        raise exc

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", send)


def test_a_refused_recipient_fails_at_once_and_is_recorded(monkeypatch):
    mail = _queued("Ada@Example.org")
    _failing(monkeypatch, smtplib.SMTPRecipientsRefused({"Ada@Example.org": (550, b"5.1.1 user unknown")}))

    assert deliver() == 0

    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.FAILED, 1)
    assert "550 5.1.1 user unknown" in mail.last_error
    bounce = Bounce.objects.get()
    assert (bounce.address, bounce.source, bounce.mail) == ("ada@example.org", Bounce.Source.SMTP, mail)


def test_another_failure_is_retried_and_records_no_bounce(monkeypatch):
    mail = _queued()
    _failing(monkeypatch, smtplib.SMTPServerDisconnected("gone"))

    deliver()

    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.QUEUED, 1)
    assert not Bounce.objects.exists()


def test_transactional_mail_still_goes_to_a_bounced_address(event, django_capture_on_commit_callbacks):
    record_bounce(address="ada@example.org", source=Bounce.Source.REPORT)

    with django_capture_on_commit_callbacks(execute=True):
        queue_mail(
            to="ada@example.org",
            template="password_reset",
            context={"link": "https://x", "user": factories.UserFactory(email="ada@example.org")},
            event=event,
        )

    assert [m.to for m in django_mail.outbox] == [["ada@example.org"]]


def test_record_bounce_refuses_no_address():
    with pytest.raises(ValueError, match="Not an e-mail address"):
        record_bounce(address="  ", source=Bounce.Source.REPORT)
