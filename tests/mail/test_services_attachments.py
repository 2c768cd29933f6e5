"""Mail attachments are stored with the outbox row and sent with the mail."""

import pytest
from django.core import mail

from podium.mail import services
from podium.mail.models import MailStatus
from tests import factories

pytestmark = pytest.mark.django_db

ICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def _queue(event, attachments):
    user = factories.UserFactory()
    return services.queue_mail(
        to="a@example.org",
        template="password_reset",
        context={"user": user, "link": "x"},
        event=event,
        attachments=attachments,
    )


def test_attachment_keeps_text_and_drops_the_charset_parameter():
    file = services.attachment(
        filename="a.ics", content=ICS.encode(), content_type="text/calendar; charset=utf-8"
    )

    assert file == {"filename": "a.ics", "content_type": "text/calendar", "content": ICS}


def test_queued_mail_sends_its_attachments(event, settings):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    row = _queue(event, [services.attachment(filename="talk.ics", content=ICS, content_type="text/calendar")])

    assert services.deliver() == 1

    [sent] = mail.outbox
    assert sent.attachments == [("talk.ics", ICS, "text/calendar")]
    assert "text/calendar" in sent.message().as_string()
    row.refresh_from_db()
    assert row.status == MailStatus.SENT


def test_mail_without_attachments_is_plain(event, settings):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    _queue(event, None)

    services.deliver()

    assert mail.outbox[0].attachments == []


def test_a_binary_attachment_is_stored_in_base64_and_sent_as_bytes(event, settings):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    pdf = b"%PDF-1.4\n\x00\xff\xfe binary\n%%EOF"
    file = services.attachment(filename="ticket.pdf", content=pdf, content_type="application/pdf")
    row = _queue(event, [file])

    assert (file["encoding"], file["content_type"]) == ("base64", "application/pdf")
    assert services.deliver() == 1

    [sent] = mail.outbox
    assert sent.attachments == [("ticket.pdf", pdf, "application/pdf")]
    row.refresh_from_db()
    assert row.attachments == [file]


@pytest.fixture
def maker():
    """A maker registered for the test: it makes a file from a number, or fails for a missing one."""
    made = []

    def make(number: int) -> bytes:
        if number < 0:
            raise LookupError(f"nothing numbered {number}")
        made.append(number)
        return b"%PDF-1.4 number " + str(number).encode()

    services.register_attachment_maker("test.numbered", make)
    yield made
    services._MAKERS.pop("test.numbered")


def test_a_made_attachment_is_stored_as_what_to_make_and_made_when_sent(event, settings, maker):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    file = services.made_attachment(
        filename="n.pdf", content_type="application/pdf", maker="test.numbered", number=7
    )
    row = _queue(event, [file])

    row.refresh_from_db()
    assert row.attachments == [
        {
            "filename": "n.pdf",
            "content_type": "application/pdf",
            "maker": "test.numbered",
            "params": {"number": 7},
        }
    ]
    assert maker == []  # nothing made while it waits
    assert services.deliver() == 1

    [sent] = mail.outbox
    assert sent.attachments == [("n.pdf", b"%PDF-1.4 number 7", "application/pdf")]
    assert maker == [7]


def test_a_mail_whose_file_cannot_be_made_is_never_sent_without_it(event, settings, maker):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    file = services.made_attachment(
        filename="n.pdf", content_type="application/pdf", maker="test.numbered", number=-1
    )
    row = _queue(event, [file])

    for _ in range(services.MAX_ATTEMPTS):
        assert services.deliver() == 0

    assert mail.outbox == []
    row.refresh_from_db()
    assert (row.status, row.attempts) == (MailStatus.FAILED, services.MAX_ATTEMPTS)
    assert "nothing numbered -1" in row.last_error


def test_an_unknown_maker_is_refused_when_the_mail_is_queued():
    with pytest.raises(LookupError, match=r"registered as 'no\.such'"):
        services.made_attachment(filename="x.pdf", content_type="application/pdf", maker="no.such")
