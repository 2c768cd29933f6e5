"""The form of a system mail's text: subject and body, checked against the placeholders the mail
offers, carrying the version the editor started from."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.base.forms import ConflictMixin
from podium.mail import placeholders
from podium.mail.system import SystemMail


class SystemMailForm(ConflictMixin, forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 18}), strip=False)
    # The text's version when the page was shown: 0 for the default text (no own text yet).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, mail: SystemMail, **kwargs):
        super().__init__(*args, **kwargs)
        self.mail = mail
        help_text = _("Placeholders in braces, as listed beside the text; “{{” and “}}” for braces.")
        self.fields["subject"].help_text = help_text
        self.fields["body"].help_text = help_text

    @classmethod
    def for_text(cls, mail: SystemMail, *, subject: str, body: str, version: int) -> "SystemMailForm":
        """The form showing a stored (or the default) text."""
        return cls(mail=mail, initial={"subject": subject, "body": body, "version": version})

    def _checked(self, name: str) -> str:
        value = self.cleaned_data[name]
        found = placeholders.problems(value, self.mail.names)
        if found:
            raise forms.ValidationError(found)
        return value

    def clean_subject(self) -> str:
        return self._checked("subject")

    def clean_body(self) -> str:
        return self._checked("body")
