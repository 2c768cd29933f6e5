"""Write mail to the outbox, release held mail, deliver queued mail.

Delivery is at-least-once towards the mail server and exactly-once in the outbox: a row is claimed
(`sending`) before the SMTP call and marked `sent` after it; a worker that dies mid-way leaves the row
claimed, and it is retried only after the claim has gone stale.

Mail to an address in the reserved `.invalid` domain (RFC 2606: imported speakers' placeholders,
erased people) is never sent: `queue_mail` stores it as discarded, so the outbox shows it was not.
"""

import base64
import datetime as dt
import logging
import smtplib
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template import Context, Engine
from django.utils import timezone, translation

from podium.base import background
from podium.base.translated import display
from podium.mail import system
from podium.mail.models import Bounce, MailStatus, OutboxMail

log = logging.getLogger(__name__)
STALE_CLAIM = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5


def undeliverable(address: str) -> bool:
    """True for an address no mail may go to: one in the reserved `.invalid` top-level domain."""
    return address.strip().lower().rstrip(".>").endswith(".invalid")


def _render_text(name: str, context: dict) -> str:
    """A plain-text template, rendered without HTML escaping.

    Mail subjects and text bodies are not HTML: a title "Q&A: Don't panic" must arrive as typed, not
    as "Q&amp;A: Don&#x27;t panic". This is the one place mail text is rendered, so no template needs
    its own `{% autoescape off %}`. An HTML part, should a mail ever get one, is rendered with the
    default (escaping) engine instead.
    """
    with display():  # an event's own texts in the language the mail is written in
        return Engine.get_default().get_template(name).render(Context(context, autoescape=False))


def recipient_language(*, to: str, user=None, event=None) -> str:
    """The language a mail to `to` is written in: the one its person chose (`user`'s, else that of the
    account with this address), else the event's default language, else the language active now (the
    request that caused it), which is LANGUAGE_CODE outside a request."""
    languages = dict(settings.LANGUAGES)
    chosen = getattr(user, "language", None)
    if user is None and to:
        chosen = (
            get_user_model()
            .objects.filter(email__iexact=to.strip())
            .values_list("language", flat=True)
            .first()
        )
    for language in (chosen, getattr(event, "default_language", None), translation.get_language()):
        if language in languages:
            return language
    return settings.LANGUAGE_CODE


def render(template: str, context: dict) -> tuple[str, str]:
    """Subject and plain-text body from mail/<template>.subject.txt and mail/<template>.txt.

    The subject is folded onto one line (a line break in a name or title cannot add a header).
    """
    ctx = {"base_url": settings.BASE_URL, **context}
    event = context.get("event")
    # Times in a mail about an event are the event's local times.
    with timezone.override(event.tz if event is not None else "UTC"):
        subject = " ".join(_render_text(f"mail/{template}.subject.txt", ctx).split())
        body = _render_text(f"mail/{template}.txt", ctx).strip() + "\n"
    return subject, body


def attachment(*, filename: str, content: bytes | str, content_type: str) -> dict:
    """One file to send with a mail, as stored in the outbox row: a text file (`text/…`, e.g. iCal) as
    its text, any other file given as bytes (e.g. a PDF ticket) in base64 with `"encoding": "base64"`."""
    # The charset parameter is the mail library's business (the text is always UTF-8).
    main_type = content_type.split(";")[0].strip()
    if isinstance(content, bytes) and not main_type.startswith("text/"):
        encoded = base64.b64encode(content).decode("ascii")
        return {"filename": filename, "content_type": main_type, "content": encoded, "encoding": "base64"}
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    return {"filename": filename, "content_type": main_type, "content": text}


# Files made when their mail is sent, by name (`made_attachment`); apps register theirs when ready.
_MAKERS: dict[str, Callable[..., bytes]] = {}


def register_attachment_maker(name: str, make: Callable[..., bytes]) -> None:
    """`make(**params)` returns the bytes of a file that mails carry as `made_attachment(maker=name)`."""
    _MAKERS[name] = make


