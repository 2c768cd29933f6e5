"""Forms of the contact list pages: a new list, the search, a contact, and a file to import (with the
options of `podium contacts import`). They parse input; podium.contacts.services saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.base.forms import ConflictMixin
from podium.contacts.importing import ImportRefused
from podium.contacts.models import EMAIL_LENGTH, NAME_LENGTH, ORGANISATION_LENGTH, PHONE_LENGTH
from podium.contacts.services import LIST_NAME_LENGTH, check_size

DELIMITERS = [
    ("", _("As the header row shows")),
    (",", _("Comma (,)")),
    (";", _("Semicolon (;)")),
    ("tab", _("Tab")),
    ("|", _("Bar (|)")),
]
ENCODINGS = [
    ("", "UTF-8"),
    ("cp1252", "Windows (cp1252)"),
    ("latin-1", "Latin-1 (ISO 8859-1)"),
    ("utf-16", "UTF-16"),
]


class ContactListForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=LIST_NAME_LENGTH)
    description = forms.CharField(
        label=_("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ContactSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)


class ContactForm(ConflictMixin, forms.Form):
    email = forms.CharField(label=_("E-mail address"), max_length=EMAIL_LENGTH)
    name = forms.CharField(label=_("Name"), required=False, max_length=NAME_LENGTH)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=ORGANISATION_LENGTH)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=PHONE_LENGTH)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ImportOptions(forms.Form):
    skip_invalid = forms.BooleanField(
        label=_("Leave out lines with a bad address"),
        required=False,
        help_text=_("Without it, one bad address refuses the whole file."),
    )
    delimiter = forms.ChoiceField(label=_("Delimiter (CSV)"), required=False, choices=DELIMITERS)
    encoding = forms.ChoiceField(label=_("Encoding"), required=False, choices=ENCODINGS)

    def options(self) -> dict:
        data = self.cleaned_data
        return {
            "skip_invalid": data["skip_invalid"],
            "delimiter": data["delimiter"] or None,
            "encoding": data["encoding"] or None,
        }


class ContactUploadForm(ImportOptions):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV with a header row (e-mail, name, …) or vCard (.vcf).")
    )
    field_order = ["file", "skip_invalid", "delimiter", "encoding"]

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except ImportRefused as exc:
            raise forms.ValidationError(exc.message) from exc
        self.filename = upload.name
        return upload.read()


class ContactImportForm(ImportOptions):
    """The confirmation of a previewed upload: its token and the options it was previewed with."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    filename = forms.CharField(widget=forms.HiddenInput, required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("skip_invalid", "delimiter", "encoding"):
            self.fields[name].widget = forms.HiddenInput()
