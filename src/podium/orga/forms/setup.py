"""Forms of the event set-up and team pages. They parse and validate; the services in
podium.events.services save (and check the rules again, for every caller)."""

import datetime as dt
import itertools
import re
import zoneinfo

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from podium.base.forms import ConflictMixin
from podium.base.translated import column, other_languages
from podium.events.models import (
    MAX_PAUSE_MINUTES,
    RESERVED_SLUGS,
    Page,
    Room,
    SessionType,
    Team,
    Track,
    slug_validator,
    timezone_names,
)
from podium.events.rules import FLAGS
from podium.events.services import EVENT_FIELDS

LOCAL_FORMAT = "%Y-%m-%d %H:%M"
WINDOW_RE = re.compile(r"(\d{4}-\d{2}-\d{2} \d{1,2}:\d{2})\s*(?:-|–|to)\s*(\d{4}-\d{2}-\d{2} \d{1,2}:\d{2})")  # noqa: RUF001
LANGUAGE_CODE_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


def to_local(moment: dt.datetime | None, tz) -> dt.datetime | None:
    """An aware moment as the wall-clock time (naive) in `tz`, for a form's initial value."""
    return moment.astimezone(tz).replace(tzinfo=None) if moment else None


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time without a zone; the form attaches the event's zone itself.

    Django's own field would read the input in the active time zone (UTC here), not the event's.
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

    def to_python(self, value):
        with timezone.override(dt.UTC):  # UTC has no gaps, so reading the wall clock never fails
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else None


def _parse_pairs(text: str, *, what: str, parse_key) -> list[list]:
    """Lines of "key: label" as a list of [key, label]; keys unique; errors name the line."""
    pairs, seen = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, colon, label = line.partition(":")
        key, label = key.strip(), label.strip()
        if not colon or not key or not label:
            raise forms.ValidationError(
                gettext_lazy('Line %(number)s: write "%(what)s: label", e.g. %(example)s.')
                % {"number": number, "what": what, "example": parse_key.example}
            )
        try:
            key = parse_key(key)
        except ValueError as exc:
            raise forms.ValidationError(
                gettext_lazy("Line %(number)s: %(error)s") % {"number": number, "error": exc}
            ) from exc
        if key in seen:
            raise forms.ValidationError(
                gettext_lazy("Line %(number)s: %(key)s is listed twice.") % {"number": number, "key": key}
            )
        seen.add(key)
        pairs.append([key, label])
    return pairs


def _score(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f'"{text}" is not a whole number.') from None


_score.example = '"0: No"'


def _language_code(text: str) -> str:
    if not LANGUAGE_CODE_RE.fullmatch(text):
        raise ValueError(f'"{text}" is not a language code like "en" or "pt-BR".')
    return text


_language_code.example = '"en: English"'


class VersionedForm(ConflictMixin, forms.Form):
    """Base of the forms that edit an object two organisers can edit at once.

    The hidden `version` is the object's version when the form was shown; the service refuses the save
    when someone else saved in between (podium.base.errors.StaleEdit). A form that creates an object
    has no version to carry.
    """

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def carry_version(self, obj) -> None:
        """Keep `obj`'s version for an edit, or drop the field when `obj` is not saved yet."""
        if obj.pk is None:
            del self.fields["version"]
        elif not self.is_bound:
            self.initial["version"] = obj.version

    def clean(self):
        data = super().clean()
        if "version" in self.fields and data.get("version") is None:
            # Only an out-of-date page or a hand-made request lacks it; say so above the form,
            # where the page shows it, instead of on a hidden field.
            self.errors.pop("version", None)
            self.add_error(
                None, gettext_lazy("This page is out of date. Reload it and make your change again.")
            )
        return data


