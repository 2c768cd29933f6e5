"""Forms of the public pages: an attendee's note and feedback on a talk."""

from django import forms
from django.utils.translation import gettext_lazy as _

from podium.attendance.models import MAX_FEEDBACK_COMMENT_LENGTH, MAX_NOTE_LENGTH, RATINGS

RATING_LABELS = {1: _("1 (poor)"), 2: "2", 3: "3", 4: "4", 5: _("5 (excellent)")}


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Your note"),
        required=False,
        strip=False,
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Only you see it unless you share it. Markdown works. Save it empty to delete it."),
    )
    shared = forms.BooleanField(
        label=_("Share under the talk (everyone sees it with your name)"), required=False
    )


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(value, RATING_LABELS[value]) for value in RATINGS],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment for the speakers (optional)"),
        required=False,
        max_length=MAX_FEEDBACK_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The speakers read it without your name; the organisers see who wrote it."),
    )
