"""Seats at sessions that need one (tutorials, workshops): book one, wait for one, cancel, and the
organisers' capacity of a session.

The seats of a session are counted in its `SessionSeats.taken`, changed only by one conditional UPDATE
each, as registration.seats does for ticket quotas: a seat is taken only while the count is below the
capacity, in the same statement that checks it, so two people can never both get the last seat
(PostgreSQL re-checks the condition on the locked row; SQLite runs one writer at a time). A person's
own bookings are made one at a time (their account row is locked), so two tabs cannot book two
overlapping sessions at once.

A seat that frees goes at once to the first person on the session's waiting list whose other seats do
not overlap it and who still may book (a ticket, when the event sells them); people who now clash are
skipped and stay on the list. The person who gets it is told by mail (attendance/templates/mail/).
Seats added go the same way at once, whatever added them: the organisers' own number for the session
(`set_seat_capacity`), a new release that puts the session in a bigger room or publishes its room with
more seats (`on_release_published`), its type given more seats (`on_session_type_saved`), or the session
moved to a type with more seats (`on_proposal_edited`); the receivers are connected in apps.py and run
in the transaction of the change.
Bookings of a session that is cancelled, or left out of a new release, are kept: the agenda shows
them as cancelled.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from podium.accounts.models import User
from podium.attendance import rules, seat_queries
from podium.attendance.models import SeatBooking, SeatState, SessionSeats
from podium.base import audit
from podium.base.errors import ServiceError, StaleEdit
from podium.events.rules import check_can_edit_event
from podium.mail.services import queue_mail, recipient_language
from podium.proposals.models import Proposal
from podium.registration.seats import retry_when_busy
from podium.schedule.models import ReleasedSession


class SessionFull(ServiceError):
    """No seat of the session is left."""


def _load(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_related("event", "session_type").get(pk=proposal.pk)


def _lock_person(user) -> None:
    """Take `user`'s bookings one at a time: lock their account row for this transaction."""
    User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()


def _counter(proposal: Proposal) -> SessionSeats:
    counter, _ = SessionSeats.objects.get_or_create(proposal=proposal, defaults={"event": proposal.event})
    return counter


def _take_seat(counter: SessionSeats, default: int) -> bool:
    """Take one seat if one is left: below the session's own capacity, or else below `default`."""
    free = Q(capacity__isnull=False, taken__lt=F("capacity")) | Q(capacity__isnull=True, taken__lt=default)
    return bool(SessionSeats.objects.filter(pk=counter.pk).filter(free).update(taken=F("taken") + 1))


def _free_seat(counter_id: int) -> None:
    SessionSeats.objects.filter(pk=counter_id, taken__gt=0).update(taken=F("taken") - 1)


def _default_capacity(proposal: Proposal, session: ReleasedSession | None) -> int:
    return seat_queries.capacity_of(proposal, session, None)


def _when(session: ReleasedSession, event) -> str:
    start = timezone.localtime(session.start, event.tz)
    end = timezone.localtime(session.end, event.tz)
    # The format in the language's own order (German "Montag, 3. März 2031, 10:00").
    day = format_date(start, pgettext("date format: weekday, day, month, year, time", "l j F Y, H:i"))
    return f"{day}–{format_date(end, 'H:i')} ({event.timezone})"  # noqa: RUF001


def _talk_link(proposal: Proposal) -> str:
    path = reverse("site:talk", kwargs={"event": proposal.event.slug, "code": proposal.code})
    return f"{settings.BASE_URL}{path}"


def _check_not_holding(by, proposal: Proposal) -> None:
    held = SeatBooking.objects.filter(user=by, proposal=proposal).first()
    if held is None:
        return
    if held.state == SeatState.BOOKED:
        raise ServiceError(_("You have a seat at “%(title)s” already.") % {"title": proposal.title})
    raise ServiceError(_("You are on the waiting list of “%(title)s” already.") % {"title": proposal.title})


def _check_no_clash(by, proposal: Proposal, session: ReleasedSession) -> None:
    clash = seat_queries.clashing_seat(by, session)
    if clash is not None:
        raise ServiceError(rules.clash_message(clash, proposal.event))


