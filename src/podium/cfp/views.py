"""Speaker-facing pages: the CfP, the speaker's profile and proposals, invitations, confirmation."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from podium.attendance.queries import feedback_summary
from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.base.permissions import login_required, public, token
from podium.cfp import downloads
from podium.cfp import queries as questions
from podium.cfp import services as answering
from podium.cfp.forms import AnswersForm, AvailabilityForm, InviteForm, ProfileForm, ProposalForm
from podium.events.models import Event
from podium.events.visibility import INSIDERS, any_event_or_404, event_or_404, may_know, unknown_event
from podium.proposals import rules, services
from podium.proposals.enums import ProposalState
from podium.proposals.models import CoSpeakerInvite, SpeakerProfile
from podium.proposals.queries import with_list_data
from podium.proposals.states import SCHEDULABLE
from podium.schedule.queries import speaker_place


def _event(request, slug: str) -> Event:
    """The URL's event; a non-public one only for its team and its speakers (as unknown for everyone else)."""
    return event_or_404(slug, request.user, admit=INSIDERS)


def _answers_refused(exc: ServiceError, *answer_forms) -> None:
    """Show refused answers next to their questions, and above the form a pointer to them (instead of
    the answers' own messages twice)."""
    shown = [form.show_errors(exc) for form in answer_forms]
    if any(shown):
        raise ServiceError(_("Some answers need another look: see the questions marked below.")) from exc


def _own_proposal(request, event, code):
    return get_object_or_404(with_list_data(rules.own_proposals(request.user, event)), code=code.upper())


@public
def cfp(request, event):
    event = _event(request, event)
    return render(
        request,
        "cfp/cfp.html",
        {
            "event": event,
            "tracks": event.tracks.all(),
            "session_types": event.session_types.all(),
        },
    )


@login_required
def submit(request, event):
    """Profile and proposal on one page; the profile part is prefilled for returning speakers."""
    event = _event(request, event)
    if not event.cfp_is_open:
        messages.error(request, _("The call for papers is closed."))
        return redirect("cfp:cfp", event=event.slug)
    profile = SpeakerProfile.objects.filter(event=event, user=request.user).first()
    profile_initial = {
        "name": request.user.name,
        "bio": profile.bio if profile else "",
        "website": profile.website if profile else "",
        "social": profile.social if profile else "",
    }
    # Every active question shows (the page's script hides those for another track or type).
    asked = {
        "proposal": questions.proposal_questions(event, all_limits=True),
        "speaker": questions.speaker_questions(event, pairs=set(), all_limits=True),
    }
    stored = questions.answers_of(profile=profile)
    if request.method == "POST":
        profile_form = ProfileForm(request.POST, request.FILES, prefix="profile")
        form = ProposalForm(request.POST, event=event)
        answer_forms = {
            key: AnswersForm(request.POST, request.FILES, questions=qs, answers=stored, prefix=f"{key}-q")
            for key, qs in asked.items()
        }

        def save(form):
            try:
                return answering.submit_with_answers(
                    event=event,
                    speaker=request.user,
                    profile=profile_form.service_data(),
                    data=form.service_data(),
                    answers={**answer_forms["proposal"].answers(), **answer_forms["speaker"].answers()},
                    idempotency_key=form.cleaned_data.get("idempotency_key") or None,
                )
            except ServiceError as exc:
                _answers_refused(exc, *answer_forms.values())
                raise

        if profile_form.is_valid() and all(f.is_valid() for f in answer_forms.values()):
            form, proposal = save_form(form, save)
            if proposal:
                messages.success(
                    request,
                    _("Thank you! Your proposal was submitted with the code %(code)s.")
                    % {"code": proposal.code},
                )
                return redirect("cfp:proposal", event=event.slug, code=proposal.code)
    else:
        profile_form = ProfileForm(initial=profile_initial, prefix="profile")
        form = ProposalForm(event=event)
        answer_forms = {
            key: AnswersForm(questions=qs, answers=stored, prefix=f"{key}-q") for key, qs in asked.items()
        }
    return render(
        request,
        "cfp/submit.html",
        {
            "event": event,
            "form": form,
            "profile_form": profile_form,
            "profile": profile,
            "proposal_answers": answer_forms["proposal"],
            "speaker_answers": answer_forms["speaker"],
        },
    )


