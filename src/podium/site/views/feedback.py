"""An attendee's feedback on a talk they attended: a rating and a comment, sent from the talk page."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from podium.attendance import services
from podium.base.forms import save_form
from podium.base.permissions import login_required
from podium.schedule.queries import latest_release
from podium.site.forms import FeedbackForm
from podium.site.views.common import public_event
from podium.site.views.program import render_talk


@login_required
def feedback(request, event, code):
    """POST: rate the talk (a second submission replaces the first). A refusal or a form error shows on
    the talk page with what was typed."""
    event = public_event(event)
    code = code.upper()
    release = latest_release(event)
    proposal = event.proposals.filter(code=code).first() if release is not None else None
    if proposal is None or not release.sessions.filter(code=code).exists():
        raise Http404("There is no published session with this code.")
    talk_url = reverse("site:talk", kwargs={"event": event.slug, "code": code})
    if request.method != "POST":
        return redirect(talk_url + "#feedback-form")
    form, saved = save_form(
        FeedbackForm(request.POST),
        lambda form: services.save_feedback(
            proposal=proposal,
            by=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        ),
    )
    if saved is None:
        return render_talk(request, event, release, code, feedback_form=form)
    messages.success(request, _("Thank you: your feedback was saved."))
    return redirect(talk_url + "#feedback-form")
