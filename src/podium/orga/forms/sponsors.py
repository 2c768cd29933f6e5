"""Forms of the sponsor pages: the pipeline's filter, an organisation (with its logo), a contact, a
level, adding an organisation to the event, and the actions on one organisation at the event (stage,
level, owner and amount, checklist, log). They parse and validate; podium.sponsors.services saves
(and checks the rules again, for every caller)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from podium.orga.forms.setup import EventOwnedForm, LocalDateTimeField, VersionedForm
from podium.sponsors.models import InteractionKind, OrganisationKind, SponsorLevel, Stage


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name or obj.email


class ContactChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}, {obj.role}" if obj.role else obj.name


class PipelineFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=[("", _("All")), *Stage.choices])
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All")), *OrganisationKind.choices]
    )
    level = forms.ModelChoiceField(
        label=_("Level"), required=False, queryset=SponsorLevel.objects.none(), empty_label=_("All")
    )

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = event.sponsor_levels.all()


class OrganisationForm(VersionedForm):
    name = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=OrganisationKind.choices)
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")
    description = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown on the public sponsors page. Markdown works."),
    )
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("For the team only.")
    )
    logo = forms.FileField(
        required=False,
        help_text=_("PNG (a transparent background works), JPEG or WebP, at most 2 MB. SVG is not accepted."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(required=False, label=_("Remove the current logo"))

    def __init__(self, *args, organisation=None, **kwargs):
        if organisation is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(organisation, name)
                for name in ("name", "kind", "website", "description", "notes")
            }
        super().__init__(*args, **kwargs)
        if organisation is None:
            del self.fields["version"]
            del self.fields["remove_logo"]
        elif not self.is_bound:
            self.initial["version"] = organisation.version

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "kind", "website", "description", "notes")}


class ContactForm(VersionedForm):
    name = forms.CharField(max_length=200)
    role = forms.CharField(max_length=120, required=False, help_text=_("Marketing, booth lead, journalist …"))
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    is_primary = forms.BooleanField(required=False, label=_("Primary contact"))

    def __init__(self, *args, contact=None, **kwargs):
        if contact is not None and not args and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(contact, name) for name in ("name", "role", "email", "phone", "is_primary")
            }
        super().__init__(*args, **kwargs)
        if contact is None:
            del self.fields["version"]
        elif not self.is_bound:
            self.initial["version"] = contact.version

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name", "role", "email", "phone", "is_primary")}


class LevelForm(EventOwnedForm):
    checklist = forms.CharField(
        label=_("Checklist"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "One item a line (logo received, invoice sent, booth assigned, tickets issued …). "
            "Organisations at this level get each item they lack; none is removed."
        ),
    )

    class Meta:
        model = SponsorLevel
        fields = ["name", "position", "price", "booth", "talk_slot", "logo_size", "complimentary_tickets"]
        labels = {
            "position": pgettext_lazy("position in a list", "Order"),
            "booth": _("A booth"),
            "talk_slot": _("A talk slot"),
            "complimentary_tickets": _("Complimentary tickets"),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        if not self.is_bound:
            self.initial["checklist"] = "\n".join(self.instance.deliverables or [])

    def _post_clean(self):
        # The service validates (on the locked row); the form's copy of the instance may be out of date.
        pass

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["deliverables"] = self.cleaned_data["checklist"].splitlines()
        return data


class AddSponsorshipForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    level = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Level"), empty_label=_("No level yet")
    )
    owner = PersonChoiceField(
        queryset=None, required=False, label=_("Looked after by"), empty_label=_("Nobody yet")
    )

    def __init__(self, *args, event, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = event.organiser.partner_organisations.exclude(
            sponsorships__event=event
        )
        self.fields["level"].queryset = event.sponsor_levels.all()
        self.fields["owner"].queryset = team


class SponsorshipForm(VersionedForm):
    owner = PersonChoiceField(
        queryset=None, required=False, label=_("Looked after by"), empty_label=_("Nobody")
    )
    amount = forms.DecimalField(
        required=False, min_value=0, max_digits=10, decimal_places=2, help_text=_("Empty: the level's price.")
    )
    track = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Sponsors the track"),
        empty_label=_("No track"),
        help_text=_("Its talks are marked as sponsored by the organisation."),
    )

    def __init__(self, *args, event, team, sponsorship, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = team
        self.fields["track"].queryset = event.tracks.all()
        if not self.is_bound:
            self.initial.update(
                owner=sponsorship.owner_id,
                amount=sponsorship.amount,
                track=sponsorship.track_id,
                version=sponsorship.version,
            )

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("owner", "amount", "track")}


class StageForm(forms.Form):
    stage = forms.ChoiceField(choices=Stage.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)


class SetLevelForm(forms.Form):
    level = forms.ModelChoiceField(queryset=None, required=False, label=_("Level"), empty_label=_("No level"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, event, sponsorship, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = event.sponsor_levels.all()
        if not self.is_bound:
            self.initial.update(level=sponsorship.level_id, version=sponsorship.version)


class DeliverableForm(forms.Form):
    """A tick, an untick or a due date of one checklist item (`item`), at the version shown."""

    item = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)
    due = forms.DateField(required=False, label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))


class InteractionForm(forms.Form):
    kind = forms.ChoiceField(choices=InteractionKind.choices, initial=InteractionKind.CALL)
    happened_at = LocalDateTimeField(
        label=_("When"), required=False, help_text=_("In the event's time zone. Empty: now.")
    )
    summary = forms.CharField(max_length=300, label=_("What happened (one line)"))
    text = forms.CharField(required=False, label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}))
    contact = ContactChoiceField(queryset=None, required=False, label=_("With"), empty_label="—")
    next_step = forms.CharField(max_length=300, required=False, label=_("Next step"))
    due = forms.DateField(
        required=False, label=_("Next step due"), widget=forms.DateInput(attrs={"type": "date"})
    )
    assigned_to = PersonChoiceField(
        queryset=None,
        required=False,
        label=_("Next step for"),
        empty_label=_("Me"),
        help_text=_("Empty: you."),
    )

    def __init__(self, *args, event, team, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.fields["contact"].queryset = organisation.contacts.all()
        self.fields["assigned_to"].queryset = team

    def clean(self):
        data = super().clean()
        if data.get("happened_at"):
            data["happened_at"] = data["happened_at"].replace(tzinfo=self.event.tz)
        return data

    def service_data(self) -> dict:
        return dict(self.cleaned_data)


class NextStepForm(forms.Form):
    """Mark an entry's next step done, or give it to someone else (`assigned_to`)."""

    entry = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    assigned_to = PersonChoiceField(
        queryset=None, required=False, label=_("Give it to"), empty_label=_("Nobody")
    )

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_to"].queryset = team
