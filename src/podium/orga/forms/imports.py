"""Forms of the import pages: they parse the upload; podium.interop.services imports."""

from django import forms

from podium.interop.importers import FORMATS, ImportRefused, check_size


class ImportUploadForm(forms.Form):
    file = forms.FileField(label="Schedule file", help_text="frab/Pentabarf XML, frab or pretalx JSON, "
                           "a pretalx API dump, iCalendar or a CSV of sessions.")  # fmt: skip
    format = forms.ChoiceField(
        label="Format",
        required=False,
        choices=[("", "Detect from the content"), *((fmt, fmt) for fmt in FORMATS)],
    )

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
