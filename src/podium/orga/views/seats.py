"""The seats at sessions that need one (tutorials): every such session with its capacity, seats booked
and people waiting; who booked and who waits at one session (also as a spreadsheet); and the session's
own number of seats. The lists are for the team members who see the attendees (`can_check_in` or
`can_edit_event`, attendance.rules.SEAT_LIST_READERS); the number is set by those who edit the event."""

import csv
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from podium.attendance import rules, seat_queries, seats
from podium.attendance.models import SessionSeats
from podium.base.bidi import isolated
from podium.base.forms import save_form
from podium.interop.exporters.csv import safe_cell
from podium.orga.access import event_permission
from podium.orga.forms.seats import SeatCapacityForm
from podium.schedule.queries import latest_release

can_see_seat_lists = event_permission(*rules.SEAT_LIST_READERS)
CSV_COLUMNS = ("state", "position", "name", "email", "since")


def _seat_proposal(event, code: str):
    """The event's session with this code whose type requires a seat; 404 for any other."""
    proposal = (
        event.proposals.select_related("session_type", "event")
        .filter(code=code.upper(), session_type__requires_seat=True)
        .first()
    )
    if proposal is None:
        raise Http404(_("There is no session with booked seats with this code."))
    return proposal


def seat_panel(request, proposal) -> dict:
    """What the session's page in the back office shows of its seats (nothing for a session that needs
    none): the seats, and the form of its own number for those who edit the event."""
    if not proposal.session_type.requires_seat:
        return {}
    session = seat_queries.program_session(proposal)
    counter = SessionSeats.objects.filter(proposal=proposal).first()
    return {
        "seats": seat_queries.seats_of(proposal, session),
        "seat_session": session,
        "seat_form": SeatCapacityForm.for_counter(counter) if request.permissions.can_edit_event else None,
        "seat_lists": rules.can_see_seat_lists(request.user, proposal.event),
    }


@can_see_seat_lists
def seat_sessions(request, event):
    event = request.event
    release = latest_release(event)
    return render(
        request,
        "orga/seats/list.html",
        {"event": event, "release": release, "rows": seat_queries.seat_sessions(event, release)},
    )


def _render_session(request, proposal, *, form=None, status=200):
    session = seat_queries.program_session(proposal)
    booked, waiting = seat_queries.session_people(proposal)
    if form is None and request.permissions.can_edit_event:
        form = SeatCapacityForm.for_counter(SessionSeats.objects.filter(proposal=proposal).first())
    return render(
        request,
        "orga/seats/session.html",
        {
            "event": request.event,
            "proposal": proposal,
            "session": session,
            "seats": seat_queries.seats_of(proposal, session),
            "booked": booked,
            "waiting": waiting,
            "form": form,
        },
        status=status,
    )


@can_see_seat_lists
def seat_session(request, event, code):
    return _render_session(request, _seat_proposal(request.event, code))


@can_see_seat_lists
def seat_session_csv(request, event, code):
    """Who booked a seat (in the order they got it) and who waits (in the list's order)."""
    proposal = _seat_proposal(request.event, code)
    booked, waiting = seat_queries.session_people(proposal)
    tz = request.event.tz
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for booking in booked:
        row = [
            "booked",
            "",
            booking.user.name,
            booking.user.email,
            localtime(booking.booked_at, tz).isoformat(),
        ]
        writer.writerow([safe_cell(value) for value in row])
    for booking in waiting:
        row = [
            "waiting",
            booking.position,
            booking.user.name,
            booking.user.email,
            localtime(booking.created, tz).isoformat(),
        ]
        writer.writerow([safe_cell(value) for value in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{request.event.slug}-{proposal.code.lower()}-seats.csv"'
    )
    add_never_cache_headers(response)
    return response


@event_permission("can_edit_event")
def seat_capacity(request, event, code):
    """POST capacity (empty: the default) and version. A refusal shows on the session's seats page
    with what was typed; a stale edit shows the stored number with the conflict above it."""
    proposal = _seat_proposal(request.event, code)
    if request.method != "POST":
        return redirect("orga:seat_session", event=request.event.slug, code=proposal.code)
    form, saved = save_form(
        SeatCapacityForm(request.POST),
        lambda form: seats.set_seat_capacity(
            proposal=proposal,
            capacity=form.cleaned_data["capacity"],
            by=request.user,
            version=form.cleaned_data["version"],
        ),
        reload=lambda: SeatCapacityForm.for_counter(SessionSeats.objects.filter(proposal=proposal).first()),
    )
    if saved is None:
        return _render_session(request, proposal, form=form)
    messages.success(request, _("The seats of “%(title)s” were saved.") % {"title": isolated(proposal.title)})
    return redirect("orga:seat_session", event=request.event.slug, code=proposal.code)
