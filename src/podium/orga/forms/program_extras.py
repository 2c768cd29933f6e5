"""Forms of the tags, a session's material and recording, and copying an event."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.orga.forms.review import ProposalFilterForm
from podium.proposals.forms import MaterialsForm, SlidesForm

__all__ = ["MaterialsForm", "SlidesForm"]


class TaggedProposalFilterForm(ProposalFilterForm):
    """The proposal list's filters with the event's tags (an unknown tag is reported and ignored)."""

    tag = forms.ModelChoiceField(queryset=None, required=False, empty_label=_("All tags"), label=_("Tag"))

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["tag"].queryset = event.tags.all()

    def apply(self, proposals, *, search_speakers: bool):
        proposals = super().apply(proposals, search_speakers=search_speakers)
        tag = self.cleaned_data.get("tag")
        return proposals.filter(tags=tag) if tag else proposals


class TagForm(forms.Form):
    name = forms.CharField(max_length=50, label=_("Name"))
    colour = forms.CharField(
        max_length=7,
        initial="#6c757d",
        widget=forms.TextInput(attrs={"type": "color"}),
        required=False,
        label=_("Colour"),
    )
    public = forms.BooleanField(
        required=False, label=_("Public"), help_text=_("Show the tag on the public talk pages.")
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class BulkTagForm(forms.Form):
    """Put a tag on the ticked proposals or take it off; an unknown code refuses the whole form."""

    tag = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "required": _("Choose a tag."),
            "invalid_choice": _("Choose one of the event's tags."),
        },
    )
    action = forms.ChoiceField(
        choices=[("add", _("Add tag")), ("remove", _("Remove tag"))],
        error_messages={"required": _("Choose to add or remove the tag.")},
    )
    codes = forms.MultipleChoiceField(
        error_messages={
            "required": _("Select at least one proposal."),
            "invalid_choice": _("No proposal you may see has the code %(value)s. Nothing was tagged."),
        },
    )

    def __init__(self, *args, event, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].queryset = event.tags.all()
        self.fields["codes"].choices = [(code, code) for code in proposals.values_list("code", flat=True)]


class RecordingForm(forms.Form):
    video_url = forms.CharField(
        max_length=500,
        required=False,
        label=_("Recording address"),
        help_text=_("https://… (empty: no recording)"),
    )
    recording_license = forms.CharField(max_length=200, required=False, label=_("Recording licence"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CopyEventForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name of the new edition"))
    slug = forms.SlugField(
        max_length=49, label=_("Short name"), help_text=_("Lowercase letters, digits and hyphens.")
    )
    start = forms.DateField(
        label=_("First day"), help_text=_("Every date moves by the same number of days; times keep their hour."), widget=forms.DateInput(
            attrs={"type": "date"}
        ),
    )  # fmt: skip
    team_members = forms.BooleanField(
        required=False,
        initial=True,
        label=_("Keep the teams' members"),
        help_text=_("Unticked, the teams limited to this event are copied without members."),
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
