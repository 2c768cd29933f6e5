from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.base.permissions import login_required, token
from podium.events import services as event_services
from podium.events.models import TeamInvite
from podium.events.queries import events_for_user
from podium.orga.access import organiser_admin, site_admin, team_member
from podium.proposals import rules as proposal_rules


class OrganiserForm(forms.Form):
    name = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=49, label="Short name", help_text="Lowercase letters, digits and hyphens."
    )


@login_required
def dashboard(request):
    return render(request, "orga/dashboard.html", {"roles": events_for_user(request.user)})


@organiser_admin
def organiser(request, organiser):
    organiser = request.organiser
    return render(
        request,
        "orga/organiser.html",
        {
            "organiser": organiser,
            "events": organiser.events.all(),
            "teams": organiser.teams.annotate(member_count=Count("members")),
        },
    )


@team_member
def event_dashboard(request, event):
    event = request.event
    visible = proposal_rules.team_visible_proposals(request.user, event)
    counts = visible.aggregate(
        total=Count("pk"),
        **{
            state: Count("pk", filter=Q(state=state))
            for state in ("submitted", "accepted", "confirmed", "rejected", "withdrawn")
        },
        pending=Count("pk", filter=~Q(pending_state="")),
    )
    return render(
        request, "orga/event.html", {"event": event, "counts": counts, "perms": request.permissions}
    )


@token
def team_invite(request, token):
    """Accept a team invitation (log-in or sign-up first)."""
    invite = get_object_or_404(TeamInvite.objects.select_related("team__organiser"), token=token)
    if not request.user.is_authenticated:
        return render(request, "orga/team_invite_login.html", {"invite": invite})
    if request.method == "POST":
        try:
            team = event_services.accept_team_invite(invite=invite, user=request.user)
        except ServiceError as exc:
            messages.error(request, exc.message)
            return redirect("orga:dashboard")
        messages.success(request, f"You joined the team {team.name}.")
        return redirect("orga:dashboard")
    return render(request, "orga/team_invite.html", {"invite": invite})


@site_admin
def organiser_new(request):
    """Site administrators create organisers; the creator joins its Administrators team."""
    form = OrganiserForm(request.POST or None)
    if request.method == "POST":
        form, organiser = save_form(
            form,
            lambda form: event_services.create_organiser(
                name=form.cleaned_data["name"],
                slug=form.cleaned_data["slug"],
                admin=request.user,
                by=request.user,
            ),
        )
        if organiser:
            messages.success(
                request, f"The organiser {organiser.name} was created. Now create its first event."
            )
            return redirect("orga:organiser", organiser=organiser.slug)
    return render(request, "orga/organiser_new.html", {"form": form})
