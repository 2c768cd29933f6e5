"""The webhook endpoint form. It parses; podium.webhooks.services checks the URL's addresses and saves."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from podium.base.forms import ConflictMixin
from podium.webhooks.models import WebhookKind


class EndpointForm(ConflictMixin, forms.Form):
    url = forms.CharField(
        label=_("URL"),
        max_length=500,
        help_text=_(
            "Where the events are POSTed, e.g. https://example.org/podium-hook. Redirects are not followed."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Events to send"),
        choices=[(kind.value, format_lazy("{}: {}", kind.value, kind.label)) for kind in WebhookKind],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one kind of event to send.")},
    )
    is_active = forms.BooleanField(label=_("Active (send events to this URL)"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @classmethod
    def initial_for(cls, endpoint) -> dict:
        return {
            "url": endpoint.url,
            "kinds": endpoint.kinds,
            "is_active": endpoint.is_active,
            "version": endpoint.version,
        }
