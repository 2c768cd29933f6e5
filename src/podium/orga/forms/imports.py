"""Forms of the import pages: they parse the upload; podium.interop.services imports."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.events.models import timezone_names
from podium.interop.importers import FORMATS, ImportRefused, check_size


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Schedule file"),
        help_text=_(
            "frab/Pentabarf XML, frab or pretalx JSON, a pretalx API dump, iCalendar or a CSV of sessions."
        ),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        required=False,
        choices=[("", _("Detect from the content")), *((fmt, fmt) for fmt in FORMATS)],
    )
    timezone = forms.ChoiceField(
        label=_("Time zone of the file's times"),
        required=False,
        choices=(),
        help_text=_(
            "Times without an offset are read in this zone. Leave it empty to use the zone the "
            "file names, else the event's."
        ),
    )
    allow_partial = forms.BooleanField(
        label=_("Allow a partial import"),
        required=False,
        help_text=_(
            "Import even when more than half of the file's sessions are skipped, or none would be "
            "on the program. Without it such a file is refused."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [("", _("As the file says, else the event's zone"))] + [
            (name, name) for name in timezone_names()
        ]

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except ImportRefused as exc:
            raise forms.ValidationError(exc.message) from exc
        return upload.read()


class ImportApplyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    format = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    timezone = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    allow_partial = forms.BooleanField(widget=forms.HiddenInput, required=False)
