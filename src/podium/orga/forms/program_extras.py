"""Forms of the tags, a session's material and recording, and copying an event."""

import datetime as dt

from django import forms

from podium.orga.forms.review import ProposalFilterForm
from podium.proposals.forms import MaterialsForm, SlidesForm

__all__ = ["MaterialsForm", "SlidesForm"]


class TaggedProposalFilterForm(ProposalFilterForm):
    """The proposal list's filters with the event's tags (an unknown tag is reported and ignored)."""

    tag = forms.ModelChoiceField(queryset=None, required=False, empty_label="All tags")

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["tag"].queryset = event.tags.all()

    def apply(self, proposals, *, search_speakers: bool):
        proposals = super().apply(proposals, search_speakers=search_speakers)
        tag = self.cleaned_data.get("tag")
        return proposals.filter(tags=tag) if tag else proposals


class TagForm(forms.Form):
    name = forms.CharField(max_length=50)
    colour = forms.CharField(
        max_length=7, initial="#6c757d", widget=forms.TextInput(attrs={"type": "color"}), required=False
    )
    public = forms.BooleanField(required=False, help_text="Show the tag on the public talk pages.")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class BulkTagForm(forms.Form):
    """Put a tag on the ticked proposals or take it off; an unknown code refuses the whole form."""

    tag = forms.ModelChoiceField(
        queryset=None,
        error_messages={"required": "Choose a tag.", "invalid_choice": "Choose one of the event's tags."},
    )
    action = forms.ChoiceField(
        choices=[("add", "Add tag"), ("remove", "Remove tag")],
        error_messages={"required": "Choose to add or remove the tag."},
    )
    codes = forms.MultipleChoiceField(
        error_messages={
            "required": "Select at least one proposal.",
            "invalid_choice": "No proposal you may see has the code %(value)s. Nothing was tagged.",
        },
    )

    def __init__(self, *args, event, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = event.tags.all()
        self.fields["codes"].choices = [(code, code) for code in proposals.values_list("code", flat=True)]


class RecordingForm(forms.Form):
    video_url = forms.CharField(
        max_length=500, required=False, label="Recording address", help_text="https://… (empty: no recording)"
    )
    recording_license = forms.CharField(max_length=200, required=False, label="Recording licence")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CopyEventForm(forms.Form):
    name = forms.CharField(max_length=200, label="Name of the new edition")
    slug = forms.SlugField(
        max_length=49, label="Short name", help_text="Lowercase letters, digits and hyphens."
    )
    start = forms.DateField(
        label="First day", help_text="Every date moves by the same number of days.", widget=forms.DateInput(
            attrs={"type": "date"}
        ),
    )  # fmt: skip
    team_members = forms.BooleanField(
        required=False,
        initial=True,
        label="Keep the teams' members",
        help_text="Unticked, the teams limited to this event are copied without members.",
    )

    def __init__(self, *args, source, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            start = (
                source.date_from.replace(year=source.date_from.year + 1)
                if source.date_from.month != 2 or (source.date_from.day != 29)
                else source.date_from + dt.timedelta(days=365)
            )
            self.initial.update({"name": source.name, "slug": "", "start": start})
