"""The proposal's fields as one form, shared by the speaker pages and the back office.

Both audiences validate with it and then call the same services; each adds only what is its own
(the submission key for speakers, a required version for organisers).
"""

from django import forms

from podium.events.models import AUDIENCE_LEVELS
from podium.proposals.models import Proposal
from podium.proposals.services import PROPOSAL_FIELDS


class ProposalFieldsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = list(PROPOSAL_FIELDS)
        widgets = {
            "abstract": forms.Textarea(attrs={"rows": 4}),
            "description": forms.Textarea(attrs={"rows": 8}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["track"].queryset = event.tracks.all()
        self.fields["session_type"].queryset = event.session_types.all()
        self.fields["audience_level"] = forms.ChoiceField(
            choices=AUDIENCE_LEVELS, initial="beginner", label="Audience level"
        )
        self.fields["language"] = forms.ChoiceField(choices=[tuple(pair) for pair in event.languages])
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROPOSAL_FIELDS}
