"""The webhook endpoint form. It parses; podium.webhooks.services checks the URL's addresses and saves."""

from django import forms

from podium.base.forms import ConflictMixin
from podium.webhooks.models import WebhookKind


class EndpointForm(ConflictMixin, forms.Form):
    url = forms.CharField(
        label="URL",
        max_length=500,
        help_text="Where the events are POSTed, e.g. https://example.org/podium-hook. Redirects are not followed.",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    kinds = forms.MultipleChoiceField(
        label="Events to send",
        choices=[(kind.value, f"{kind.value}: {kind.label}") for kind in WebhookKind],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of event to send."},
    )
    is_active = forms.BooleanField(label="Active (send events to this URL)", required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, endpoint) -> dict:
        return {
            "url": endpoint.url,
            "kinds": endpoint.kinds,
            "is_active": endpoint.is_active,
            "version": endpoint.version,
        }
