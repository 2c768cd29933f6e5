"""Checking people in at the doors: one scan now (`check_in`), and the scans a desk queued while it had
no network (`sync_scans`).

A ticket is checked in once: the CheckIn row is unique per ticket, so of two desks scanning the same
ticket at the same moment one inserts it and the other meets the constraint and answers "already
checked in". Offline scans arrive late; when one of them was made before the check-in the server holds,
the earliest scan wins (the check-in takes its time and desk) and the answer says it was a conflict.
Every scan, admitted or refused, is logged as a `Scan` for the desks' log.
"""

import datetime as dt
from dataclasses import dataclass, replace

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import dateformat, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from podium.base import audit
from podium.base.errors import ServiceError
from podium.checkin import rules
from podium.checkin.models import DESK_LENGTH, CheckIn, Scan, ScanResult
from podium.events.models import Event
from podium.registration import seats, tickets
from podium.registration.enums import ORDER_CODE_LENGTH, OrderState
from podium.registration.models import Ticket
from podium.webhooks import payloads as webhook_payloads
from podium.webhooks.services import emit as emit_webhook

#: The most queued scans one sync takes (a desk sends its queue in parts beyond this).
MAX_SYNC = 500
MAX_CODE_LENGTH = 1000

REASONS = {
    tickets.FORGED: ScanResult.FORGED,
    tickets.OTHER_EVENT: ScanResult.WRONG_EVENT,
    tickets.UNKNOWN: ScanResult.UNKNOWN,
    tickets.REISSUED: ScanResult.UNKNOWN,
    tickets.CANCELLED: ScanResult.CANCELLED,
    tickets.UNPAID: ScanResult.UNPAID,
}


@dataclass(frozen=True)
class Outcome:
    """What a desk is told about one scan: `kind` is a ScanResult value, `message` the sentence shown."""

    kind: str
    message: str
    ticket: Ticket | None = None
    check_in: CheckIn | None = None
    offline: bool = False
    conflict: bool = False

    @property
    def admitted(self) -> bool:
        return self.kind == ScanResult.OK

    @property
    def label(self) -> str:
        return str(ScanResult(self.kind).label)

    def data(self) -> dict:
        """The outcome as the desk page's script and the API read it (JSON-ready)."""
        ticket, entry = self.ticket, self.check_in
        return {
            "kind": self.kind,
            "label": self.label,
            "message": self.message,
            "admitted": self.admitted,
            "offline": self.offline,
            "conflict": self.conflict,
            "ticket": {
                "id": ticket.pk,
                "name": ticket.attendee_name,
                "company": ticket.attendee_company,
                "type": ticket.ticket_type.name,
                "order": ticket.order.code,
            }
            if ticket is not None
            else None,
            "checked_in_at": entry.scanned_at.isoformat() if entry else None,
            "desk": entry.desk if entry else None,
        }


def when(moment: dt.datetime, event: Event, *, now: dt.datetime | None = None) -> str:
    """A moment as a desk reads it: "09:12" today, "13 June 09:12" on another day (event's time zone)."""
    local = moment.astimezone(event.tz)
    today = (now or timezone.now()).astimezone(event.tz).date()
    return dateformat.format(local, "H:i" if local.date() == today else "j F H:i")


def _attendee(ticket: Ticket) -> str:
    return f"{ticket.attendee_name} \N{EM DASH} {ticket.ticket_type.name}"


def _already(check_in: CheckIn, event: Event) -> str:
    moment = when(check_in.scanned_at, event)
    if check_in.desk:
        return _("Already checked in at %(time)s at %(desk)s") % {"time": moment, "desk": check_in.desk}
    return _("Already checked in at %(time)s") % {"time": moment}


