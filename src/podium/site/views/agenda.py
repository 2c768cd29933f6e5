"""An attendee's agenda: their starred sessions and their seats (and places on waiting lists) from the
latest release by day, what changed in the starred ones since the release they last looked at, the
switch for change notices by mail, and the secret address of their calendar. A session they hold a
seat at that left the program stays in its day, marked cancelled."""

import itertools

from django.contrib import messages
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.attendance import services
from podium.attendance.models import AgendaPreference, CalendarFeed, SeatState
from podium.attendance.queries import starred_codes
from podium.attendance.seat_queries import bookings_of, mark_seats, seats_by_code
from podium.base.permissions import login_required
from podium.notices.services import ATTENDEE_KINDS
from podium.schedule import changelog
from podium.schedule.models import ReleasedSession, SlotKind
from podium.schedule.queries import latest_release
from podium.site.views.common import mark_starred, public_event


def _changes_since(event, version: int, latest, starred: set[str]) -> list[dict]:
    """The moves, changes and cancellations of starred sessions in the releases after `version`."""
    if not version or latest is None or latest.version <= version:
        return []
    entries = []
    for past in event.releases.filter(version__gt=version, version__lte=latest.version).order_by("version"):
        for change in changelog.readable(past.changes, event.tz):
            if change["kind"] in ATTENDEE_KINDS and change["code"] in starred:
                entries.append({**change, "release": past.name})
    return entries


@login_required
def agenda(request, event):
    """GET: the agenda (and remember the release seen). POST notify=1|0: turn change mails on or off."""
    event = public_event(event)
    if request.method == "POST":
        notify = request.POST.get("notify") == "1"
        services.set_change_notices(event=event, user=request.user, notify=notify)
        messages.success(
            request,
            _("You will get a mail when a session you starred changes.")
            if notify
            else _("You will no longer get mail about changes to your starred sessions."),
        )
        return redirect(reverse("site:agenda", kwargs={"event": event.slug}))
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    release = latest_release(event)
    starred = starred_codes(event, request.user)
    bookings = bookings_of(event, request.user)
    preference = AgendaPreference.objects.filter(event=event, user=request.user).first()
    seen = preference.last_seen_version if preference else 0
    sessions = []
    if release is not None:
        sessions = mark_starred(
            list(
                release.sessions.filter(kind=SlotKind.SESSION, code__in=starred | set(bookings)).order_by(
                    "start", "room_name"
                )
            ),
            starred,
        )
        _with_seats(event, release, sessions, bookings)
        services.mark_agenda_seen(event=event, user=request.user, version=release.version)
    return render(
        request,
        "site/agenda.html",
        {
            "event": event,
            "release": release,
            "sessions": sessions,
            "days": _by_day(sessions),
            "changes": _changes_since(event, seen, release, starred),
            "notify": bool(preference and preference.notify_changes),
            "feed_url": _feed_url(request, event),
        },
    )


def _with_seats(event, release, sessions: list, bookings: dict) -> None:
    """Put each session's seats and the visitor's booking on it, and add the sessions they hold a seat or
    a waiting-list place at that are no longer on the program, as the last release with them had them
    (`cancelled`), in time order."""
    if not bookings:
        return
    mark_seats(sessions, seats_by_code(event, release, bookings))
    for session in sessions:
        session.booking = bookings.get(session.code)
        if session.booking is not None and session.booking.state == SeatState.BOOKED:
            session.seats = None  # the seats left matter to those still waiting for one
    gone = set(bookings) - {session.code for session in sessions}
    if not gone:
        return
    last = {}
    earlier = ReleasedSession.objects.filter(release__event=event, kind=SlotKind.SESSION, code__in=gone)
    for session in earlier.order_by("code", "-release__version"):
        last.setdefault(session.code, session)
    for session in last.values():
        session.booking, session.cancelled, session.is_starred = bookings[session.code], True, False
        sessions.append(session)
    sessions.sort(key=lambda session: (session.start, session.room_name))


def _by_day(sessions) -> list[dict]:
    """The sessions grouped by conference day (sessions after midnight count for the day before), in
    order; seats booked are sessions like the starred ones, carrying their `booking`."""
    return [
        {"day": day, "sessions": list(group)}
        for day, group in itertools.groupby(sessions, key=lambda s: s.day)
    ]


def _feed_url(request, event) -> str:
    """The absolute address of the visitor's calendar feed, or "" when they have not made one."""
    feed = CalendarFeed.objects.filter(event=event, user=request.user).first()
    if feed is None:
        return ""
    path = reverse("site:agenda_ics", kwargs={"event": event.slug, "token": feed.key})
    return request.build_absolute_uri(path)


@login_required
@require_POST
def calendar_link(request, event):
    """POST: make a new secret address for the visitor's calendar; the old one stops working."""
    event = public_event(event)
    had_one = CalendarFeed.objects.filter(event=event, user=request.user).exists()
    services.renew_calendar_feed(event=event, user=request.user)
    messages.success(
        request,
        _("Here is a new address for your calendar; the old one no longer works.")
        if had_one
        else _("Here is the address of your calendar: add it to your calendar app as a subscription."),
    )
    return redirect(reverse("site:agenda", kwargs={"event": event.slug}) + "#calendar")
