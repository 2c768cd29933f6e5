"""The form of a session's own number of seats (a session that needs a booked seat). It parses;
attendance.seats.set_seat_capacity decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.base.forms import ConflictMixin


class SeatCapacityForm(ConflictMixin, forms.Form):
    capacity = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=100_000,
        label=_("Seats of this session"),
        help_text=_("Empty: the smaller of the session type's seats and the room's capacity."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_counter(cls, counter):
        """The form as stored: the session's own number (if any) and the version to compare."""
        if counter is None:
            return cls(initial={"capacity": None, "version": 1})  # a new counter starts at 1
        return cls(initial={"capacity": counter.capacity, "version": counter.version})
