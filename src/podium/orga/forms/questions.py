"""The organisers' form of a CfP question. It parses; podium.cfp.services.save_question checks and
saves (for every caller)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from podium.cfp.models import FileType, Question
from podium.cfp.services import QUESTION_FIELDS
from podium.orga.forms.setup import EventOwnedForm


class CfpQuestionForm(EventOwnedForm):
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For “One of a list” and “Several of a list”: one answer a line."),
    )
    file_types = forms.MultipleChoiceField(
        required=False,
        choices=FileType.choices,
        widget=forms.CheckboxSelectMultiple,
        label=_("Files accepted"),
        help_text=_("For a file: the kinds accepted. Images are at most 2 MB whatever the limit below."),
    )

    class Meta:
        model = Question
        fields = [*QUESTION_FIELDS, "tracks", "session_types"]
        labels = {
            "target": _("Asked about"),
            "label": _("Question"),
            "position": pgettext_lazy("position in a list", "Order"),
            "required": _("An answer is required"),
            "active": _("Active (asked in the CfP)"),
            "visible_to_reviewers": _("Reviewers see the answers"),
            "min_value": _("Smallest number allowed"),
            "max_value": _("Largest number allowed"),
            "max_file_mb": _("Largest file (MB)"),
            "tracks": _("Only for these tracks"),
            "session_types": _("Only for these session types"),
        }
        help_texts = {
            "required": _(
                "Only where the question applies. A required yes/no question must be answered yes."
            ),
            "visible_to_reviewers": (
                _(
                    "Organisers always see every answer. Answers about the speaker are never shown when "
                    "review is anonymised."
                )
            ),
            "tracks": _(
                "None ticked: every track. A question about the speaker is asked when any of their "
                "proposals is in one of them."
            ),
            "session_types": _("None ticked: every session type."),
            "min_value": _("For a number; empty: no limit."),
            "max_value": _("For a number; empty: no limit."),
            "position": _("Questions are asked in this order."),
        }
        widgets = {
            "tracks": forms.CheckboxSelectMultiple,
            "session_types": forms.CheckboxSelectMultiple,
            "help_text": forms.TextInput,
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["tracks"].queryset = event.tracks.all()
        self.fields["session_types"].queryset = event.session_types.all()
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = "\n".join(self.instance.choices)
            self.initial["tracks"] = list(self.instance.tracks.all())
            self.initial["session_types"] = list(self.instance.session_types.all())

    def _post_clean(self):
        # The service validates the model (on the locked row); the form's own copy may be out of date.
        pass

    def service_data(self) -> dict:
        data = super().service_data()
        data["tracks"] = list(data["tracks"])
        data["session_types"] = list(data["session_types"])
        return data