def _state_refusal(ticket: Ticket) -> tuple[str, str] | None:
    """(kind, message) for a ticket whose order admits nobody, else None."""
    state = ticket.order.state
    if state in (OrderState.CANCELLED, OrderState.REFUNDED):
        return (
            ScanResult.CANCELLED,
            _("Cancelled ticket (the order was cancelled)")
            if state == OrderState.CANCELLED
            else _("Cancelled ticket (the order was refunded)"),
        )
    if state != OrderState.PAID:
        return ScanResult.UNPAID, _("Not paid (the order is still pending)")
    return None


def _event_tickets(event: Event):
    return Ticket.objects.select_related("order", "ticket_type").filter(order__event=event)


def _named_by_token(event: Event, code: str) -> Ticket | None:
    """The ticket a token names whose signature `read_token` already accepted (to name the attendee
    of a cancelled or unpaid ticket)."""
    try:
        _event_id, ticket_id, _secret = signing.loads(code, salt=tickets.SALT)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return _event_tickets(event).filter(pk=ticket_id).first()


def _by_order(event: Event, code: str, ticket_id) -> tuple[Ticket | None, Outcome | None]:
    """The ticket an order code (and a ticket id, from the search) names."""
    found = _event_tickets(event).filter(order__code=code.upper())
    if ticket_id is not None:
        found = found.filter(pk=ticket_id)
    found = list(found[:2])
    if not found:
        return None, Outcome(ScanResult.UNKNOWN, _("Unknown code"))
    if len(found) > 1:
        count = _event_tickets(event).filter(order__code=code.upper()).count()
        return None, Outcome(
            ScanResult.UNKNOWN,
            _("Order %(code)s has %(count)s tickets: search for the attendee's name to choose one.")
            % {"code": code.upper(), "count": count},
        )
    return found[0], None


def _resolve(event: Event, code: str, ticket_id) -> tuple[Ticket | None, Outcome | None]:
    """(ticket, None) for a ticket that admits its holder, or (ticket or None, refusal)."""
    code = (code or "").strip()
    if not code or len(code) > MAX_CODE_LENGTH:
        return None, Outcome(ScanResult.UNKNOWN, _("Unknown code"))
    if ticket_id is not None or (len(code) == ORDER_CODE_LENGTH and code.isalnum()):
        ticket, refusal = _by_order(event, code, ticket_id)
    else:
        try:
            ticket, refusal = tickets.read_token(event, code), None
        except tickets.InvalidTicket as exc:
            kind = REASONS.get(exc.reason, ScanResult.UNKNOWN)
            if exc.reason == tickets.REISSUED:
                return None, Outcome(
                    kind, _("Unknown code: this ticket was re-issued, ask for the newest one")
                )
            if kind in (ScanResult.CANCELLED, ScanResult.UNPAID):
                ticket = _named_by_token(event, code)
                if ticket is not None:
                    kind, message = _state_refusal(ticket) or (kind, exc.message)
                    return ticket, Outcome(kind, message, ticket=ticket)
            return None, Outcome(kind, str(ScanResult(kind).label))
    if refusal is None and (state := _state_refusal(ticket)) is not None:
        refusal = Outcome(state[0], state[1], ticket=ticket)
    return ticket, refusal


def _moment(value, now: dt.datetime) -> dt.datetime:
    """When the desk scanned: a datetime or ISO text with its offset, never later than now."""
    if value is None or value == "":
        return now
    if isinstance(value, str):
        try:
            value = parse_datetime(value.strip())
        except ValueError:
            value = None
    if not isinstance(value, dt.datetime) or timezone.is_naive(value):
        raise ServiceError(_("Give the scan's time with its offset, e.g. 2025-06-14T09:12:00+02:00."))
    return min(value, now)


def _desk(value) -> str:
    return " ".join(str(value or "").split())[:DESK_LENGTH]


def _log(event, outcome: Outcome, *, desk, by, scanned_at, now, offline) -> Outcome:
    Scan.objects.create(
        event=event,
        ticket=outcome.ticket,
        result=outcome.kind,
        desk=desk,
        scanned_at=scanned_at,
        received_at=now,
        by=by if by is not None and by.is_authenticated else None,
        offline=offline,
        conflict=outcome.conflict,
    )
    return outcome


