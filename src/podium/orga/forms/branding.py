"""The event's branding form: primary colour, logo, header image (checked by events.branding)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.orga.forms.setup import VersionedForm


class BrandingForm(VersionedForm):
    brand_colour = forms.CharField(
        label=_("Primary colour"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"placeholder": "#1f6feb", "pattern": "#[0-9a-fA-F]{6}"}),
        help_text=(
            _(
                "Like #1f6feb: buttons, links and the widget's headings. White text must be readable on it "
                "(WCAG AA, contrast at least 4.5:1). Empty: Podium's colours."
            )
        ),
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG (a transparent background works), JPEG or WebP; at most 2 MB."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)
    header_image = forms.FileField(
        label=_("Header image"),
        required=False,
        help_text=_(
            "A wide picture behind the logo at the top of the event's pages; PNG, JPEG or WebP, at most 2 MB."
        ),
    )
    remove_header_image = forms.BooleanField(label=_("Remove the header image"), required=False)

    @classmethod
    def initial_for(cls, event) -> dict:
        return {"brand_colour": event.brand_colour, "version": event.version}
