"""Forms of the review criteria, phases, assignment and conflict-of-interest pages."""

from django import forms

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
                label=f"{criterion.name} (weight {criterion.weight})",
                help_text=criterion.description,
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(value, str(value)) for value in criterion.values],
                error_messages={
                    "required": f"Score {criterion.name}.",
                    "invalid_choice": f"Score {criterion.name} between {criterion.min_score} and "
                    f"{criterion.max_score}.",
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
        help_text="Open: reviewers score, organisers may decide. Closed: no review is written or changed, "
        "and no decision taken. Decisions: organisers decide; reviewers read every review of the "
        "proposals they may review.",
    )
    assignment_only = forms.BooleanField(
        required=False,
        label="Assignment-only",
        help_text="Reviewers see (queue, proposal pages, API, search) only the proposals assigned to them.",
    )
    reviews_per_proposal = forms.IntegerField(
        min_value=1,
        max_value=50,
        help_text="How many reviewers the automatic assignment gives each proposal.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CriterionForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(max_length=100)
    description = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What reviewers score.",
    )
    weight = forms.IntegerField(min_value=1, max_value=100, initial=1)
    min_score = forms.TypedChoiceField(
        coerce=int, choices=[(0, "0"), (1, "1")], initial=0, label="Scale from"
    )
    max_score = forms.IntegerField(min_value=1, max_value=10, initial=4, label="Scale to")


class AssignForm(forms.Form):
    per_proposal = forms.IntegerField(
        min_value=1, max_value=50, label="Reviews per proposal", error_messages={"required": "Give a number."}
    )


class AssignmentForm(forms.Form):
    """One proposal and one reviewer, for adding or removing an assignment or a conflict by hand."""

    code = forms.CharField(max_length=16, label="Proposal code")
    reviewer = forms.ModelChoiceField(queryset=None, empty_label="Choose a reviewer")

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers
        self.fields["reviewer"].label_from_instance = lambda user: user.name or user.email


class ConflictForm(forms.Form):
    code = forms.CharField(max_length=16)
    action = forms.ChoiceField(choices=[("declare", "Declare"), ("withdraw", "Withdraw")])
