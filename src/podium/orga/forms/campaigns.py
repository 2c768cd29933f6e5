"""Forms of the campaign pages. They parse; podium.campaigns.services checks and saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.base.forms import ConflictMixin
from podium.campaigns import audiences
from podium.campaigns.services import MAX_RATE

ACTIONS = (("submit", "Submit for review"), ("approve", "Approve"), ("send", "Send"), ("cancel", "Cancel"))


class TemplateForm(ConflictMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("Plain text; placeholders as listed. Write {{ and }} for a brace."),
    )
    html_enabled = forms.BooleanField(
        label=_("Also send an HTML part (the text read as Markdown)"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, template) -> dict:
        return {
            "name": template.name,
            "subject": template.subject,
            "body": template.body,
            "html_enabled": template.html_enabled,
            "version": template.version,
        }


class AudienceForm(ConflictMixin, forms.Form):
    """An audience: its name and kind, and the filter fields of that kind (audiences.Kind.fields)."""

    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Who"), choices=())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, event, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = audiences.choices()
        self.kind = audiences.kind_of(kind)
        self.filter_names = []
        if self.kind is not None:
            for name, field in self.kind.fields(event).items():
                self.fields[name] = field
                self.filter_names.append(name)

    @classmethod
    def initial_for(cls, audience) -> dict:
        return {"name": audience.name, "kind": audience.kind, "version": audience.version, **audience.filters}

    def filters(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.filter_names}

    def filter_fields(self):
        return [self[name] for name in self.filter_names]


class CampaignForm(ConflictMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    audience = forms.ModelChoiceField(label=_("Audience"), queryset=None, empty_label=_("Choose an audience"))
    template = forms.ModelChoiceField(label=_("Template"), queryset=None, empty_label=_("Choose a template"))
    rate_per_minute = forms.IntegerField(
        label=_("Mails a minute"),
        min_value=1,
        max_value=MAX_RATE,
        initial=100,
        help_text=_("Sending releases at most this many mails each minute."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].queryset = event.campaign_audiences.all()
        self.fields["template"].queryset = event.campaign_templates.all()

    @classmethod
    def initial_for(cls, campaign) -> dict:
        return {
            "name": campaign.name,
            "audience": campaign.audience_id,
            "template": campaign.template_id,
            "rate_per_minute": campaign.rate_per_minute,
            "version": campaign.version,
        }


class ActionForm(forms.Form):
    action = forms.ChoiceField(choices=ACTIONS, widget=forms.HiddenInput)


class PersonForm(forms.Form):
    address = forms.EmailField(label=_("Address"), max_length=254)
