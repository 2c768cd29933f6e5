"""Forms of the visa letter pages: a decision on one request (approve, decline with a reason,
withdraw), carrying the version the organiser saw."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.letters.models import LetterState

DECISIONS = (("approve", "Approve"), ("decline", "Decline"), ("withdraw", "Withdraw"))


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason (the requester reads it)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LetterFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All")), *LetterState.choices]
    )
