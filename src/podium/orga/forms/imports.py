"""Forms of the import pages: they parse the upload; podium.interop.services imports."""

from django import forms

from podium.events.models import timezone_names
from podium.interop.importers import FORMATS, ImportRefused, check_size


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="Schedule file", help_text="frab/Pentabarf XML, frab or pretalx JSON, "
                           "a pretalx API dump, iCalendar or a CSV of sessions.")  # fmt: skip
    format = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[("", "Detect from the content"), *((fmt, fmt) for fmt in FORMATS)],
    )
    timezone = forms.ChoiceField(
        label="Time zone of the file's times",
        required=False,
        choices=(),
        help_text="Times without an offset are read in this zone. Leave it empty to use the zone the "
        "file names, else the event's.",
    )
    allow_partial = forms.BooleanField(
        label="Allow a partial import",
        required=False,
        help_text="Import even when more than half of the file's sessions are skipped, or none would be "
        "on the program. Without it such a file is refused.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [("", "As the file says, else the event's zone")] + [
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
