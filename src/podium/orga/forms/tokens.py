"""The form to make an API token: a name, a scope, and some of one organiser's events."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.accounts.models import TokenScope


class ApiTokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text=_("What uses it, e.g. “schedule sync”."))
    scope = forms.ChoiceField(choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect)
    events = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, help_text=_("Events of one organiser.")
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._events = {
            str(event.pk): (organiser, event) for organiser, events in choices for event in events
        }
        self.fields["events"].choices = [
            (organiser.name, [(str(event.pk), event.name) for event in events])
            for organiser, events in choices
        ]

    def chosen_organiser(self):
        return self._events[self.cleaned_data["events"][0]][0]

    def chosen_events(self):
        return [self._events[pk][1] for pk in self.cleaned_data["events"]]