@login_required
def my_proposals(request, event):
    event = _event(request, event)
    proposals = with_list_data(rules.own_proposals(request.user, event)).order_by("-created")
    return render(request, "cfp/my_proposals.html", {"event": event, "proposals": proposals})


@login_required
def profile(request, event):
    event = _event(request, event)
    profile = (
        SpeakerProfile.objects.filter(event=event, user=request.user)
        .prefetch_related("availabilities")
        .first()
    )
    initial = {"name": request.user.name}
    if profile:
        initial.update(bio=profile.bio, website=profile.website, social=profile.social)
    windows = list(profile.availabilities.all()) if profile else []
    # The questions about speakers that apply to the speaker's proposals (or to every proposal).
    asked = questions.speaker_questions(event, pairs=questions.speaker_pairs(profile))
    stored = questions.answers_of(profile=profile)
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, initial=initial)
        availability = AvailabilityForm(request.POST, event=event, prefix="av")
        answers_form = AnswersForm(
            request.POST, request.FILES, questions=asked, answers=stored, prefix="speaker-q"
        )

        def save(form):
            try:
                return answering.save_profile_with_answers(
                    event=event,
                    user=request.user,
                    profile=form.service_data(),
                    answers=answers_form.answers(),
                    windows=availability.windows(),
                    preferred=availability.preferred_windows(),
                )
            except ServiceError as exc:
                _answers_refused(exc, answers_form)
                raise

        if availability.is_valid() and answers_form.is_valid():
            form, saved = save_form(form, save)
            if saved:
                messages.success(request, _("Your profile was saved."))
                return redirect("cfp:profile", event=event.slug)
    else:
        form = ProfileForm(initial=initial)
        availability = AvailabilityForm(
            initial=AvailabilityForm.initial_for(event, windows), event=event, prefix="av"
        )
        answers_form = AnswersForm(questions=asked, answers=stored, prefix="speaker-q")
    return render(
        request,
        "cfp/profile.html",
        {
            "event": event,
            "form": form,
            "availability": availability,
            "profile": profile,
            "answers_form": answers_form,
        },
    )


@login_required
def answer_file(request, event, answer):
    """The file the speaker gave as an answer (theirs, or their proposal's)."""
    event = _event(request, event)
    found = questions.own_answer_file(request.user, event, answer)
    if found is None:
        raise Http404
    return downloads.file_response(found)


@login_required
def proposal(request, event, code):
    """The speaker's view of one proposal: status, edit form (until the deadline), co-speakers."""
    event = _event(request, event)
    proposal = _own_proposal(request, event, code)
    editable = services.speaker_can_edit(proposal)
    form = ProposalForm(request.POST or None, instance=proposal, event=event) if editable else None
    stored = questions.answers_of(proposal=proposal)
    answers_form = None
    if editable:
        answers_form = AnswersForm(
            request.POST or None,
            request.FILES or None,
            questions=questions.proposal_questions(event, all_limits=True),
            answers=stored,
            prefix="proposal-q",
        )
    if editable and request.method == "POST":

        def save(form):
            try:
                return answering.update_proposal_with_answers(
                    proposal=proposal,
                    by=request.user,
                    data=form.service_data(),
                    version=form.cleaned_data.get("version") or 0,
                    answers=answers_form.answers(),
                )
            except ServiceError as exc:
                _answers_refused(exc, answers_form)
                raise

        saved = None
        if answers_form.is_valid():
            form, saved = save_form(form, save)
        if saved:
            messages.success(request, _("Your changes were saved."))
            return redirect("cfp:proposal", event=event.slug, code=proposal.code)
    return render(
        request,
        "cfp/proposal.html",
        {
            "event": event,
            "proposal": proposal,
            "form": form,
            "editable": editable,
            "invite_form": InviteForm(),
            "invites": proposal.invites.filter(accepted_at__isnull=True),
            "can_withdraw": proposal.state
            in (ProposalState.SUBMITTED, ProposalState.ACCEPTED, ProposalState.CONFIRMED),
            "needs_confirmation": proposal.state == ProposalState.ACCEPTED,
            # When and where the session is, from the latest release (the draft is the organisers').
            "place": speaker_place(proposal) if proposal.state in SCHEDULABLE else None,
            # Attendees' feedback on the talk, without who gave it (organisers see the names).
            "feedback": feedback_summary(proposal, with_authors=False),
            "answers_form": answers_form,
            "answers": questions.answers_for_viewer(request.user, proposal, own=True),
        },
    )


