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
    """One checkbox per half day of the event; all unchecked means always available."""

    PARTS = (
        ("morning", "Morning", 8, 13),
        ("afternoon", "Afternoon", 13, 18),
        ("evening", "Evening", 18, 23),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for day in event.days:
            for key, label, _, _ in self.PARTS:
                self.fields[f"{day.isoformat()}_{key}"] = forms.BooleanField(
                    required=False, label=f"{day:%A %d %B} {label.lower()}"
                )

    @classmethod
    def initial_for(cls, event, windows):
        initial = {}
        for day in event.days:
            for key, _, start_h, end_h in cls.PARTS:
                start = dt.datetime.combine(day, dt.time(start_h), tzinfo=event.tz)
                end = dt.datetime.combine(day, dt.time(end_h), tzinfo=event.tz)
                initial[f"{day.isoformat()}_{key}"] = any(w.start <= start and w.end >= end for w in windows)
        return initial

    def windows(self):
        result = []
        for day in self.event.days:
            for key, _, start_h, end_h in self.PARTS:
                if self.cleaned_data.get(f"{day.isoformat()}_{key}"):
                    start = dt.datetime.combine(day, dt.time(start_h), tzinfo=self.event.tz)
                    end = dt.datetime.combine(day, dt.time(end_h), tzinfo=self.event.tz)
                    if result and result[-1][1] == start:
                        result[-1] = (result[-1][0], end)
                    else:
                        result.append((start, end))
        return result


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
