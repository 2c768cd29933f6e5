"""Forms of the organisers' registration area: settings, ticket types, questions, vouchers, orders
found by a search, tickets issued by hand and an attendee list to import. They parse and validate;
podium.registration's services save (and check the rules again, for every caller)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from podium.orga.forms.setup import EventOwnedForm, LocalDateTimeField, VersionedForm, to_local
from podium.registration.enums import OrderState
from podium.registration.models import Question, TicketType, Voucher
from podium.registration.services import SETTINGS_FIELDS
from podium.registration.setup import QUESTION_FIELDS, TICKET_TYPE_FIELDS, VOUCHER_FIELDS

PERSON_RE = re.compile(r"^(?P<name>.*?)[\s,;]*<?(?P<email>[^\s,;<>]+@[^\s,;<>]+)>?\s*$")


def _with_zone(form, names, event) -> None:
    """Read the wall-clock times of `names` in the event's time zone."""
    for name in names:
        if form.cleaned_data.get(name):
            form.cleaned_data[name] = form.cleaned_data[name].replace(tzinfo=event.tz)


class RegistrationSettingsForm(VersionedForm):
    is_open = forms.BooleanField(required=False, label=_("Registration is open (tickets are sold)"))
    currency = forms.CharField(
        max_length=3, help_text=_("Three letters, like EUR or USD. Prices are shown in it.")
    )
    max_tickets_per_order = forms.IntegerField(
        label=_("Tickets per order (at most)"), min_value=1, max_value=1000
    )
    payment_deadline_hours = forms.IntegerField(
        label=_("Payment deadline (hours)"),
        min_value=1,
        help_text=_("A pending order is cancelled, and its seats freed, when not paid within this time."),
    )
    name_change_until = LocalDateTimeField(
        label=_("Buyers may change names until"),
        required=False,
        help_text=_("In the event's time zone. Empty: always. Organisers may change names any time."),
    )
    cancellation_until = LocalDateTimeField(
        label=_("Buyers may cancel paid orders until"),
        required=False,
        help_text=_("In the event's time zone. Empty: paid orders are cancelled by the organisers only."),
    )
    offer_hours = forms.IntegerField(
        label=_("Waiting-list offer lifetime (hours)"),
        min_value=1,
        help_text=_("How long a freed seat is held for the next person on the waiting list."),
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    @classmethod
    def initial_for(cls, settings) -> dict:
        initial = {name: getattr(settings, name) for name in SETTINGS_FIELDS}
        for name in ("name_change_until", "cancellation_until"):
            initial[name] = to_local(initial[name], settings.event.tz)
        initial["version"] = settings.version
        return initial

    def clean(self):
        data = super().clean()
        _with_zone(self, ("name_change_until", "cancellation_until"), self.event)
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in SETTINGS_FIELDS}


