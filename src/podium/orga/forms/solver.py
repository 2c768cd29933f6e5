"""The "Automatic scheduling" form of the schedule editor. It parses and validates; podium.scheduling.runs
starts the run (and checks the limits again, for every caller)."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from podium.scheduling.models import SolverMode
from podium.scheduling.runs import DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT, MIN_TIME_LIMIT
from podium.scheduling.solving import WEIGHT_TERMS

LIMIT_ERROR = format_lazy(
    _("Give a whole number of seconds from {minimum} to {maximum}."),
    minimum=MIN_TIME_LIMIT,
    maximum=MAX_TIME_LIMIT,
)
MAX_WEIGHT = 100_000
WEIGHT_ERROR = format_lazy(_("Give a whole number from 0 to {maximum}."), maximum=MAX_WEIGHT)
# The soft goals' weights in organiser words, in the engine's order (podium.scheduling.solving.WEIGHT_TERMS).
WEIGHT_LABELS = {
    "missed_favourites": _("Missed favourites (per attendee per clash)"),
    "overflow": _("Overflow (per seat above capacity)"),
    "track_room": _("Track changes room (per extra room a day)"),
    "track_clash": _("Track runs against itself (per clash)"),
    "preference": _("Speaker outside preferred times (per session)"),
    "changes": _("Moved from the current plan (per session)"),
}


def weight_field(term: str) -> str:
    """The form field of a soft goal's weight."""
    return f"weight_{term}"


def weight_initial(weights: dict) -> dict:
    """Initial values of the weight fields: {field: weight} (whole numbers shown without a fraction)."""
    return {
        weight_field(term): int(value) if float(value).is_integer() else value
        for term, value in weights.items()
        if term in WEIGHT_LABELS
    }


def _weight(term: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=WEIGHT_LABELS[term],
        min_value=0,
        max_value=MAX_WEIGHT,
        error_messages={
            "required": WEIGHT_ERROR,
            "invalid": WEIGHT_ERROR,
            "min_value": WEIGHT_ERROR,
            "max_value": WEIGHT_ERROR,
        },
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_WEIGHT, "step": 1}),
    )


class SolverRunForm(forms.Form):
    # The mode comes from the submit button the organiser pressed ("Fill the rest" or "Re-plan").
    mode = forms.ChoiceField(
        choices=SolverMode.choices,
        error_messages={
            "required": _("Choose “Fill the rest” or “Re-plan”."),
            "invalid_choice": _("Choose “Fill the rest” or “Re-plan”."),
        },
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"),
        initial=DEFAULT_TIME_LIMIT,
        min_value=MIN_TIME_LIMIT,
        max_value=MAX_TIME_LIMIT,
        help_text=_("How long the engine searches; longer can find a better plan."),
        error_messages={
            "required": LIMIT_ERROR,
            "invalid": LIMIT_ERROR,
            "min_value": LIMIT_ERROR,
            "max_value": LIMIT_ERROR,
        },
        widget=forms.NumberInput(attrs={"min": MIN_TIME_LIMIT, "max": MAX_TIME_LIMIT, "step": 1}),
    )
    keep_pinned = forms.BooleanField(
        label=_("Keep pinned sessions where they are"),
        required=False,
        initial=True,
    )
    day = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for term in WEIGHT_TERMS:
            self.fields[weight_field(term)] = _weight(term)

    def weight_fields(self) -> list:
        """The bound weight fields, in the engine's order (for the template)."""
        return [self[weight_field(term)] for term in WEIGHT_TERMS]

    def has_weight_errors(self) -> bool:
        return any(field.errors for field in self.weight_fields())

    @property
    def weights(self) -> dict:
        """The weights given, by term (a valid form only)."""
        return {term: self.cleaned_data[weight_field(term)] for term in WEIGHT_TERMS}