class EventSettingsForm(VersionedForm):
    """Every setting of an event; date-times are entered in the time zone chosen on the form."""

    name = forms.CharField(max_length=200)
    timezone = forms.ChoiceField(label=gettext_lazy("Time zone"), initial="UTC")
    date_from = forms.DateField(
        label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=gettext_lazy("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    day_start_hour = forms.IntegerField(
        label=gettext_lazy("The conference day starts at (hour)"),
        min_value=0,
        max_value=23,
        initial=4,
        help_text=gettext_lazy(
            "0 to 23. Sessions before this hour belong to the previous day (4 means 04:00)."
        ),
    )
    cfp_opens = LocalDateTimeField(
        label=gettext_lazy("Call for papers opens"),
        required=False,
        help_text=gettext_lazy("In the event's time zone. Empty: open now."),
    )
    cfp_closes = LocalDateTimeField(
        label=gettext_lazy("Call for papers closes"),
        required=False,
        help_text=gettext_lazy("In the event's time zone. Empty: no deadline."),
    )
    anonymise_review = forms.BooleanField(
        required=False, label=gettext_lazy("Anonymise review (reviewers do not see who the speakers are)")
    )
    score_labels = forms.CharField(
        label=gettext_lazy("Review score scale"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            'One score a line, "value: label", e.g. "0: No". At least two different whole numbers.'
        ),
    )
    languages = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy('One language a line, "code: label", e.g. "en: English".'),
    )
    is_public = forms.BooleanField(
        required=False, label=gettext_lazy("Public (the event's pages are listed and visible)")
    )
    show_accepted_talks = forms.BooleanField(
        required=False,
        label=gettext_lazy(
            "List the accepted talks publicly before the schedule is out (attendees can star them)"
        ),
    )
    publish_unconfirmed = forms.TypedChoiceField(
        label=gettext_lazy("Which sessions a release publishes"),
        choices=[
            ("", "Only confirmed sessions: accepted ones wait until their speakers confirm"),
            ("1", "Accepted sessions too: unconfirmed ones are marked tentative in calendar files"),
        ],
        coerce=bool,
        empty_value=False,
        required=False,
        initial="",
        widget=forms.RadioSelect,
        help_text=gettext_lazy("The acceptance mail tells speakers the same (unless the event reworded it)."),
    )
    contact_email = forms.EmailField(required=False, label=gettext_lazy("Contact e-mail"))
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}), help_text=gettext_lazy("Markdown works.")
    )
    min_pause_minutes = forms.IntegerField(
        label=gettext_lazy("Minimum pause between a speaker's sessions (minutes)"),
        required=False,
        min_value=0,
        max_value=MAX_PAUSE_MINUTES,
        initial=0,
        help_text=(
            f"0 to {MAX_PAUSE_MINUTES}. The scheduler keeps a speaker's sessions on one day at least this far "
            "apart, and the schedule warns when they are closer. Empty or 0: back to back is fine."
        ),
    )

    default_language = forms.ChoiceField(
        label=gettext_lazy("Language of mail"),
        choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
        required=False,  # not sent (an older form): unchanged
        help_text=gettext_lazy("Mail goes out in this language to people who have not chosen theirs."),
    )
    # The name and the description in the interface's other languages: one fieldset each on the page.
    name_de = forms.CharField(max_length=200, required=False, label=gettext_lazy("Name"))
    name_fr = forms.CharField(max_length=200, required=False, label=gettext_lazy("Name"))
    description_de = forms.CharField(
        required=False,
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Markdown works. Empty: readers of this language see the main text."),
    )
    description_fr = forms.CharField(
        required=False,
        label=gettext_lazy("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Markdown works. Empty: readers of this language see the main text."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(name, name) for name in timezone_names()]

    def translations(self) -> list[tuple[str, str, list]]:
        """(code, language, fields) of the name and description in each other language, for the page's
        fieldset per language."""
        return [
            (code, language, [self[column(name, code)] for name in ("name", "description")])
            for code, language in other_languages()
        ]

    @classmethod
    def initial_for(cls, event) -> dict:
        initial = {name: getattr(event, name) for name in EVENT_FIELDS}
        initial["cfp_opens"] = to_local(event.cfp_opens, event.tz)
        initial["cfp_closes"] = to_local(event.cfp_closes, event.tz)
        initial["score_labels"] = "\n".join(f"{value}: {label}" for value, label in event.score_labels)
        initial["languages"] = "\n".join(f"{code}: {label}" for code, label in event.languages)
        initial["publish_unconfirmed"] = "1" if event.publish_unconfirmed else ""
        initial["version"] = event.version
        return initial

    def clean_score_labels(self):
        pairs = _parse_pairs(self.cleaned_data["score_labels"], what="value", parse_key=_score)
        if len(pairs) < 2:
            raise forms.ValidationError(gettext_lazy("The review scale needs at least two scores."))
        return sorted(pairs)

    def clean_min_pause_minutes(self):
        return self.cleaned_data["min_pause_minutes"] or 0

    def clean_languages(self):
        pairs = _parse_pairs(self.cleaned_data["languages"], what="code", parse_key=_language_code)
        if not pairs:
            raise forms.ValidationError(gettext_lazy("Name at least one language."))
        return pairs

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", gettext_lazy("The last day cannot be before the first day."))
        # The wall-clock times on the form are read in the time zone chosen on the same form.
        tz = zoneinfo.ZoneInfo(data["timezone"]) if data.get("timezone") else None
        for name in ("cfp_opens", "cfp_closes"):
            if data.get(name) and tz:
                data[name] = data[name].replace(tzinfo=tz)
        if data.get("cfp_opens") and data.get("cfp_closes") and data["cfp_closes"] <= data["cfp_opens"]:
            self.add_error("cfp_closes", gettext_lazy("The call for papers must close after it opens."))
        return data

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in EVENT_FIELDS}
        if not data["default_language"]:
            del data["default_language"]
        return data