class TicketTypeForm(EventOwnedForm):
    sale_start = LocalDateTimeField(
        label=_("On sale from"), required=False, help_text=_("In the event's time zone. Empty: now.")
    )
    sale_end = LocalDateTimeField(
        label=_("On sale until"), required=False, help_text=_("In the event's time zone. Empty: no end.")
    )

    class Meta:
        model = TicketType
        fields = list(TICKET_TYPE_FIELDS)
        labels = {
            "position": pgettext_lazy("position in a list", "Order"),
            "active": _("Active (offered in the shop)"),
        }
        help_texts = {
            "price": _("0 for a free ticket. Podium takes no payments: buyers pay the organisers."),
            "position": _("Ticket types are listed by this number, then by name."),
            "description": _("Markdown works."),
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        if self.instance.pk and not self.is_bound:
            for name in ("sale_start", "sale_end"):
                self.initial[name] = to_local(getattr(self.instance, name), event.tz)
        if self.instance.pk:
            self.fields["quota"].help_text = _(
                "Empty: unlimited. %(taken)s taken now; it cannot be lower than that."
            ) % {"taken": self.instance.seats_taken}

    def clean(self):
        data = super().clean()
        _with_zone(self, ("sale_start", "sale_end"), self.event)
        return data

    def _post_clean(self):
        # The service validates the model (on the locked row); the form's own copy may be out of date.
        pass


class QuestionForm(EventOwnedForm):
    choices = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For “One of a list”: one answer a line."),
    )

    class Meta:
        model = Question
        fields = [*QUESTION_FIELDS, "ticket_types"]
        labels = {
            "position": pgettext_lazy("position in a list", "Order"),
            "ticket_types": _("Asked for"),
            "required": _("An answer is required"),
        }
        help_texts = {
            "ticket_types": _("None ticked: asked for every ticket type."),
            "required": _(
                "A required yes/no question must be answered yes (e.g. accepting the code of conduct)."
            ),
        }
        widgets = {"ticket_types": forms.CheckboxSelectMultiple}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["ticket_types"].queryset = event.ticket_types.all()
        if self.instance.pk and not self.is_bound:
            self.initial["choices"] = "\n".join(self.instance.choices)
            self.initial["ticket_types"] = list(self.instance.ticket_types.all())

    def _post_clean(self):
        pass

    def service_data(self) -> dict:
        data = super().service_data()
        data["ticket_types"] = list(data["ticket_types"])
        return data


class VoucherForm(EventOwnedForm):
    valid_until = LocalDateTimeField(
        label=_("Valid until"), required=False, help_text=_("In the event's time zone. Empty: always.")
    )

    class Meta:
        model = Voucher
        fields = list(VOUCHER_FIELDS)
        labels = {"max_usages": _("Uses (orders)"), "discount_value": _("Discount")}
        help_texts = {"discount_value": _("Percent, or the amount off each ticket.")}

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["ticket_type"].queryset = event.ticket_types.all()
        if self.instance.pk and not self.is_bound:
            self.initial["valid_until"] = to_local(self.instance.valid_until, event.tz)
        if self.instance.pk:
            self.fields["max_usages"].help_text = _("Used %(n)s times so far.") % {
                "n": self.instance.times_used
            }

    def clean(self):
        data = super().clean()
        _with_zone(self, ("valid_until",), self.event)
        return data

    def _post_clean(self):
        pass


class OrderSearchForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"), help_text=_("Code, name or e-mail address"))
    state = forms.ChoiceField(required=False, choices=[("", _("Any state")), *OrderState.choices])


class AttendeeSearchForm(forms.Form):
    q = forms.CharField(required=False, label=_("Search"), help_text=_("Name, company, e-mail or order code"))


class IssueForm(forms.Form):
    ticket_type = forms.ModelChoiceField(queryset=TicketType.objects.none(), label=_("Ticket type"))
    people = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 6}),
        label=_("People"),
        help_text=_("One person a line: name and e-mail address, e.g. “Ada Lovelace, ada@example.org”."),
    )
    send_mail = forms.BooleanField(
        required=False, initial=True, label=_("Send each person their ticket by mail")
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ticket_type"].queryset = event.ticket_types.all()

    def clean_people(self):
        people = []
        for number, line in enumerate(self.cleaned_data["people"].splitlines(), start=1):
            if not line.strip():
                continue
            match = PERSON_RE.match(line.strip())
            if match is None or not match.group("name").strip(" ,;"):
                raise forms.ValidationError(
                    _(
                        "Line %(number)s: write the name, then the e-mail address, "
                        "e.g. “Ada Lovelace, ada@example.org”."
                    )
                    % {"number": number}
                )
            people.append({"name": match.group("name").strip(" ,;"), "email": match.group("email")})
        if not people:
            raise forms.ValidationError(_("Name at least one person."))
        return people


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Attendee list (CSV)"),
        help_text=_("Columns: name, email, ticket type, optional company and one column per question."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    send_mail = forms.BooleanField(
        required=False, initial=True, label=_("Send each person their ticket by mail")
    )