def _bookable(by, proposal: Proposal) -> ReleasedSession:
    """The session as the latest release has it, after every check but the seats left."""
    if by is None or not by.is_authenticated:
        rules.check_can_book(by, proposal, None)
    _lock_person(by)
    session = rules.released_session(proposal)
    rules.check_can_book(by, proposal, session)
    _check_not_holding(by, proposal)
    _check_no_clash(by, proposal, session)
    return session


def _create(**values) -> SeatBooking:
    try:
        with transaction.atomic():
            return SeatBooking.objects.create(**values)
    except IntegrityError:  # the same person at the same moment from another tab
        raise ServiceError(_("You booked this session at the same moment from elsewhere already.")) from None


@retry_when_busy
@transaction.atomic
def book_seat(*, proposal: Proposal, by) -> SeatBooking:
    """Book `by` a seat at a session of the published program whose type requires one, before it starts.

    Refused (with what to do) for anonymous visitors, sessions that need no seat, are not on the latest
    release, were cancelled or have started, the session's own speakers, people without a valid ticket
    when the event sells tickets, a second booking, a session overlapping a seat `by` has, and a full
    session (`SessionFull`: join its waiting list). People already waiting get free seats first.

    Side effects: audit entry; seat mails to people on the waiting list who get a free seat first.
    """
    proposal = _load(proposal)
    session = _bookable(by, proposal)
    counter = _counter(proposal)
    fill_from_waiting_list(proposal=proposal, session=session, counter=counter)
    if not _take_seat(counter, _default_capacity(proposal, session)):
        raise SessionFull(
            _(
                "“%(title)s” is full. Join its waiting list: when a seat frees, it is yours and we "
                "tell you by mail."
            )
            % {"title": proposal.title}
        )
    booking = _create(
        event=proposal.event, user=by, proposal=proposal, state=SeatState.BOOKED, booked_at=timezone.now()
    )
    audit.record(action="seat.booked", actor=by, target=proposal, event_id=proposal.event_id, person=by.pk)
    return booking


@retry_when_busy
@transaction.atomic
def join_seat_waiting_list(*, proposal: Proposal, by) -> SeatBooking:
    """Put `by` on the waiting list of a full session (the same checks as `book_seat`). Refused while
    seats are left (book one instead). Should a seat free meanwhile, they get it at once.

    Side effects: audit entry; the seat mail when they (or others waiting) get a seat at once.
    """
    proposal = _load(proposal)
    session = _bookable(by, proposal)
    counter = _counter(proposal)
    seats = seat_queries.seats_of(proposal, session)
    if not seats.full:
        raise ServiceError(
            ngettext(
                "“%(title)s” has %(count)s seat left: book one.",
                "“%(title)s” has %(count)s seats left: book one.",
                seats.left,
            )
            % {"title": proposal.title, "count": seats.left}
        )
    booking = _create(event=proposal.event, user=by, proposal=proposal, state=SeatState.WAITING)
    audit.record(action="seat.waiting", actor=by, target=proposal, event_id=proposal.event_id, person=by.pk)
    fill_from_waiting_list(proposal=proposal, session=session, counter=counter)
    booking.refresh_from_db()
    return booking


