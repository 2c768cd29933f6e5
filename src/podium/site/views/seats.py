"""Booking a seat at a session that needs one (a tutorial), from its talk page: book, join the waiting
list, or give the seat or the place on the list up. A refusal shows on the talk page, saying why."""

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from podium.attendance import seats
from podium.attendance.models import SeatState
from podium.base.errors import ServiceError
from podium.base.permissions import login_required
from podium.schedule.queries import latest_release
from podium.site.views.common import public_event, safe_next
from podium.site.views.program import render_talk

ACTIONS = ("book", "wait", "cancel")


def _apply(action: str, proposal, user) -> str:
    """Do what the button asked; returns the confirmation to show."""
    title = proposal.title
    if action == "book":
        seats.book_seat(proposal=proposal, by=user)
        return _("You have a seat at “%(title)s”. It is in your agenda.") % {"title": title}
    if action == "wait":
        booking = seats.join_seat_waiting_list(proposal=proposal, by=user)
        if booking.state == SeatState.BOOKED:
            return _("A seat at “%(title)s” was free after all: it is yours.") % {"title": title}
        return _(
            "You are on the waiting list of “%(title)s”. When a seat frees, it is yours and we tell you by mail."
        ) % {"title": title}
    cancelled = seats.cancel_seat(proposal=proposal, by=user)
    if cancelled.state == SeatState.BOOKED:
        return _("Your seat at “%(title)s” is cancelled; the next person waiting gets it.") % {"title": title}
    return _("You left the waiting list of “%(title)s”.") % {"title": title}


@login_required
def seat(request, event, code):
    """POST action=book|wait|cancel (and an optional `next` on this site to go back to). A GET, after
    logging in from the talk page, goes back to the talk."""
    event = public_event(event)
    code = code.upper()
    proposal = event.proposals.select_related("session_type").filter(code=code).first()
    if proposal is None:
        raise Http404("There is no session with this code.")
    talk_url = reverse("site:talk", kwargs={"event": event.slug, "code": code}) + "#seat"
    if request.method == "GET":
        return redirect(talk_url)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    back = safe_next(request, talk_url)
    action = request.POST.get("action", "")
    try:
        if action not in ACTIONS:
            raise ServiceError(_("Choose to book a seat, to join the waiting list, or to cancel."))
        done = _apply(action, proposal, request.user)
    except ServiceError as exc:
        release = latest_release(event)
        if back != talk_url or release is None or not release.sessions.filter(code=code).exists():
            messages.error(request, exc.message)
            return redirect(back)
        return render_talk(request, event, release, code, seat_error=exc.message)
    messages.success(request, done)
    return redirect(back)