def _moved_earlier(event, existing: CheckIn, ticket, *, desk, by, scanned_at, now) -> Outcome | None:
    """An offline scan made before the stored check-in: the check-in takes the earlier time and desk."""
    moved = CheckIn.objects.filter(pk=existing.pk, scanned_at__gt=scanned_at).update(
        scanned_at=scanned_at, desk=desk, by=by, offline=True
    )
    if not moved:
        return None
    audit.record(
        action="checkin.moved_earlier",
        actor=by,
        target=existing,
        event_id=event.pk,
        ticket=ticket.pk,
        desk=desk,
        later_desk=existing.desk,
        later_scan=existing.scanned_at.isoformat(),
    )
    values = {
        "attendee": _attendee(ticket),
        "desk": existing.desk,
        "time": when(existing.scanned_at, event, now=now),
    }
    if existing.desk:
        message = (
            _(
                "Checked in: %(attendee)s. Conflict: also checked in at %(desk)s at %(time)s; "
                "this earlier scan counts."
            )
            % values
        )
    else:
        message = (
            _("Checked in: %(attendee)s. Conflict: also checked in at %(time)s; this earlier scan counts.")
            % values
        )
    return Outcome(
        ScanResult.OK,
        message,
        ticket=ticket,
        check_in=CheckIn.objects.get(pk=existing.pk),
        offline=True,
        conflict=True,
    )


def _met_existing(event, ticket, *, desk, by, scanned_at, now, offline) -> Outcome | None:
    """The ticket is checked in already: "already", an earlier offline scan taking its place, or None
    for the same offline scan sent again (its answer was lost)."""
    existing = CheckIn.objects.get(ticket=ticket)
    if offline and existing.scanned_at == scanned_at and existing.desk == desk:
        return None
    if offline and existing.scanned_at > scanned_at:
        moved = _moved_earlier(event, existing, ticket, desk=desk, by=by, scanned_at=scanned_at, now=now)
        if moved is not None:
            return moved
        existing.refresh_from_db()
    return Outcome(
        ScanResult.ALREADY,
        _already(existing, event),
        ticket=ticket,
        check_in=existing,
        offline=offline,
        conflict=offline,
    )


def _still_admits(ticket: Ticket) -> bool:
    """Whether the ticket, read before the write transaction, still admits its holder (its order not
    cancelled meanwhile, the ticket not re-issued): one query, inside the transaction."""
    return Ticket.objects.filter(pk=ticket.pk, secret=ticket.secret, order__state=OrderState.PAID).exists()


def _scan(*, event, code, ticket_id, desk, by, scanned_at, offline) -> Outcome:
    """One scan. The code is read (its signature, the ticket and its order) before the write
    transaction opens, so that the transaction holds SQLite's one write lock only for the writes and
    one check that the ticket still admits; the answer is prepared before it too."""
    now = timezone.now()
    scanned_at = _moment(scanned_at, now)
    logged = {"desk": desk, "by": by, "scanned_at": scanned_at, "now": now, "offline": offline}
    ticket, refusal = _resolve(event, code, ticket_id)
    if refusal is not None:
        with transaction.atomic():
            return _log(event, refusal, **logged)
    actor = by if by is not None and by.is_authenticated else None
    entry = CheckIn(
        ticket=ticket,
        event=event,
        desk=desk,
        scanned_at=scanned_at,
        received_at=now,
        by=actor,
        offline=offline,
    )
    payload = webhook_payloads.check_in(entry)
    outcome = Outcome(
        ScanResult.OK,
        _("Checked in: %(attendee)s") % {"attendee": _attendee(ticket)},
        ticket,
        entry,
        offline=offline,
    )
    with transaction.atomic():
        if not _still_admits(ticket):  # changed since it was read: read it again, in the transaction
            ticket, refusal = _resolve(event, code, ticket_id)
            if refusal is not None:
                return _log(event, refusal, **logged)
            entry.ticket = ticket
            outcome = replace(outcome, ticket=ticket)
        try:
            with transaction.atomic():
                entry.save(force_insert=True)
        except IntegrityError:
            # Another scan of this ticket (another desk, the same moment) inserted it first.
            met = _met_existing(
                event, ticket, desk=desk, by=actor, scanned_at=scanned_at, now=now, offline=offline
            )
            if met is None:  # the same offline scan again: its first answer stands
                existing = CheckIn.objects.get(ticket=ticket)
                return Outcome(ScanResult.OK, outcome.message, ticket, existing, offline=True)
            return _log(event, met, **logged)
        audit.record(
            action="checkin.created",
            actor=by,
            target=entry,
            event_id=event.pk,
            ticket=ticket.pk,
            order=ticket.order.code,
            desk=desk,
            offline=offline,
        )
        emit_webhook(event=event, kind="checkin.created", payload=payload)
        return _log(event, outcome, **logged)