@retry_when_busy
@transaction.atomic
def cancel_seat(*, by, booking: SeatBooking | None = None, proposal: Proposal | None = None) -> SeatBooking:
    """Give up a seat or a waiting-list place: `booking`, or `by`'s own at `proposal`. By its holder, the
    event's organisers (`can_edit_event`) or an operator (`by=None`); refused when there is none (it was
    cancelled already). A freed seat goes to the next person waiting who may have it (module docstring);
    the holder's own waiting-list places that no longer clash are filled too. Returns the booking as it
    was (deleted).

    Side effects: audit entry; the seat mail to whoever gets the freed seat.
    """
    if booking is None:
        if proposal is None or by is None:
            raise ServiceError(_("Say which seat to cancel."))
        rows = SeatBooking.objects.filter(user=by, proposal=proposal)
    else:
        rows = SeatBooking.objects.filter(pk=booking.pk)
    holder = rows.values_list("user_id", flat=True).first()
    if holder is not None:
        _lock_person(User(pk=holder))
    found = rows.select_for_update().select_related("event", "proposal__session_type", "user").first()
    if found is None:
        raise ServiceError(_("You have no seat and no waiting-list place at this session (any more)."))
    rules.check_can_cancel_seat(by, found)
    SeatBooking.objects.filter(pk=found.pk).delete()
    audit.record(
        action="seat.cancelled" if found.state == SeatState.BOOKED else "seat.left_waiting_list",
        actor=by,
        target=found.proposal,
        event_id=found.event_id,
        person=found.user_id,
    )
    if found.state == SeatState.BOOKED:
        counter = SessionSeats.objects.filter(proposal_id=found.proposal_id).first()
        if counter is not None:
            _free_seat(counter.pk)
        fill_from_waiting_list(proposal=found.proposal)
        # The seat given up may have been what kept its holder from another session they wait for.
        for waiting in SeatBooking.objects.filter(
            user_id=found.user_id, state=SeatState.WAITING
        ).select_related("proposal__event", "proposal__session_type"):
            fill_from_waiting_list(proposal=waiting.proposal)
    return found


def _may_have_seat(entry: SeatBooking, proposal: Proposal, session: ReleasedSession) -> bool:
    """Whether the person waiting may get the seat now: still allowed to book, and no overlap."""
    user = entry.user
    if rules.seat_refusal(user, proposal, session) is not None:
        return False
    return seat_queries.clashing_seat(user, session) is None


def _tell(entry: SeatBooking, proposal: Proposal, session: ReleasedSession) -> None:
    # The time in the words of the mail's language (its day and month names).
    with translation.override(recipient_language(to=entry.user.email, user=entry.user, event=proposal.event)):
        when = _when(session, proposal.event)
    queue_mail(
        to=entry.user.email,
        template="seat_from_waiting_list",
        context={
            "name": entry.user.name or entry.user.email,
            "title": proposal.title,
            "when": when,
            "room": session.room_name,
            "link": _talk_link(proposal),
        },
        event=proposal.event,
        user=entry.user,
    )


@transaction.atomic
def fill_from_waiting_list(
    *, proposal: Proposal, session: ReleasedSession | None = None, counter: SessionSeats | None = None
) -> list[SeatBooking]:
    """Give the free seats of `proposal` to the people waiting, in their order, skipping those who may
    not have one now (an overlapping seat, no valid ticket); returns the bookings that got a seat.
    Nothing happens for a session that takes no bookings now (not on the program, started). The
    services above call it in their transaction; `session` and `counter` save them a query.

    Side effects: audit entries and the seat mail to each person who gets a seat.
    """
    if not SeatBooking.objects.filter(proposal=proposal, state=SeatState.WAITING).exists():
        return []
    proposal = _load(proposal)
    session = session or rules.released_session(proposal)
    if session is None or not proposal.session_type.requires_seat or timezone.now() >= session.start:
        return []
    counter = counter or _counter(proposal)
    default = _default_capacity(proposal, session)
    given = []
    queue = SeatBooking.objects.filter(proposal=proposal, state=SeatState.WAITING).select_related("user")
    for entry in queue.order_by("created", "pk"):
        _lock_person(entry.user)
        if not _may_have_seat(entry, proposal, session):
            continue
        if not _take_seat(counter, default):
            break
        now = timezone.now()
        if not SeatBooking.objects.filter(pk=entry.pk, state=SeatState.WAITING).update(
            state=SeatState.BOOKED, booked_at=now
        ):
            _free_seat(counter.pk)  # they left the list meanwhile
            continue
        entry.state, entry.booked_at = SeatState.BOOKED, now
        audit.record(
            action="seat.booked_from_waiting_list",
            target=proposal,
            event_id=proposal.event_id,
            person=entry.user_id,
        )
        _tell(entry, proposal, session)
        given.append(entry)
    return given


