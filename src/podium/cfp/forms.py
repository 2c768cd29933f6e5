import datetime as dt
import uuid

from django import forms

from podium.base.uploads import clean_image
from podium.proposals.forms import ProposalFieldsForm


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name as it should appear in the program")
    bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=3000,
        help_text="A few sentences about you, in the third person. Markdown works.",
    )
    website = forms.URLField(required=False, assume_scheme="https")
    social = forms.CharField(max_length=200, required=False, label="Social media handle")
    photo = forms.FileField(
        required=False,
        help_text="JPEG, PNG or WebP, at most 2 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(required=False, label="Remove my current photo")

    def service_data(self) -> dict:
        """The keyword arguments of proposals.services.save_speaker_profile."""
        return {
            name: self.cleaned_data[name]
            for name in ("name", "bio", "website", "social", "photo", "remove_photo")
        }

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            return clean_image(upload)
        return None


class AvailabilityForm(forms.Form):
    """Two checkboxes per part of each event day: "I can present then" and "I would rather present then".

    Nothing ticked in the first column means "any time". A preferred part counts as a time the speaker can
    present, so ticking only preferred parts keeps them available all event long.
    """

    PARTS = (
        ("morning", "Morning", 8, 13),
        ("afternoon", "Afternoon", 13, 18),
        ("evening", "Evening", 18, 23),
    )
    PREFERRED = "_preferred"

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for day in event.days:
            for key, label, _, _ in self.PARTS:
                name, when = f"{day.isoformat()}_{key}", f"{day:%A %d %B} {label.lower()}"
                self.fields[name] = forms.BooleanField(
                    required=False,
                    label=when,
                    widget=forms.CheckboxInput(attrs={"aria-label": f"I can present: {when}"}),
                )
                self.fields[name + self.PREFERRED] = forms.BooleanField(
                    required=False,
                    label=f"Preferred: {when}",
                    widget=forms.CheckboxInput(attrs={"aria-label": f"I would rather present: {when}"}),
                )

    def _parts(self):
        """(field name, start, end) of every part of every day, in time order."""
        for day in self.event.days:
            for key, _, start_h, end_h in self.PARTS:
                start = dt.datetime.combine(day, dt.time(start_h), tzinfo=self.event.tz)
                end = dt.datetime.combine(day, dt.time(end_h), tzinfo=self.event.tz)
                yield f"{day.isoformat()}_{key}", start, end

    def rows(self):
        """(label, "can present" box, "preferred" box) per part of a day, for the template's table."""
        return [
            (self.fields[name].label, self[name], self[name + self.PREFERRED]) for name, _, _ in self._parts()
        ]

    @classmethod
    def initial_for(cls, event, windows):
        """Ticks for the stored SpeakerAvailability rows: a part is ticked when a window covers it."""
        form = cls(event=event)
        initial = {}
        for name, start, end in form._parts():
            for suffix, preferred in (("", False), (cls.PREFERRED, True)):
                initial[name + suffix] = any(
                    w.preferred == preferred and w.start <= start and w.end >= end for w in windows
                )
        return initial

    @staticmethod
    def _joined(parts):
        result = []
        for start, end in parts:
            if result and result[-1][1] == start:
                result[-1] = (result[-1][0], end)
            else:
                result.append((start, end))
        return result

    def windows(self):
        """The times the speaker can present (none: any time), preferred parts included."""
        can = [(start, end) for name, start, end in self._parts() if self.cleaned_data.get(name)]
        if not can:
            return []
        return self._joined(
            (start, end)
            for name, start, end in self._parts()
            if self.cleaned_data.get(name) or self.cleaned_data.get(name + self.PREFERRED)
        )

    def preferred_windows(self):
        """The times the speaker would rather present."""
        return self._joined(
            (start, end) for name, start, end in self._parts() if self.cleaned_data.get(name + self.PREFERRED)
        )


class ProposalForm(ProposalFieldsForm):
    """The speaker's proposal; the random key makes a double submission create one proposal."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta(ProposalFieldsForm.Meta):
        help_texts = {
            "abstract": "Up to 1,000 characters; shown in the program.",
            "description": "The detail for reviewers and attendees. Markdown works.",
            "notes": "Only the organisers read this.",
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["track"].required = event.tracks.exists()
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = uuid.uuid4().hex


class InviteForm(forms.Form):
    email = forms.EmailField(label="Co-speaker's e-mail")
