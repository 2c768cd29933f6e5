"""A person's seats at sessions that need one, and their places on those sessions' waiting lists: their
part of the export and of the erasure. Erasure gives each seat up through attendance.seats first, so a
booked seat goes to the next person waiting (with its mail), then deletes the rows."""

from podium.attendance.models import SeatBooking
from podium.attendance.seats import cancel_seat


def _when(moment):
    return moment.isoformat() if moment else None


def export(user) -> dict:
    """Every seat and waiting-list place of the person, with the session's code and title."""
    bookings = SeatBooking.objects.filter(user=user).select_related("event", "proposal")
    return {
        "seats": [
            {
                "event": booking.event.slug,
                "proposal": booking.proposal.code,
                "title": booking.proposal.title,
                "state": booking.state,
                "created": _when(booking.created),
                "booked_at": _when(booking.booked_at),
            }
            for booking in bookings.order_by("event__slug", "created", "pk")
        ]
    }


def erase(user) -> dict[str, int]:
    """Give up the person's seats and waiting-list places (seats go to the next person waiting). Returns
    counts; call inside the erasure's transaction."""
    # Waiting-list places first: giving up a seat fills the holder's own places that no longer clash.
    bookings = list(SeatBooking.objects.filter(user=user).order_by("-state", "pk"))
    for booking in bookings:
        cancel_seat(booking=booking, by=None)
    return {"seats and waiting-list places": len(bookings)}