@login_required
def withdraw(request, event, code):
    event = _event(request, event)
    proposal = _own_proposal(request, event, code)
    if request.method == "POST":
        try:
            services.withdraw_proposal(proposal=proposal, by=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your proposal was withdrawn."))
    return redirect("cfp:proposal", event=event.slug, code=proposal.code)


@login_required
def invite(request, event, code):
    event = _event(request, event)
    proposal = _own_proposal(request, event, code)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_co_speaker(proposal=proposal, email=form.cleaned_data["email"], by=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("We sent an invitation to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
    elif request.method == "POST":
        messages.error(request, _("Enter a valid e-mail address for your co-speaker."))
    return redirect("cfp:proposal", event=event.slug, code=proposal.code)


@token
def accept_invite(request, event, token):
    """Join a proposal as co-speaker. Needs a log-in (or sign-up) first; the token names the proposal."""
    event = any_event_or_404(event)  # the token, not the visitor, grants access
    invite = (
        CoSpeakerInvite.objects.select_related("proposal").filter(token=token, proposal__event=event).first()
    )
    if invite is None:
        raise unknown_event()
    if not request.user.is_authenticated:
        return render(request, "cfp/invite_login.html", {"event": event, "invite": invite})
    if request.method == "POST":
        try:
            proposal = services.accept_co_speaker_invite(invite=invite, user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("cfp:my_proposals", event=event.slug)
        messages.success(request, _("You are now a speaker of this proposal. Please complete your profile."))
        return redirect("cfp:proposal", event=event.slug, code=proposal.code)
    return render(request, "cfp/invite.html", {"event": event, "invite": invite})


def _confirm_or_decline(request, event, proposal, user):
    action = request.POST.get("action")
    try:
        if action == "confirm":
            services.confirm_proposal(proposal=proposal, by=user)
            messages.success(request, _("Thank you for confirming! We look forward to your session."))
        elif action == "decline":
            services.decline_proposal(proposal=proposal, by=user)
            messages.success(
                request, _("You declined the invitation to present. Thank you for letting us know.")
            )
        else:
            messages.error(request, _("Choose to confirm or decline."))
    except ServiceError as exc:
        messages.error(request, exc.message)


@token
def confirm(request, event, token):
    """The link in the acceptance mail: shows the proposal with Confirm and Decline buttons.

    Opening the link changes nothing (mail scanners open links); the button press does. The signed
    token stands for the speaker, so no log-in is needed. A link that proves nothing answers as an
    unknown slug when the event is not public (except to its team and speakers).
    """
    event = any_event_or_404(event)
    try:
        proposal, user = services.read_confirmation_token(event, token)
    except ServiceError as exc:
        if not may_know(request.user, event, admit=INSIDERS):
            raise unknown_event() from exc
        return render(request, "cfp/confirm_invalid.html", {"event": event, "error": exc.message}, status=400)
    if request.method == "POST":
        _confirm_or_decline(request, event, proposal, user)
        if request.user.is_authenticated and request.user.pk == user.pk:
            return redirect("cfp:proposal", event=event.slug, code=proposal.code)
        return redirect("cfp:confirm", event=event.slug, token=token)
    return render(request, "cfp/confirm.html", {"event": event, "proposal": proposal, "speaker": user})


@login_required
def confirm_logged_in(request, event, code):
    """The same confirmation for a speaker who is logged in and on their proposal page."""
    event = _event(request, event)
    proposal = _own_proposal(request, event, code)
    if request.method == "POST":
        _confirm_or_decline(request, event, proposal, request.user)
    return redirect("cfp:proposal", event=event.slug, code=proposal.code)