class EventCreateForm(EventSettingsForm):
    version = None  # a new event has no version to compare
    slug = forms.CharField(
        label=gettext_lazy("Short name"),
        max_length=49,
        validators=[slug_validator],
        help_text=gettext_lazy(
            "Used in the event's web addresses, e.g. pycon-2031. Cannot be changed later."
        ),
    )

    field_order = ["name", "slug"]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                gettext_lazy('"%(slug)s" is reserved for the site itself; choose another.') % {"slug": slug}
            )
        return slug


class EventOwnedForm(VersionedForm, forms.ModelForm):
    """A form for an object of one event (room, track, session type)."""

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.carry_version(self.instance)

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RoomForm(EventOwnedForm):
    availability = forms.CharField(
        required=False,
        label=gettext_lazy("Availability"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=(
            gettext_lazy(
                'One window a line, "YYYY-MM-DD HH:MM - YYYY-MM-DD HH:MM", in the event\'s time zone. '
                "Empty: available all event long."
            )
        ),
    )

    class Meta:
        model = Room
        fields = ["name", "capacity", "position", "description"]
        labels = {
            "position": pgettext_lazy("position in a list", "Order"),
            "capacity": gettext_lazy("Capacity (seats)"),
        }
        help_texts = {"position": gettext_lazy("Rooms are listed by this number, then by name.")}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        day = event.date_from.isoformat()
        self.fields["availability"].widget.attrs["placeholder"] = f"{day} 09:00 - {day} 18:00"
        if self.instance.pk and not self.is_bound:
            self.initial["availability"] = "\n".join(
                f"{to_local(w.start, event.tz):{LOCAL_FORMAT}} - {to_local(w.end, event.tz):{LOCAL_FORMAT}}"
                for w in self.instance.availabilities.all()
            )

    def clean_availability(self):
        windows = []
        for number, line in enumerate(self.cleaned_data["availability"].splitlines(), start=1):
            if not line.strip():
                continue
            match = WINDOW_RE.fullmatch(line.strip())
            try:
                if not match:
                    raise ValueError
                start, end = (
                    dt.datetime.strptime(text, LOCAL_FORMAT).replace(tzinfo=self.event.tz).astimezone(dt.UTC)
                    for text in match.groups()
                )
            except ValueError:
                raise forms.ValidationError(
                    gettext_lazy(
                        'Line %(number)s: write "YYYY-MM-DD HH:MM - YYYY-MM-DD HH:MM", e.g. '
                        '"%(day)s 09:00 - %(day)s 18:00".'
                    )
                    % {"number": number, "day": self.event.date_from}
                ) from None
            if end <= start:
                raise forms.ValidationError(
                    gettext_lazy("Line %(number)s: the window must end after it starts.") % {"number": number}
                )
            windows.append((start, end))
        windows.sort()
        for (_, end), (start, _) in itertools.pairwise(windows):
            if start < end:
                raise forms.ValidationError(
                    gettext_lazy("Availability windows must not overlap; merge them into one.")
                )
        return windows


class TrackForm(EventOwnedForm):
    class Meta:
        model = Track
        fields = ["name", "colour", "description"]
        widgets = {
            "colour": forms.TextInput(attrs={"type": "color"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"colour": gettext_lazy("A colour like #1f6feb; shown on the schedule.")}


class SessionTypeForm(EventOwnedForm):
    class Meta:
        model = SessionType
        fields = ["name", "duration_minutes", "is_plenary", "rooms", "requires_seat", "seats"]
        labels = {
            "duration_minutes": gettext_lazy("Duration (minutes)"),
            "is_plenary": gettext_lazy("Plenary"),
            "rooms": gettext_lazy("Suitable rooms"),
            "requires_seat": gettext_lazy("Attendees book a seat (tutorials, workshops)"),
            "seats": gettext_lazy("Seats per session"),
        }
        help_texts = {
            "duration_minutes": gettext_lazy("5 to 1440 minutes."),
            "rooms": (
                gettext_lazy(
                    "Sessions of this type belong in these rooms (e.g. tutorials in rooms with tables); "
                    "the scheduler keeps them there and the schedule flags any elsewhere. None ticked: any room."
                )
            ),
            "requires_seat": (
                gettext_lazy(
                    "Attendees book a seat on the talk page (with a ticket, when the event sells tickets); "
                    "when the seats are gone they join a waiting list."
                )
            ),
            "seats": (
                gettext_lazy(
                    "Needed when attendees book a seat. A session placed in a smaller room has the room's "
                    "capacity; a session's own number (on its page) overrides both."
                )
            ),
        }
        widgets = {"rooms": forms.CheckboxSelectMultiple}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["rooms"].queryset = event.rooms.all()  # only this event's rooms can be chosen

    def clean(self):
        data = super().clean()
        if data.get("requires_seat") and data.get("seats") is None and "seats" not in self.errors:
            self.add_error("seats", gettext_lazy("Give the number of seats a session of this type has."))
        return data

    def service_data(self) -> dict:
        data = super().service_data()
        data["rooms"] = list(data["rooms"])
        return data


class PageForm(EventOwnedForm):
    """An information page: its Markdown is previewed on the page before it is saved."""

    class Meta:
        model = Page
        fields = ["title", "slug", "body", "position", "state", "title_de", "body_de", "title_fr", "body_fr"]
        labels = {
            "slug": gettext_lazy("Short name in the address"),
            "body": gettext_lazy("Text"),
            "position": pgettext_lazy("position in a list", "Order"),
            **{column("title", code): gettext_lazy("Title") for code, _name in other_languages()},
            **{column("body", code): gettext_lazy("Text") for code, _name in other_languages()},
        }
        help_texts = {
            "slug": gettext_lazy("/<event>/pages/<short name>/. Empty: taken from the title."),
            "body": (
                gettext_lazy(
                    "Markdown: ### for a heading, - for a list item, **bold**, [text](https://…) for a link. "
                    "The title is the page's main heading."
                )
            ),
            "position": gettext_lazy(
                "The site's menu lists published pages by this number. Empty: after the last page."
            ),
            "state": gettext_lazy(
                "Only a published page is on the site; a draft is seen by the organisers only."
            ),
        }
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16}),
            **{column("body", code): forms.Textarea(attrs={"rows": 10}) for code, _name in other_languages()},
        }

    def translations(self) -> list[tuple[str, str, list]]:
        """(code, language, fields) of the title and text in each other language (a fieldset each)."""
        return [
            (code, language, [self[column(name, code)] for name in ("title", "body")])
            for code, language in other_languages()
        ]

    @property
    def translated_names(self) -> list[str]:
        """The fields `translations` shows (the page lists the others first)."""
        return [field.name for _code, _language, fields in self.translations() for field in fields]

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["slug"].required = False
        self.fields["position"].required = False
        self.fields["slug"].help_text = self.fields["slug"].help_text.replace("<event>", event.slug)


