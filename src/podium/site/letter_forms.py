"""Forms of invitation letters on the public site: the request, and the code to verify. They check
what a browser can check; letters.services checks everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.base.forms import ConflictMixin

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LetterRequestForm(ConflictMixin, forms.Form):
    passport_name = forms.CharField(
        label=_("Name as in your passport"),
        max_length=200,
        help_text=_("Exactly as printed, accents included."),
    )
    nationality = forms.CharField(label=_("Nationality"), max_length=100)
    passport_number = forms.CharField(label=_("Passport number"), max_length=40)
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DATE)
    arrival = forms.DateField(
        label=_("Arrival"), widget=DATE, help_text=_("The day you arrive in the country.")
    )
    departure = forms.DateField(label=_("Departure"), widget=DATE, help_text=_("The day you leave."))
    address = forms.CharField(
        label=_("Address to send the letter to"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if your consulate wants a printed copy."),
    )
    note = forms.CharField(
        label=_("Note to the organisers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def data_for_service(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"), max_length=64, help_text=_("As printed on the letter.")
    )
