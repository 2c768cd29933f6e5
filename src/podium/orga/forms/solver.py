"""The "Automatic scheduling" form of the schedule editor. It parses and validates; podium.schedule.runs
starts the run (and checks the limits again, for every caller)."""

from django import forms

from podium.schedule.models import SolverMode
from podium.schedule.runs import DEFAULT_TIME_LIMIT, MAX_TIME_LIMIT, MIN_TIME_LIMIT

LIMIT_ERROR = f"Give a whole number of seconds from {MIN_TIME_LIMIT} to {MAX_TIME_LIMIT}."


class SolverRunForm(forms.Form):
    # The mode comes from the submit button the organiser pressed ("Fill the rest" or "Re-plan").
    mode = forms.ChoiceField(
        choices=SolverMode.choices,
        error_messages={
            "required": "Choose “Fill the rest” or “Re-plan”.",
            "invalid_choice": "Choose “Fill the rest” or “Re-plan”.",
        },
    )
    time_limit = forms.IntegerField(
        label="Time limit (seconds)",
        initial=DEFAULT_TIME_LIMIT,
        min_value=MIN_TIME_LIMIT,
        max_value=MAX_TIME_LIMIT,
        help_text="How long the engine searches; longer can find a better plan.",
        error_messages={
            "required": LIMIT_ERROR,
            "invalid": LIMIT_ERROR,
            "min_value": LIMIT_ERROR,
            "max_value": LIMIT_ERROR,
        },
        widget=forms.NumberInput(attrs={"min": MIN_TIME_LIMIT, "max": MAX_TIME_LIMIT, "step": 1}),
    )
    keep_pinned = forms.BooleanField(
        label="Keep pinned sessions where they are",
        required=False,
        initial=True,
    )
    day = forms.CharField(required=False, widget=forms.HiddenInput)
