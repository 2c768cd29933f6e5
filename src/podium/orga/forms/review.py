"""Forms of the proposal, review and decision pages."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from podium.base.forms import ConflictMixin
from podium.proposals import links, states
from podium.proposals.enums import ProposalState
from podium.proposals.forms import ProposalFieldsForm
from podium.proposals.services import ORGANISER_FIELDS, PROPOSAL_FIELDS

TITLE_OR_CODE = _("Title or code")


class ProposalFilterForm(forms.Form):
    """The GET filters of proposal lists. Invalid values are reported and ignored."""

    q = forms.CharField(required=False, max_length=100, label=_("Search"))
    track = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=_("All tracks"), label=_("Track")
    )
    session_type = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=_("All session types"), label=_("Session type")
    )
    state = forms.ChoiceField(
        choices=[("", _("All states")), *ProposalState.choices], required=False, label=_("State")
    )

    def __init__(self, *args, event, search_label=TITLE_OR_CODE, with_search=True, with_state=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["track"].queryset = event.tracks.all()
        self.fields["session_type"].queryset = event.session_types.all()
        self.fields["q"].widget.attrs["placeholder"] = search_label
        if not with_search:
            del self.fields["q"]
        if not with_state:
            del self.fields["state"]

    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.fields)

    def apply(self, proposals, *, search_speakers: bool):
        """Filter `proposals` by the valid filters; speaker names are searched only when `search_speakers`."""
        self.is_valid()  # cleaned_data then holds the valid filters only
        data = self.cleaned_data
        if data.get("track"):
            proposals = proposals.filter(track=data["track"])
        if data.get("session_type"):
            proposals = proposals.filter(session_type=data["session_type"])
        if data.get("state"):
            proposals = proposals.filter(state=data["state"])
        query = (data.get("q") or "").strip()
        if query:
            match = Q(title__icontains=query) | Q(code__iexact=query)
            if search_speakers:
                match |= Q(speakers__name__icontains=query)
            proposals = proposals.filter(match).distinct()
        return proposals


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a score."),
            "invalid_choice": _("Choose one of the scores on the event's scale."),
        },
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
        label=_("Comment"),
        help_text=_("Why this score? The organisers read it; speakers never see it."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["score"].choices = [(value, f"{value}: {label}") for value, label in event.score_labels]


class LinkLinesField(forms.CharField):
    """Links as lines "title | https://…" (a bare address is its own title); http(s) only."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return links.as_lines(value) if isinstance(value, list) else value

    def to_python(self, value):
        return links.parse_lines(super().to_python(value))


class ProposalEditForm(ConflictMixin, ProposalFieldsForm):
    """An organiser's edit of a proposal, with the fields only organisers edit (recording consent,
    links, addresses); `version` detects edits saved in between."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    links = LinkLinesField(required=False, label=_("Links"), help_text=_("One per line: title | https://…"))
    attachments = LinkLinesField(
        required=False, label=_("Attachments"), help_text=_("Slides, papers: one per line, title | https://…")
    )

    class Meta(ProposalFieldsForm.Meta):
        fields = [*PROPOSAL_FIELDS, *ORGANISER_FIELDS]

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*PROPOSAL_FIELDS, *ORGANISER_FIELDS)}


class BulkDecisionForm(forms.Form):
    """Accept or reject the ticked proposals; an unknown code refuses the whole form."""

    decision = forms.ChoiceField(
        choices=[(d, ProposalState(d).label) for d in states.DECISIONS],
        error_messages={
            "required": _("Choose Accept or Reject."),
            "invalid_choice": _("A decision is either accept or reject."),
        },
    )
    codes = forms.MultipleChoiceField(
        error_messages={
            "required": _("Select at least one proposal."),
            "invalid_choice": _("No proposal of this event has the code %(value)s. Nothing was decided."),
        },
    )

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["codes"].choices = [(code, code) for code in proposals.values_list("code", flat=True)]
