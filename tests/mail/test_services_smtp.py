"""The outbox delivered over a real SMTP connection, configured as a deployment configures it
(PODIUM_SMTP_HOST, _PORT, _USER, _PASSWORD; STARTTLS on by default): a `podium` process sends to an SMTP
server (aiosmtpd, in this process) that requires STARTTLS and a log-in. Each message arrives as written
(its sender, recipient, subject and body, accents and quotes included); an address the server refuses
fails its mail at once and is recorded as a bounce, from the server's own answer."""

import email
import email.policy
import json
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests import served

PODIUM = str(Path(sys.executable).with_name("podium"))
USER, PASSWORD = "program@example.org", "smtp-secret-&-%"
SUBJECT = 'Zusage: „Q&A: Don\'t "panic"" – Café 🎤'
BODY = "Hallo Zoë,\n\nyour talk <Q&A> is in Hall A at 10:00.\n\n-- \nThe program committee\n"

SCRIPT = """
import json
from podium.mail.models import Bounce, MailStatus, OutboxMail
from podium.mail.services import deliver
for to in ("zoe@example.org", "nobody@refused.example.org"):
    OutboxMail.objects.create(to=to, subject=SUBJECT, body=BODY, template="t", status=MailStatus.QUEUED)
sent = deliver()
print(json.dumps({
    "sent": sent,
    "rows": {m.to: [m.status, m.attempts, m.last_error] for m in OutboxMail.objects.all()},
    "bounces": [[b.address, b.source, b.reason] for b in Bounce.objects.all()],
}))
"""


class _Inbox:
    """aiosmtpd's handler: refuses one domain's recipients as a real server would, keeps the rest."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802  aiosmtpd's hook
        if address.endswith("@refused.example.org"):
            return f"550 5.1.1 <{address}>: user unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  aiosmtpd's hook
        # No message without TLS: STARTTLS is required, or the port speaks only TLS.
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login, auth_data.password))
        good = (auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode())
        return AuthResult(success=good, handled=False)  # a failure answered "535 … invalid"


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (which the `podium` process is told to trust)."""
    cert, key = folder / "smtp.crt", folder / "smtp.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
        timeout=60,
    )  # fmt: skip
    return cert, key


def _server(tmp_path, *, implicit_tls: bool = False):
    """An SMTP server on a free port that requires TLS (STARTTLS, or from the first byte) and a log-in."""
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox = _Inbox()
    if implicit_tls:  # every byte is encrypted; aiosmtpd knows TLS only from STARTTLS, so it is told
        tls = {"ssl_context": context, "auth_require_tls": False}
    else:
        tls = {"tls_context": context, "require_starttls": True, "auth_require_tls": True}
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=served.free_port(),
        authenticator=inbox.authenticate,
        auth_required=True,
        **tls,
    )
    controller.start()
    return controller, inbox, cert


@pytest.fixture
def smtp_server(tmp_path):
    controller, inbox, cert = _server(tmp_path)
    yield controller, inbox, cert
    controller.stop()


def _send_outbox(tmp_path, controller, cert, **settings) -> dict:
    """Two queued mails (one to an address the server refuses) sent by a `podium` process."""
    env = served.clean_env(
        served.migrated(tmp_path / "data"),
        **{
            "PODIUM_SMTP_HOST": "127.0.0.1",
            "PODIUM_SMTP_PORT": str(controller.port),
            "PODIUM_SMTP_USER": USER,
            "PODIUM_SMTP_PASSWORD": PASSWORD,
            "PODIUM_MAIL_FROM": "Program Committee <program@example.org>",
            # Python's default context trusts this server, as a real server's certificate is trusted.
            "SSL_CERT_FILE": str(cert),
            **settings,
        },
    )
    script = f"SUBJECT, BODY = {SUBJECT!r}, {BODY!r}\n{SCRIPT}"
    result = subprocess.run(
        [PODIUM, "shell", "--no-imports", "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _assert_delivered(inbox, outcome) -> None:
    assert inbox.logins == [(USER.encode(), PASSWORD.encode())] * 2  # a connection per mail
    ((sender, recipients, raw),) = inbox.messages
    assert (sender, recipients) == ("program@example.org", ["zoe@example.org"])
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["From"] == "Program Committee <program@example.org>"
    assert message["To"] == "zoe@example.org"
    # Folded after "Subject:" (the encoded words do not fit on its line): the unfolded value starts with
    # the folding's space, which readers drop.
    assert message["Subject"].lstrip() == SUBJECT
    assert message.get_content().replace("\r\n", "\n") == BODY  # lines end in CRLF on the wire
    assert outcome["sent"] == 1
    assert outcome["rows"]["zoe@example.org"] == ["sent", 1, ""]
    status, attempts, error = outcome["rows"]["nobody@refused.example.org"]
    assert (status, attempts) == ("failed", 1)
    assert "550 5.1.1 <nobody@refused.example.org>: user unknown" in error
    ((address, source, reason),) = outcome["bounces"]
    assert (address, source) == ("nobody@refused.example.org", "smtp")
    assert "user unknown" in reason


def test_the_outbox_goes_out_over_starttls_with_a_log_in_and_a_refusal_is_a_bounce(tmp_path, smtp_server):
    controller, inbox, cert = smtp_server

    _assert_delivered(inbox, _send_outbox(tmp_path, controller, cert))


# aiosmtpd's warning for its own set-up: here the whole connection is TLS (it sees TLS only from STARTTLS).
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_with_ssl_on_the_outbox_goes_out_over_tls_from_the_first_byte(tmp_path):
    """PODIUM_SMTP_SSL=true alone (its STARTTLS default off): once every send failed on both being on."""
    controller, inbox, cert = _server(tmp_path, implicit_tls=True)
    try:
        outcome = _send_outbox(tmp_path, controller, cert, PODIUM_SMTP_SSL="true")
    finally:
        controller.stop()

    _assert_delivered(inbox, outcome)


def test_a_wrong_password_sends_nothing_and_keeps_the_mail_for_a_retry(tmp_path, smtp_server):
    controller, inbox, cert = smtp_server

    outcome = _send_outbox(tmp_path, controller, cert, PODIUM_SMTP_PASSWORD="not-the-password")

    assert inbox.messages == []
    assert outcome["sent"] == 0
    for status, attempts, error in outcome["rows"].values():
        assert (status, attempts) == ("queued", 1)  # retried later (MAX_ATTEMPTS), not lost
        assert "535" in error  # the server's "authentication failed"
    assert outcome["bounces"] == []  # a log-in failure is not the address's fault
