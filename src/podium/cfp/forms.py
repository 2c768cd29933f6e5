import datetime as dt
import uuid

from django import forms
from django.utils import dateformat
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from podium.base.uploads import clean_image
from podium.cfp.models import FileType, Question, QuestionKind
from podium.cfp.services import MAX_LONG_TEXT, MAX_TEXT, field_name
from podium.proposals.forms import ProposalFieldsForm


class ProfileForm(forms.Form):
    name = forms.CharField(max_length=120, label=_("Name as it should appear in the program"))
    bio = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label=_("Bio"),
        max_length=3000,
        help_text=_("A few sentences about you, in the third person. Markdown works."),
    )
    website = forms.URLField(required=False, assume_scheme="https", label=_("Website"))
    social = forms.CharField(max_length=200, required=False, label=_("Social media handle"))
    photo = forms.FileField(
        required=False,
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(required=False, label=_("Remove my current photo"))

    def service_data(self) -> dict:
        """The keyword arguments of proposals.services.save_speaker_profile."""
        return {
            name: self.cleaned_data[name]
            for name in ("name", "bio", "website", "social", "photo", "remove_photo")
        }

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if upload:
            return clean_image(upload)
        return None


class AvailabilityForm(forms.Form):
    """Two checkboxes per part of each event day: "I can present then" and "I would rather present then".

    Nothing ticked in the first column means "any time". A preferred part counts as a time the speaker can
    present, so ticking only preferred parts keeps them available all event long.
    """

    PARTS = (
        ("morning", pgettext_lazy("part of a day", "morning"), 8, 13),
        ("afternoon", pgettext_lazy("part of a day", "afternoon"), 13, 18),
        ("evening", pgettext_lazy("part of a day", "evening"), 18, 23),
    )
    PREFERRED = "_preferred"

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        for day in event.days:
            for key, part, _start, _end in self.PARTS:
                name = f"{day.isoformat()}_{key}"
                when = gettext("%(day)s %(part)s") % {"day": dateformat.format(day, "l d F"), "part": part}
                self.fields[name] = forms.BooleanField(
                    required=False,
                    label=when,
                    widget=forms.CheckboxInput(
                        attrs={"aria-label": gettext("I can present: %(when)s") % {"when": when}}
                    ),
                )
                self.fields[name + self.PREFERRED] = forms.BooleanField(
                    required=False,
                    label=gettext("Preferred: %(when)s") % {"when": when},
                    widget=forms.CheckboxInput(
                        attrs={"aria-label": gettext("I would rather present: %(when)s") % {"when": when}}
                    ),
                )

    def _parts(self):
        """(field name, start, end) of every part of every day, in time order."""
        for day in self.event.days:
            for key, _part, start_h, end_h in self.PARTS:
                start = dt.datetime.combine(day, dt.time(start_h), tzinfo=self.event.tz)
                end = dt.datetime.combine(day, dt.time(end_h), tzinfo=self.event.tz)
                yield f"{day.isoformat()}_{key}", start, end

    def rows(self):
        """(label, "can present" box, "preferred" box) per part of a day, for the template's table."""
        return [
            (self.fields[name].label, self[name], self[name + self.PREFERRED]) for name, _, _ in self._parts()
        ]

    @classmethod
    def initial_for(cls, event, windows):
        """Ticks for the stored SpeakerAvailability rows: a part is ticked when a window covers it."""
        form = cls(event=event)
        initial = {}
        for name, start, end in form._parts():
            for suffix, preferred in (("", False), (cls.PREFERRED, True)):
                initial[name + suffix] = any(
                    w.preferred == preferred and w.start <= start and w.end >= end for w in windows
                )
        return initial

    @staticmethod
    def _joined(parts):
        result = []
        for start, end in parts:
            if result and result[-1][1] == start:
                result[-1] = (result[-1][0], end)
            else:
                result.append((start, end))
        return result

    def windows(self):
        """The times the speaker can present (none: any time), preferred parts included."""
        can = [(start, end) for name, start, end in self._parts() if self.cleaned_data.get(name)]
        if not can:
            return []
        return self._joined(
            (start, end)
            for name, start, end in self._parts()
            if self.cleaned_data.get(name) or self.cleaned_data.get(name + self.PREFERRED)
        )

    def preferred_windows(self):
        """The times the speaker would rather present."""
        return self._joined(
            (start, end) for name, start, end in self._parts() if self.cleaned_data.get(name + self.PREFERRED)
        )


class ProposalForm(ProposalFieldsForm):
    """The speaker's proposal; the random key makes a double submission create one proposal."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta(ProposalFieldsForm.Meta):
        help_texts = {
            "abstract": _("Up to 1,000 characters; shown in the program."),
            "description": _("The detail for reviewers and attendees. Markdown works."),
            "notes": _("Only the organisers read this."),
        }

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, event=event, **kwargs)
        self.fields["track"].required = event.tracks.exists()
        if not self.is_bound and not self.initial.get("idempotency_key"):
            self.initial["idempotency_key"] = uuid.uuid4().hex


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Co-speaker's e-mail"))


class AnswersForm(forms.Form):
    """The event's questions about proposals or speakers, one field each (`q_<id>`).

    Every active question is shown; one limited to some tracks or session types says so, and the page's
    script hides it while another track or type is chosen. Which ones must be answered is decided by
    the service from the track and type actually submitted, so the form itself requires nothing.
    """

    def __init__(self, *args, questions, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        answers = answers or {}
        for question in self.questions:
            name = field_name(question)
            self.fields[name] = self._field(question)
            answer = answers.get(question.pk)
            if question.kind == QuestionKind.FILE:
                if answer is not None and answer.file:
                    stored = gettext("Stored now: %(file)s. A new upload replaces it.") % {
                        "file": answer.display
                    }
                    self.fields[name].help_text = f"{self.fields[name].help_text} {stored}"
                    self.fields[name + "_remove"] = forms.BooleanField(
                        required=False,
                        label=gettext("Remove my file for “%(question)s”") % {"question": question.label},
                    )
                continue
            if answer is not None and not self.is_bound:
                if question.kind == QuestionKind.MULTIPLE:
                    self.initial[name] = answer.options
                elif question.kind == QuestionKind.BOOLEAN:
                    self.initial[name] = answer.value == "yes"
                else:
                    self.initial[name] = answer.value

    @staticmethod
    def _field(question: Question):
        label = (
            question.label
            if question.required
            else gettext("%(label)s (optional)") % {"label": question.label}
        )
        limits = [
            *(track.name for track in question.tracks.all()),
            *(session_type.name for session_type in question.session_types.all()),
        ]
        help_text = question.help_text
        if limits:
            asked = gettext("Asked only for: %(limits)s.") % {"limits": ", ".join(limits)}
            help_text = f"{help_text} {asked}".strip()
        common = {"required": False, "label": label, "help_text": help_text}
        kind = question.kind
        if kind == QuestionKind.LONG_TEXT:
            return forms.CharField(
                widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_LONG_TEXT, **common
            )
        if kind == QuestionKind.NUMBER:
            low, high = question.min_value, question.max_value
            if low is not None and high is not None:
                bounds = gettext("A number, at least %(low)s and at most %(high)s.") % {
                    "low": f"{low.normalize():f}",
                    "high": f"{high.normalize():f}",
                }
            elif low is not None:
                bounds = gettext("A number, at least %(low)s.") % {"low": f"{low.normalize():f}"}
            elif high is not None:
                bounds = gettext("A number, at most %(high)s.") % {"high": f"{high.normalize():f}"}
            else:
                bounds = ""
            if bounds:
                common["help_text"] = f"{help_text} {bounds}".strip()
            # The range is checked by the service, with the other answers (every refusal shows at once).
            return forms.DecimalField(**common)
        if kind == QuestionKind.CHOICE:
            return forms.ChoiceField(choices=[("", "—"), *((c, c) for c in question.choices)], **common)
        if kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(
                choices=[(c, c) for c in question.choices], widget=forms.CheckboxSelectMultiple, **common
            )
        if kind == QuestionKind.FILE:
            kinds = ", ".join(str(FileType(t).label) for t in question.file_types)
            size = gettext("%(kinds)s, at most %(size)s MB.") % {"kinds": kinds, "size": question.max_file_mb}
            common["help_text"] = f"{help_text} {size}".strip()
            return forms.FileField(**common)
        if kind == QuestionKind.BOOLEAN:
            if question.required:
                common["label"] = question.label
                needed = gettext("Needed to go on.")  # outside the f-string, where the extractor reads it
                common["help_text"] = f"{help_text} {needed}".strip()
            return forms.BooleanField(**common)
        return forms.CharField(max_length=MAX_TEXT, **common)

    def rows(self):
        """(question, bound field, remove box or None, "t1 t2" track ids, session type ids) for the template."""
        for question in self.questions:
            name = field_name(question)
            yield (
                question,
                self[name],
                self[name + "_remove"] if name + "_remove" in self.fields else None,
                " ".join(str(track.pk) for track in question.tracks.all()),
                " ".join(str(session_type.pk) for session_type in question.session_types.all()),
            )

    def answers(self) -> dict:
        """{question id: raw answer} for the services (see podium.cfp.services)."""
        result = {}
        for question in self.questions:
            name = field_name(question)
            value = self.cleaned_data.get(name)
            if question.kind == QuestionKind.FILE:
                if value:
                    result[question.pk] = value
                elif self.cleaned_data.get(name + "_remove"):
                    result[question.pk] = False
                else:
                    result[question.pk] = None
            elif question.kind == QuestionKind.NUMBER:
                result[question.pk] = "" if value is None else str(value)
            else:
                result[question.pk] = value
        return result

    def show_errors(self, exc) -> bool:
        """Put a service's refused answers (AnswerErrors or one ServiceError) next to their fields;
        whether any was one of this form's."""
        shown = False
        for error in getattr(exc, "errors", [exc]):
            if error.field in self.fields:
                self.add_error(error.field, error.message)
                shown = True
        return shown
