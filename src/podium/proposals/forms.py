"""The proposal's fields as one form, shared by the speaker pages and the back office.

Both audiences validate with it and then call the same services; each adds only what is its own
(the submission key for speakers, a required version for organisers).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.events.models import AUDIENCE_LEVELS
from podium.proposals import links
from podium.proposals.models import Proposal
from podium.proposals.services import PROPOSAL_FIELDS


class ProposalFieldsForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = list(PROPOSAL_FIELDS)
        labels = {
            "title": _("Title"),
            "abstract": _("Abstract"),
            "description": _("Description"),
            "track": _("Track"),
            "session_type": _("Session type"),
            "notes": _("Notes"),
        }
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
            choices=AUDIENCE_LEVELS, initial="beginner", label=_("Audience level")
        )
        self.fields["language"] = forms.ChoiceField(
            choices=[tuple(pair) for pair in event.languages], label=_("Language")
        )
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROPOSAL_FIELDS}


class LinkLines(forms.CharField):
    """Links as lines "title | https://…" (a bare address is its own title); http(s) only."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return links.as_lines(value) if isinstance(value, list) else value

    def to_python(self, value):
        return links.parse_lines(super().to_python(value))


class MaterialsForm(forms.Form):
    """A session's slides and links, as its speakers and organisers give them (proposals.materials)."""

    attachments = LinkLines(
        required=False, label=_("Slides and papers"), help_text=_("One per line: title | https://…")
    )
    links = LinkLines(
        required=False,
        label=_("Links"),
        help_text=_("Code, articles, anything else: one per line, title | https://…"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_proposal(cls, proposal: Proposal) -> "MaterialsForm":
        return cls(
            initial={
                "links": proposal.links,
                "attachments": proposal.attachments,
                "version": proposal.version,
            }
        )


class SlidesForm(forms.Form):
    """An upload of slides: a PDF (checked by base.uploads.clean_pdf in the service)."""

    slides = forms.FileField(
        label=_("Slides (PDF)"),
        help_text=_("A PDF file of at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    title = forms.CharField(
        max_length=200,
        required=False,
        label=_("Title"),
        help_text=_("Shown as the link's text (default “Slides”)."),
    )
