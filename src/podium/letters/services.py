"""Invitation letter use cases: ask for a letter (or change the request while it waits), approve,
decline, withdraw an approved letter, and clear passport data after the event.

Every use case is one transaction; decisions carry the request's version and are refused when
someone changed or decided the request in between (StaleEdit).
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.base import audit
from podium.base.errors import ServiceError, StaleEdit
from podium.letters import mails, rules
from podium.letters.models import LetterRequest, LetterState, new_verification_code

#: How far around the event the travel dates may reach.
TRAVEL_WINDOW = dt.timedelta(days=30)
TEXT_FIELDS = {"passport_name": 200, "nationality": 100, "passport_number": 40}
REQUIRED = {
    "passport_name": gettext_lazy("Give your name exactly as it is written in your passport."),
    "nationality": gettext_lazy("Give your nationality."),
    "passport_number": gettext_lazy("Give your passport number."),
    "date_of_birth": gettext_lazy("Give your date of birth."),
    "arrival": gettext_lazy("Give the day you arrive."),
    "departure": gettext_lazy("Give the day you leave."),
}
PASSPORT_FIELDS = ("nationality", "passport_number", "date_of_birth", "address", "note")


def _day(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ServiceError(_("Give a date as YYYY-MM-DD."), field=field) from None


def _fmt(day: dt.date) -> str:
    return dateformat.format(day, "d F Y")


def clean_request(event, data: dict) -> dict:
    """The request's values, trimmed and checked; a ServiceError naming the first wrong field."""
    values = {}
    for name, length in TEXT_FIELDS.items():
        value = " ".join(str(data.get(name) or "").split())
        if len(value) > length:
            raise ServiceError(_("Use at most %(count)s characters.") % {"count": length}, field=name)
        values[name] = value
    values["address"] = str(data.get("address") or "").strip()[:1000]
    values["note"] = str(data.get("note") or "").strip()[:2000]
    for name in ("date_of_birth", "arrival", "departure"):
        values[name] = _day(data.get(name), name)
    for name, message in REQUIRED.items():
        if not values[name]:
            raise ServiceError(str(message), field=name)
    today = timezone.localdate()
    born = values["date_of_birth"]
    if born >= today or born.year < 1900:
        raise ServiceError(_("Give your date of birth as it is in your passport."), field="date_of_birth")
    arrival, departure = values["arrival"], values["departure"]
    earliest, latest = event.date_from - TRAVEL_WINDOW, event.date_to + TRAVEL_WINDOW
    if arrival < earliest or arrival > event.date_to:
        raise ServiceError(
            _("Arrive between %(earliest)s and the last day of the event (%(last_day)s).")
            % {"earliest": _fmt(earliest), "last_day": _fmt(event.date_to)},
            field="arrival",
        )
    if departure < arrival:
        raise ServiceError(_("The day you leave cannot be before the day you arrive."), field="departure")
    if departure < event.date_from or departure > latest:
        raise ServiceError(
            _("Leave between the first day of the event (%(first_day)s) and %(latest)s.")
            % {"first_day": _fmt(event.date_from), "latest": _fmt(latest)},
            field="departure",
        )
    return values


def waiting_request(event, user) -> LetterRequest | None:
    return LetterRequest.objects.filter(event=event, user=user, state=LetterState.WAITING).first()


@transaction.atomic
def save_request(*, event, by, data: dict, version: int | None = None) -> LetterRequest:
    """Ask for an invitation letter to `event`, or change the request `by` has waiting (one at a time).

    `by` must hold a paid ticket or be a confirmed speaker (rules.check_may_ask); `version` (the
    waiting request's, from the form) refuses an edit of a request decided or changed meanwhile.
    Side effects: audit entry (without the passport data). No mail: the team sees it in its list.
    """
    role = rules.check_may_ask(by, event)
    values = clean_request(event, data)
    letter = (
        LetterRequest.objects.select_for_update()
        .filter(event=event, user=by, state=LetterState.WAITING)
        .first()
    )
    if letter is None:
        if version is not None:
            raise StaleEdit(_("Your request was decided meanwhile; see its state below."))
        try:
            with transaction.atomic():
                letter = LetterRequest.objects.create(event=event, user=by, role=role, **values)
        except IntegrityError:
            raise StaleEdit(_("You have a request waiting already; see it below.")) from None
        audit.record(action="letter.requested", actor=by, target=letter, event_id=event.pk)
        return letter
    if version is not None and letter.version != version:
        raise StaleEdit(_("Your request was changed in another window; here it is as saved."))
    for name, value in values.items():
        setattr(letter, name, value)
    letter.role = role
    letter.version = F("version") + 1
    letter.save()
    letter.refresh_from_db()
    audit.record(action="letter.changed", actor=by, target=letter, event_id=event.pk)
    return letter