@transaction.atomic
def fill_waiting_lists(*, event, proposals=None) -> list[SeatBooking]:
    """Give the free seats of every session of `event` that people wait for (of `proposals` only, the
    event's proposals as a queryset or list, when given) to them, as `fill_from_waiting_list` does for
    one session, in the order of the sessions' codes; returns the bookings that got a seat. For changes
    that may add seats without a booking or a cancellation (the receivers below).

    Side effects: audit entries and the seat mail to each person who gets a seat.
    """
    waiting = SeatBooking.objects.filter(event=event, state=SeatState.WAITING)
    if proposals is not None:
        waiting = waiting.filter(proposal__in=proposals)
    ids = set(waiting.values_list("proposal_id", flat=True))
    given = []
    for proposal in Proposal.objects.filter(pk__in=ids).order_by("code", "pk"):
        given += fill_from_waiting_list(proposal=proposal)
    return given


def on_release_published(sender, *, release, **kwargs) -> dict[str, int]:
    """Receiver of `schedule.signals.release_published`: a release may put a session in a bigger room, or
    publish its room with more seats, so the people waiting get the seats it adds; counts their mails."""
    return {"seats": len(fill_waiting_lists(event=release.event))}


def on_session_type_saved(sender, *, session_type, **kwargs) -> None:
    """Receiver of `events.signals.session_type_saved`: the type's sessions may have more seats now."""
    if session_type.requires_seat:
        fill_waiting_lists(event=session_type.event, proposals=session_type.proposals.all())


def on_proposal_edited(sender, *, proposal, fields, **kwargs) -> None:
    """Receiver of `proposals.signals.proposal_edited`: a session moved to another type may have more
    seats now."""
    if "session_type" in fields:
        fill_from_waiting_list(proposal=proposal)


@retry_when_busy
@transaction.atomic
def set_seat_capacity(
    *, proposal: Proposal, capacity: int | None, by, version: int | None = None
) -> SessionSeats:
    """Give a session that requires a seat its own number of seats (`None`: back to the smaller of its
    type's seats and its room's capacity). Only the event's organisers (`can_edit_event`) may. Refused
    below the seats booked already (cancel some first), and for a stale `version` (StaleEdit). Seats the
    change adds go to the people waiting.

    Side effects: audit entry; seat mails to people on the waiting list who get a seat.
    """
    proposal = _load(proposal)
    check_can_edit_event(by, proposal.event)
    if not proposal.session_type.requires_seat:
        raise ServiceError(
            _(
                "“%(title)s” is a %(type)s, whose sessions take no bookings; make "
                "the session type require a seat first."
            )
            % {"title": proposal.title, "type": proposal.session_type.name},
            field="capacity",
        )
    if capacity is not None and capacity < 1:
        raise ServiceError(
            _("A session has at least one seat; leave it empty for the default."), field="capacity"
        )
    _counter(proposal)
    counter = SessionSeats.objects.select_for_update().get(proposal=proposal)
    if version is not None and counter.version != version:
        raise StaleEdit(
            _(
                "Someone changed this session's seats while you were editing them. Here is what is stored "
                "now; make your change again if you still want to."
            )
        )
    if capacity is not None and capacity < counter.taken:
        raise ServiceError(
            ngettext(
                "%(taken)s seat is booked already, so the session needs at least %(taken)s; "
                "cancel bookings first to have fewer.",
                "%(taken)s seats are booked already, so the session needs at least %(taken)s; "
                "cancel bookings first to have fewer.",
                counter.taken,
            )
            % {"taken": counter.taken},
            field="capacity",
        )
    before = counter.capacity
    counter.capacity = capacity
    counter.version += 1
    counter.save(update_fields=["capacity", "version"])
    audit.record(
        action="seat.capacity_set",
        actor=by,
        target=proposal,
        event_id=proposal.event_id,
        capacity=capacity,
        before=before,
    )
    fill_from_waiting_list(proposal=proposal, counter=counter)
    counter.refresh_from_db()
    return counter
