"""Forms of the review criteria, phases, assignment and conflict-of-interest pages."""

from django import forms
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from podium.base.forms import ConflictMixin
from podium.orga.forms.review import ReviewForm
from podium.reviews.models import ReviewPhase


def criterion_field(criterion) -> str:
    return f"criterion_{criterion.pk}"


class CriteriaReviewForm(ReviewForm):
    """The review form: one score on the event's scale, or a score per criterion where the event has
    criteria (each on its own scale)."""

    def __init__(self, *args, event, criteria, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.criteria = list(criteria)
        if not self.criteria:
            return
        del self.fields["score"]
        comment = self.fields.pop("comment")
        for criterion in self.criteria:
            self.fields[criterion_field(criterion)] = forms.TypedChoiceField(
                label=_g("%(name)s (weight %(weight)s)")
                % {"name": criterion.name, "weight": criterion.weight},
                help_text=criterion.description,
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(value, str(value)) for value in criterion.values],
                error_messages={
                    "required": _g("Score %(name)s.") % {"name": criterion.name},
                    "invalid_choice": _g("Score %(name)s between %(low)s and %(high)s.")
                    % {"name": criterion.name, "low": criterion.min_score, "high": criterion.max_score},
                },
            )
        self.fields["comment"] = comment

    def service_data(self) -> dict:
        data = {"comment": self.cleaned_data["comment"]}
        if self.criteria:
            data["scores"] = {c.pk: self.cleaned_data[criterion_field(c)] for c in self.criteria}
        else:
            data["score"] = self.cleaned_data["score"]
        return data


class ReviewSettingsForm(ConflictMixin, forms.Form):
    phase = forms.ChoiceField(
        choices=ReviewPhase.choices,
        widget=forms.RadioSelect,
        label=_("Phase"),
        help_text=_(
            "Open: reviewers score, organisers may decide. Closed: no review is written or changed, "
            "and no decision taken. Decisions: organisers decide; reviewers read every review of the "
            "proposals they may review."
        ),
    )
    assignment_only = forms.BooleanField(
        required=False,
        label=_("Assignment-only"),
        help_text=_(
            "Reviewers see (queue, proposal pages, API, search) only the proposals assigned to them."
        ),
    )
    reviews_per_proposal = forms.IntegerField(
        min_value=1,
        max_value=50,
        label=_("Reviews per proposal"),
        help_text=_("How many reviewers the automatic assignment gives each proposal."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CriterionForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(max_length=100, label=_("Name"))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What reviewers score."),
    )
    weight = forms.IntegerField(min_value=1, max_value=100, initial=1, label=_("Weight"))
    min_score = forms.TypedChoiceField(
        coerce=int, choices=[(0, "0"), (1, "1")], initial=0, label=_("Scale from")
    )
    max_score = forms.IntegerField(min_value=1, max_value=10, initial=4, label=_("Scale to"))


class AssignForm(forms.Form):
    per_proposal = forms.IntegerField(
        min_value=1,
        max_value=50,
        label=_("Reviews per proposal"),
        error_messages={"required": _("Give a number.")},
    )


class AssignmentForm(forms.Form):
    """One proposal and one reviewer, for adding or removing an assignment or a conflict by hand."""

    code = forms.CharField(max_length=16, label=_("Proposal code"))
    reviewer = forms.ModelChoiceField(queryset=None, empty_label=_("Choose a reviewer"), label=_("Reviewer"))

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda user: user.name or user.email


class ConflictForm(forms.Form):
    code = forms.CharField(max_length=16)
    action = forms.ChoiceField(choices=[("declare", _("Declare")), ("withdraw", _("Withdraw"))])


class PersonConflictForm(forms.Form):
    """A conflict of interest with a person: their e-mail address, typed in, or (for those who see who
    the speakers are) one of the speakers chosen from a list."""

    email = forms.EmailField(
        required=False,
        max_length=254,
        label=_("The person's e-mail address"),
        help_text=_("Every proposal they speak on in this event, now or later, is covered."),
    )
    speaker = forms.ChoiceField(required=False, label=_("Or choose a speaker"))

    def __init__(self, *args, speakers=(), reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if speakers:
            self.fields["speaker"].choices = [("", _("Choose a speaker")), *speakers]
        else:
            del self.fields["speaker"]
        if reviewers is not None:
            self.fields["reviewer"] = forms.ModelChoiceField(
                queryset=reviewers, empty_label=_("Choose a reviewer"), label=_("Reviewer")
            )
            self.fields["reviewer"].label_from_instance = lambda user: user.name or user.email
            self.order_fields(["reviewer", "email", "speaker"])

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("speaker") and not self.errors:
            raise forms.ValidationError(_("Give the person's e-mail address."))
        return data

    @property
    def address(self) -> str:
        return self.cleaned_data.get("email") or self.cleaned_data.get("speaker") or ""
