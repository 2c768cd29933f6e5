"""Forms of the schedule editor and the release page. They parse and validate; the services in
podium.schedule.services place, move and publish (and check the rules again, for every caller).

Times on these forms are wall-clock times in the event's time zone on a conference day: a time
before the event's day start hour (04:00 by default) is the night after that day.
"""

import datetime as dt

from django import forms
from django.utils import formats
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from podium.events.models import Room
from podium.orga.forms.setup import VersionedForm

TIME_HELP = _("HH:MM in the event's time zone.")


def local_moment(event, day: dt.date, time: dt.time) -> dt.datetime:
    """The moment of `time` on conference `day`: times before the day's start hour are the night after."""
    date = day if time.hour >= event.day_start_hour else day + dt.timedelta(days=1)
    return dt.datetime.combine(date, time, tzinfo=event.tz)


def day_choices(event) -> list[tuple[str, str]]:
    return [(day.isoformat(), formats.date_format(day, "l j F Y")) for day in event.days]


def parse_day(event, text) -> dt.date | None:
    """One of the event's days from "YYYY-MM-DD", or None for anything else."""
    try:
        day = dt.date.fromisoformat(str(text or ""))
    except ValueError:
        return None
    return day if day in event.days else None


class RoomChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, room):
        if not room.capacity:
            return room.name
        return ngettext("%(room)s (%(count)s seat)", "%(room)s (%(count)s seats)", room.capacity) % {
            "room": room.name,
            "count": room.capacity,
        }


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=TIME_HELP,
        error_messages={"invalid": _("Write the time as HH:MM, e.g. 10:30."), "required": _("Give a time.")},
    )


class EventDayForm(VersionedForm):
    """A day of the event plus times on it (see local_moment)."""

    day = forms.ChoiceField(label=_("Day"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["day"].choices = day_choices(event)
        if event.day_start_hour:
            self.fields["day"].help_text = _g("Times before %(hour)s are the night after this day.") % {
                "hour": f"{event.day_start_hour:02d}:00"
            }

    def moment(self, name: str) -> dt.datetime | None:
        day, time = self.cleaned_data.get("day"), self.cleaned_data.get(name)
        if not day or time is None:
            return None
        return local_moment(self.event, dt.date.fromisoformat(day), time)


class SlotForm(EventDayForm):
    """Place or move one session without dragging: room, day and start time."""

    room = RoomChoiceField(
        queryset=Room.objects.none(),
        label=_("Room"),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose a room of this event.")},
    )
    time = _time_field(_("Start time"))

    field_order = ["room", "day", "time"]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["room"].queryset = event.rooms.all()

    @classmethod
    def initial_for(cls, event, slot) -> dict:
        """The form's values for where `slot` is now (or an empty form for an unscheduled session)."""
        if slot is None or slot.start is None:
            return {"version": slot.version if slot else 0}
        local = slot.start.astimezone(event.tz)
        return {
            "room": slot.room_id,
            "day": event.conference_day(slot.start).isoformat(),
            "time": local.time().replace(second=0, microsecond=0),
            "version": slot.version,
        }

    def start(self) -> dt.datetime:
        return self.moment("time")


class BreakForm(EventDayForm):
    """A break in one room or in every room, on one day."""

    title = forms.CharField(max_length=200, label=_("Title"), help_text=_("E.g. Lunch or Coffee break."))
    room = RoomChoiceField(
        queryset=Room.objects.none(),
        label=_("Room"),
        required=False,
        empty_label=_("Every room"),
        error_messages={"invalid_choice": _("Choose a room of this event.")},
    )
    start = _time_field(_("Starts at"))
    end = _time_field(_("Ends at"))

    field_order = ["title", "room", "day", "start", "end"]

    def __init__(self, *args, event, slot=None, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["room"].queryset = event.rooms.all()
        if slot is None:
            del self.fields["version"]  # a new break has no version to compare

    @classmethod
    def initial_for(cls, event, slot) -> dict:
        start, end = slot.start.astimezone(event.tz), slot.end.astimezone(event.tz)
        return {
            "title": slot.title,
            "room": slot.room_id,
            "day": event.conference_day(slot.start).isoformat(),
            "start": start.time().replace(second=0, microsecond=0),
            "end": end.time().replace(second=0, microsecond=0),
            "version": slot.version,
        }

    def clean(self):
        data = super().clean()
        start, end = self.moment("start"), self.moment("end")
        if start and end and end <= start:
            self.add_error("end", _g("A break ends after it starts."))
        return data


class UnscheduleForm(forms.Form):
    """What the editor sends when a session is dropped on the list of unscheduled sessions."""

    code = forms.CharField(max_length=16)
    version = forms.IntegerField(
        min_value=0,
        error_messages={
            "invalid": _("The editor sent no valid version; reload the page."),
            "required": _("The editor sent no version; reload the page."),
        },
    )


class PinForm(UnscheduleForm):
    """What the editor's pin and unpin buttons send: the session, the version seen, and the pin wanted."""

    pinned = forms.TypedChoiceField(
        choices=[("1", _("Pin")), ("0", _("Unpin"))],
        coerce=lambda value: value == "1",
        error_messages={
            "required": _("Say whether to pin or unpin."),
            "invalid_choice": _("Pin (1) or unpin (0)."),
        },
    )


class PlaceForm(UnscheduleForm):
    """What the editor sends when a session is dropped on the grid (and what a script may send)."""

    room = forms.ModelChoiceField(
        queryset=Room.objects.none(),
        error_messages={"invalid_choice": _("Choose a room of this event."), "required": _("Choose a room.")},
    )
    start = forms.CharField(
        max_length=64, error_messages={"required": _("Give a start time, e.g. 2031-05-17T15:00:00+00:00.")}
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["room"].queryset = event.rooms.all()

    def clean_start(self) -> dt.datetime:
        text = self.cleaned_data["start"].strip()
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(
                _g("“%(text)s” is not a start time; expected e.g. 2031-05-17T15:00:00+00:00.")
                % {"text": text}
            ) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.event.tz)  # a wall-clock time of the event
        return moment


class ReleaseForm(forms.Form):
    name = forms.CharField(
        max_length=100, required=False, label=_("Name"), help_text=_("Empty: the release's number.")
    )
    comment = forms.CharField(
        required=False,
        label=_("Public comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown with the changelog, e.g. what changed and why."),
    )

    def __init__(self, *args, next_version: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["placeholder"] = f"v{next_version}"