def made_attachment(*, filename: str, content_type: str, maker: str, **params) -> dict:
    """A file made when the mail is sent, by the maker registered as `maker`, from `params` (JSON
    values such as a primary key): the outbox row keeps what to make, not the file. A ticket's PDF is
    made when it is sent, as it is then; a mail never sent (the demo's history) costs nothing.

    Sending fails, and is retried and in the end marked failed, when the file cannot be made (its
    ticket is gone): a mail that says a file is attached is never sent without it."""
    if maker not in _MAKERS:
        raise LookupError(f"No attachment maker is registered as {maker!r}.")
    return {"filename": filename, "content_type": content_type, "maker": maker, "params": params}


def attachment_content(item: dict) -> bytes | str:
    """The content of a stored attachment as it is sent: a made one made now, bytes for a base64 one,
    else its text."""
    if "maker" in item:
        return _MAKERS[item["maker"]](**item["params"])
    if item.get("encoding") == "base64":
        return base64.b64decode(item["content"])
    return item["content"]


def queue_mail(
    *,
    to: str,
    template: str,
    context: dict,
    event=None,
    user=None,
    about: str = "",
    held: bool = False,
    attachments: list[dict] | None = None,
    headers: dict[str, str] | None = None,
) -> OutboxMail:
    """Write one mail to the outbox. Queued mail is delivered after the surrounding transaction commits;
    mail to an undeliverable (`.invalid`) address is stored as discarded and never sent.

    `attachments` are dicts made by `attachment()`; they are stored with the row and sent with it, as
    are `headers` (e.g. List-Unsubscribe).
    """
    with translation.override(recipient_language(to=to, user=user, event=event)):
        subject, body = render(template, {"event": event, **context})
    return _queue_rendered(
        to=to,
        template=template,
        subject=subject,
        body=body,
        event=event,
        user=user,
        about=about,
        held=held,
        attachments=attachments,
        headers=headers,
    )


def queue_system_mail(
    *,
    key: str,
    to: str,
    event,
    values: dict,
    user=None,
    about: str = "",
    held: bool = False,
    attachments: list[dict] | None = None,
    text: tuple[str, str] | None = None,
) -> OutboxMail:
    """Write one of the editable system mails (`mail.system`, e.g. "decision_accepted") to the outbox,
    in the event's own words or the default, its placeholders filled with `values` in one pass.
    Otherwise as `queue_mail`; the row's `template` is the mail's key.

    `text` is the (subject, body) `system.text_for` gave, for a caller that writes this mail to many
    recipients and reads the event's text once."""
    with translation.override(recipient_language(to=to, user=user, event=event)), display():
        subject, body = text or system.text_for(event, key)
        subject, body = system.fill_text(str(subject), str(body), event=event, values=values)
    return _queue_rendered(
        to=to,
        template=key,
        subject=subject,
        body=body,
        event=event,
        user=user,
        about=about,
        held=held,
        attachments=attachments,
    )


def _queue_rendered(
    *, to, template, subject, body, event, user, about, held, attachments, headers=None
) -> OutboxMail:
    """The outbox row of a mail whose subject and body are written already."""
    status = MailStatus.HELD if held else MailStatus.QUEUED
    if undeliverable(to):
        status = MailStatus.DISCARDED
    mail = OutboxMail.objects.create(
        event=event,
        user=user,
        to=to,
        subject=subject[:300],
        body=body,
        template=template,
        about=about,
        status=status,
        attachments=list(attachments or []),
        headers=dict(headers or {}),
    )
    if status == MailStatus.QUEUED:
        _deliver_after_commit([mail.pk])
    return mail


def discard_held(*, about: str, event=None) -> int:
    """Drop held mails about one subject (e.g. a decision that was changed before sending)."""
    return OutboxMail.objects.filter(event=event, about=about, status=MailStatus.HELD).update(
        status=MailStatus.DISCARDED
    )


def release_held(*, mails) -> list[int]:
    """Queue held mails for delivery (after commit). Returns their ids."""
    ids = list(mails.filter(status=MailStatus.HELD).values_list("pk", flat=True))
    OutboxMail.objects.filter(pk__in=ids).update(status=MailStatus.QUEUED)
    _deliver_after_commit(ids)
    return ids


