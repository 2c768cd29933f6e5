from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from podium.mail.models import Bounce

pytestmark = pytest.mark.django_db


def test_bounce_records_a_reported_bounce_lower_cased():
    out = StringIO()

    call_command("mail", "bounce", " Ada@Example.ORG ", "--reason", "550 mailbox unknown", stdout=out)

    bounce = Bounce.objects.get()
    assert (bounce.address, bounce.source, bounce.reason) == (
        "ada@example.org",
        Bounce.Source.REPORT,
        "550 mailbox unknown",
    )
    assert "ada@example.org" in out.getvalue()


def test_bounce_refuses_what_is_no_address():
    with pytest.raises(CommandError):
        call_command("mail", "bounce", "nobody")
    assert not Bounce.objects.exists()