def _locked(letter: LetterRequest, version: int | None, *, state: str) -> LetterRequest:
    current = LetterRequest.objects.select_for_update().select_related("event", "user").get(pk=letter.pk)
    if version is not None and current.version != version:
        raise StaleEdit(_("This request was changed or decided meanwhile; here it is as it is now."))
    if current.state != state:
        already = {
            LetterState.WAITING: _("This request is waiting already."),
            LetterState.APPROVED: _("This request is approved already."),
            LetterState.DECLINED: _("This request is declined already."),
            LetterState.WITHDRAWN: _("This request is withdrawn already."),
        }
        raise StaleEdit(already[current.state])
    return current


def _decided(letter: LetterRequest, by, state: str) -> None:
    letter.state = state
    letter.decided_by = by
    letter.decided_at = timezone.now()
    letter.version += 1


@transaction.atomic
def approve_request(*, letter: LetterRequest, by, version: int | None) -> LetterRequest:
    """Approve a waiting request: the letter gets its random verification code and the approver's
    name for its signature line. `by` must issue the event's letters; a `version` other than the
    stored one is refused (StaleEdit).
    Side effects: audit entry; mail to the requester with the link to the PDF (outbox)."""
    rules.check_can_issue_letters(by, letter.event)
    letter = _locked(letter, version, state=LetterState.WAITING)
    _decided(letter, by, LetterState.APPROVED)
    letter.role = rules.role_of(letter.user, letter.event) or letter.role
    letter.approver_name = (by.name or by.email) if by is not None else letter.event.organiser.name
    letter.verification_code = new_verification_code()
    letter.decline_reason = ""
    letter.save()
    audit.record(action="letter.approved", actor=by, target=letter, event_id=letter.event_id)
    mails.letter_approved(letter)
    return letter


@transaction.atomic
def decline_request(*, letter: LetterRequest, by, version: int | None, reason: str) -> LetterRequest:
    """Decline a waiting request with a reason the requester reads (required). `by` must issue the
    event's letters; a stale `version` is refused.
    Side effects: audit entry; mail to the requester with the reason (outbox)."""
    rules.check_can_issue_letters(by, letter.event)
    reason = str(reason or "").strip()
    if not reason:
        raise ServiceError(_("Say why the request is declined; the requester reads it."), field="reason")
    letter = _locked(letter, version, state=LetterState.WAITING)
    _decided(letter, by, LetterState.DECLINED)
    letter.decline_reason = reason[:2000]
    letter.save()
    audit.record(action="letter.declined", actor=by, target=letter, event_id=letter.event_id)
    mails.letter_declined(letter)
    return letter


@transaction.atomic
def withdraw_letter(*, letter: LetterRequest, by, version: int | None) -> LetterRequest:
    """Withdraw an approved letter: its verification page says it is no longer valid and it can no
    longer be downloaded. `by` must issue the event's letters; a stale `version` is refused.
    Side effects: audit entry, a mail to the requester."""
    rules.check_can_issue_letters(by, letter.event)
    letter = _locked(letter, version, state=LetterState.APPROVED)
    letter.state = LetterState.WITHDRAWN
    letter.version += 1
    letter.save()
    audit.record(action="letter.withdrawn", actor=by, target=letter, event_id=letter.event_id)
    mails.letter_withdrawn(letter)
    return letter


def retention() -> dt.timedelta:
    return dt.timedelta(days=settings.PODIUM_LETTER_RETENTION_DAYS)


def expired_passport_data(now: dt.datetime):
    """Requests whose event ended more than the retention ago and still hold passport data."""
    last_day = (now - retention()).date()
    return LetterRequest.objects.filter(event__date_to__lt=last_day, passport_erased_at__isnull=True)


@transaction.atomic
def erase_passport_data(*, now: dt.datetime) -> int:
    """Clear the passport number, nationality, date of birth, address and note of every request whose
    event ended more than PODIUM_LETTER_RETENTION_DAYS ago; the name, travel dates, state and code
    stay, so the verification page still answers. Returns how many requests were cleared.
    Side effects: one audit entry per event (counts only)."""
    rows = list(expired_passport_data(now).select_for_update().values_list("pk", "event_id"))
    if not rows:
        return 0
    LetterRequest.objects.filter(pk__in=[pk for pk, _event_id in rows]).update(
        nationality="", passport_number="", date_of_birth=None, address="", note="", passport_erased_at=now
    )
    per_event: dict[int, int] = {}
    for _pk, event_id in rows:
        per_event[event_id] = per_event.get(event_id, 0) + 1
    for event_id, count in sorted(per_event.items()):
        audit.record(action="letter.passport_data_erased", event_id=event_id, requests=count)
    return len(rows)
