"""The event's own texts of its system mails (receipt, decisions, schedule change notice, tickets):
who may word them, save one, reset one to the default.

The mails, their placeholders and their default texts are `mail.system`'s; an event's text is a
`mail.SystemMailTemplate` row, and without one the mail goes out in its default words. A text may use
only the placeholders its mail offers, by plain name (`mail.placeholders`): anything else is refused
when it is saved, so a mail never goes out with a placeholder nobody fills in.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.base import audit
from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.events.models import Event
from podium.events.rules import permissions_for
from podium.mail import system
from podium.mail.models import SystemMailTemplate

# Who words the event's system mails: its administrators, who set it up, and who draft its mail.
EDIT_FLAGS = ("is_admin", "can_edit_event", "can_draft_mail")
SUBJECT_MAX = SystemMailTemplate._meta.get_field("subject").max_length
STALE = gettext_lazy(
    "Someone else changed this mail's text while you were editing. "
    "The form shows the text as it is now; make your change again."
)


def can_edit_system_mails(user, event: Event) -> bool:
    """Whether `user` may change (and reset) the texts of `event`'s system mails."""
    return permissions_for(user, event).has_any(EDIT_FLAGS)


def check_can_edit_system_mails(by, event: Event) -> None:
    """Refuse `by` unless they may word the event's system mails (None: an operator)."""
    if by is not None and not can_edit_system_mails(by, event):
        raise NotAllowed(
            _("Only the event's administrators, organisers and mail drafters may change its mails.")
        )


def _mail(key: str) -> system.SystemMail:
    try:
        return system.system_mail(key)
    except LookupError:
        raise ServiceError(_("There is no such system mail.")) from None


def _checked(key: str, subject: str, body: str) -> tuple[str, str]:
    """The text as it is stored: subject on one line, body without surrounding blank lines; refused
    (ServiceError on the field) when empty, too long, or naming a placeholder the mail does not offer."""
    subject = " ".join((subject or "").split())
    body = (body or "").strip()
    if not subject:
        raise ServiceError(_("Give the mail a subject."), field="subject")
    if len(subject) > SUBJECT_MAX:
        raise ServiceError(_("Use at most %(count)s characters.") % {"count": SUBJECT_MAX}, field="subject")
    if not body:
        raise ServiceError(_("Give the mail a text."), field="body")
    try:
        system.check_text(key, subject=subject, body=body)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ServiceError(" ".join(messages), field=field) from None
    return subject, body + "\n"


@transaction.atomic
def save_system_mail(
    *, event: Event, key: str, subject: str, body: str, by, version: int | None = None
) -> SystemMailTemplate:
    """Save `event`'s own subject and body of the system mail `key`; the mails sent from then on use it.

    The text may name only the placeholders the mail offers (`{name}`, `{event}` …): an unknown one,
    an attribute path (`{proposal.title}`), an index, a format or a lone brace is refused with a
    ServiceError on "subject" or "body", as are an empty or over-long subject and an empty body.
    `version` is the one the editor started from (0: the default text, no own text yet); when someone
    saved or reset the text since, the edit is refused with StaleEdit. Without a version (scripts)
    nothing is compared. Refused when `by` may not word the event's mails.
    Side effects: audit entry.
    """
    check_can_edit_system_mails(by, event)
    _mail(key)
    subject, body = _checked(key, subject, body)
    own = SystemMailTemplate.objects.select_for_update().filter(event=event, key=key).first()
    stored_version = own.version if own is not None else 0
    if version is not None and version != stored_version:
        raise StaleEdit(STALE)
    if own is None:
        try:
            with transaction.atomic():
                own = SystemMailTemplate.objects.create(
                    event=event, key=key, subject=subject, body=body, updated_by=by, version=1
                )
        except IntegrityError:  # saved at the same moment by someone else
            raise StaleEdit(STALE) from None
    else:
        own.subject, own.body, own.updated_by = subject, body, by
        own.version = stored_version + 1
        own.save()
    audit.record(
        action="system_mail.saved", actor=by, target=own, event_id=event.pk, key=key, version=own.version
    )
    return own


@transaction.atomic
def reset_system_mail(*, event: Event, key: str, by) -> bool:
    """Drop `event`'s own text of the system mail `key`: the mails sent from then on use the default.
    Returns whether there was an own text. Refused when `by` may not word the event's mails.
    Side effects: audit entry (when there was a text to drop)."""
    check_can_edit_system_mails(by, event)
    _mail(key)
    deleted, _kinds = SystemMailTemplate.objects.filter(event=event, key=key).delete()
    if deleted:
        audit.record(action="system_mail.reset", actor=by, event_id=event.pk, key=key)
    return bool(deleted)
