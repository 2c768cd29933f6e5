from io import StringIO

import pytest
from django.core import mail as django_mail
from django.core.management import CommandError, call_command

from podium.campaigns import sending, services

pytestmark = pytest.mark.django_db


def test_send_resumes_a_sending_campaign(campaign, drafter, approver, sender, monkeypatch):
    monkeypatch.setattr(sending, "sleep", lambda seconds: None)
    services.submit_campaign(campaign=campaign, by=drafter)
    services.approve_campaign(campaign=campaign, by=approver)
    services.send_campaign(campaign=campaign, by=sender)  # its sender never started (no commit)
    out = StringIO()

    call_command("campaigns", "send", "--campaign", str(campaign.pk), stdout=out)

    assert f"campaign {campaign.pk}: released 3 mail(s)" in out.getvalue()
    assert len(django_mail.outbox) == 3


def test_send_with_nothing_sending_says_so(db):
    out = StringIO()
    call_command("campaigns", "send", stdout=out)
    assert "no campaign is sending" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("campaigns", "send", "--campaign", "999")