class TeamForm(VersionedForm, forms.ModelForm):
    limit_events = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Limited to these events"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Used only when the team does not work on all events."),
    )
    limit_tracks = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        label=gettext_lazy("Limited to these tracks"),
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            gettext_lazy(
                "Members see only these tracks' proposals (unless the team may edit the event). "
                "None ticked: every track."
            )
        ),
    )

    class Meta:
        model = Team
        fields = ["name", *FLAGS, "all_events"]
        labels = {
            "is_admin": gettext_lazy("Administrator"),
            "can_edit_event": gettext_lazy("Edit the event"),
            "can_review": pgettext_lazy("team permission", "Review"),
            "can_schedule": pgettext_lazy("team permission", "Schedule"),
            "can_draft_mail": gettext_lazy("Draft mail"),
            "can_approve_mail": gettext_lazy("Approve mail"),
            "can_send_mail": gettext_lazy("Send mail"),
            "can_check_in": gettext_lazy("Check in attendees"),
            "can_manage_sponsors": gettext_lazy("Manage sponsors"),
            "can_issue_letters": gettext_lazy("Issue visa letters"),
            "all_events": gettext_lazy("Works on all of the organiser's events"),
        }

    def __init__(self, *args, organiser, **kwargs):
        super().__init__(*args, **kwargs)
        self.organiser = organiser
        self.fields["limit_events"].queryset = organiser.events.order_by("-date_from", "name")
        self.fields["limit_tracks"].queryset = (
            Track.objects.filter(event__organiser=organiser)
            .select_related("event")
            .order_by("event__name", "name")
        )
        self.fields["limit_tracks"].label_from_instance = lambda track: f"{track.event.name}: {track.name}"
        self.carry_version(self.instance)
        if self.instance.pk and not self.is_bound:
            self.initial["limit_events"] = list(self.instance.limit_events.all())
            self.initial["limit_tracks"] = list(self.instance.limit_tracks.all())

    def clean(self):
        data = super().clean()
        if "all_events" in data and not data["all_events"] and not data.get("limit_events"):
            self.add_error(
                "limit_events", gettext_lazy("Choose the events this team works on, or give it all events.")
            )
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def events(self):
        return [] if self.cleaned_data["all_events"] else list(self.cleaned_data["limit_events"])

    def tracks(self):
        return list(self.cleaned_data["limit_tracks"])


class TeamInviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of the person to invite"))