def _deliver_after_commit(ids: list[int]) -> None:
    """After commit, hand the rows to the delivery task: a worker with a broker, in-process without."""
    if settings.PODIUM_DELIVER_MAIL_ON_COMMIT and ids:
        transaction.on_commit(lambda: _dispatch(ids))


def _dispatch(ids: list[int]) -> None:
    """Send the rows soon, never inside the request: the worker, or a background thread without a broker."""
    from podium.mail.tasks import deliver_mail

    if settings.CELERY_TASK_ALWAYS_EAGER:
        background.submit("mail", deliver, ids=ids)
        return
    try:
        deliver_mail.delay(ids=ids)
    except Exception as exc:  # broker unreachable: the rows stay queued for the next sweep
        log.warning("could not hand mail %s to the worker: %s", ids, exc)


def _claim(ids=None) -> list[OutboxMail]:
    now = timezone.now()
    with transaction.atomic():
        ready = OutboxMail.objects.filter(
            Q(status=MailStatus.QUEUED) | Q(status=MailStatus.SENDING, claimed_at__lt=now - STALE_CLAIM)
        ).filter(attempts__lt=MAX_ATTEMPTS)
        if ids is not None:
            ready = ready.filter(pk__in=ids)
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            ready = ready.select_for_update(skip_locked=True)
        mails = list(ready.order_by("pk")[:200])
        OutboxMail.objects.filter(pk__in=[m.pk for m in mails]).update(
            status=MailStatus.SENDING, claimed_at=now
        )
    return mails


def _message(mail: OutboxMail) -> EmailMultiAlternatives:
    """The message for one outbox row: its text, its HTML part if it has one, its stored attachments."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.MAIL_FROM,
        to=[mail.to],
        headers=dict(mail.headers or {}),
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    for item in mail.attachments or []:
        message.attach(item["filename"], attachment_content(item), item["content_type"])
    return message


def record_bounce(*, address: str, source: str, reason: str = "", mail: OutboxMail | None = None) -> Bounce:
    """Record that `address` bounced: refused by the mail server while sending (`Bounce.Source.SMTP`,
    with the mail), or reported by bounce processing (`REPORT`, `podium mail bounce`). Campaigns skip
    bounced addresses; transactional mail still goes. No actor: the server or an operator reports it."""
    address = address.strip().lower()
    if not address or "@" not in address:
        raise ValueError(f"Not an e-mail address: {address!r}")
    return Bounce.objects.create(address=address, source=source, reason=str(reason or "")[:2000], mail=mail)


def _refused_reason(exc: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(
        f"{address}: {code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
        for address, (code, message) in (exc.recipients or {}).items()
    ) or str(exc)


def deliver(*, ids=None) -> int:
    """Send queued mail (all of it, or the given ids). Returns how many were sent.

    An address the mail server refuses (`SMTPRecipientsRefused`) fails the row at once, without
    retries, and records a Bounce; any other failure is retried up to MAX_ATTEMPTS times."""
    sent = 0
    for mail in _claim(ids):
        try:
            _message(mail).send()
        except smtplib.SMTPRecipientsRefused as exc:  # the address itself: retrying will not help
            reason = _refused_reason(exc)
            log.warning("mail %s to %s refused: %s", mail.pk, mail.to, reason)
            OutboxMail.objects.filter(pk=mail.pk).update(
                status=MailStatus.FAILED, attempts=mail.attempts + 1, last_error=reason[:2000]
            )
            record_bounce(address=mail.to, source=Bounce.Source.SMTP, reason=reason, mail=mail)
            continue
        except Exception as exc:  # any transport failure: keep the row, retry later
            log.warning("mail %s to %s failed: %s", mail.pk, mail.to, exc)
            OutboxMail.objects.filter(pk=mail.pk).update(
                status=MailStatus.QUEUED if mail.attempts + 1 < MAX_ATTEMPTS else MailStatus.FAILED,
                attempts=mail.attempts + 1,
                last_error=str(exc)[:2000],
            )
            continue
        OutboxMail.objects.filter(pk=mail.pk).update(
            status=MailStatus.SENT, sent_at=timezone.now(), attempts=mail.attempts + 1, last_error=""
        )
        sent += 1
    return sent