def _busy_safe(**kwargs) -> Outcome:
    try:
        return seats.retry_when_busy(_scan)(**kwargs)
    except seats.Busy:
        raise ServiceError(
            _("The server was too busy to record this scan; nothing was saved. Scan again.")
        ) from None


def check_in(
    *, event: Event, code: str, desk: str, by, scanned_at=None, ticket: int | None = None
) -> Outcome:
    """A desk scanned `code` (a ticket's QR token, `tickets.read_token`) or chose a ticket in the search
    (`code` its order code, `ticket` its id; an order code alone names its only ticket). Returns the
    Outcome: checked in, already checked in (when and at which desk), or refused (cancelled, not paid,
    another event's, unknown, forged). A ticket is checked in once, whatever the number of desks and
    scans at the same moment. `scanned_at` (default now, never later than now) is when the desk
    scanned. Refused for users without `can_check_in` for this event.

    Side effects: a Scan row for every call; for a check-in an audit entry and `checkin.created`
    webhook deliveries.
    """
    rules.check_can_check_in(by, event)
    return _busy_safe(
        event=event,
        code=code,
        ticket_id=ticket,
        desk=_desk(desk),
        by=by,
        scanned_at=scanned_at,
        offline=False,
    )


def _queued(item) -> tuple[str, int | None, str, object]:
    if not isinstance(item, dict):
        raise ServiceError(_("Each queued scan is an object with code, desk and scanned_at."))
    code, ticket = item.get("code"), item.get("ticket")
    if not isinstance(code, str) or (
        ticket is not None and (isinstance(ticket, bool) or not isinstance(ticket, int))
    ):
        raise ServiceError(_("A queued scan has its code as text (and a ticket id as a number)."))
    return code, ticket, _desk(item.get("desk")), _moment(item.get("scanned_at"), timezone.now())


def sync_scans(*, event: Event, scans: list, by) -> list[Outcome]:
    """Apply the scans a desk queued while offline ([{code, desk, scanned_at[, ticket]}], in the order
    they were made), each in its own transaction, and return their Outcomes in the same order. A scan
    made before the check-in the server holds wins: the check-in takes its earlier time and desk, and
    its Outcome says it was a conflict (as does one that met an earlier check-in of another desk). The
    same queued scan sent twice is answered again without counting twice. Refused for users without
    `can_check_in` for this event, and for more than MAX_SYNC scans at once.

    Side effects: as `check_in` for each scan, and an audit entry for each check-in moved earlier.
    """
    rules.check_can_check_in(by, event)
    if not isinstance(scans, list):
        raise ServiceError(_("Send the queued scans as a list."))
    if len(scans) > MAX_SYNC:
        raise ServiceError(_("Send at most %(count)s queued scans at once.") % {"count": MAX_SYNC})
    parsed = [_queued(item) for item in scans]
    return [
        _busy_safe(
            event=event, code=code, ticket_id=ticket, desk=desk, by=by, scanned_at=moment, offline=True
        )
        for code, ticket, desk, moment in parsed
    ]
