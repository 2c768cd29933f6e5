"""Team pages of an organiser: the list, a team's flags and limits, its members and invitations.

Teams are loaded through `request.organiser`, so another organiser's team is a 404.
"""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from podium.base.bidi import isolated
from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.events import services
from podium.events.models import Track
from podium.orga.access import organiser_admin
from podium.orga.forms.setup import TeamForm, TeamInviteForm


def _team(request, pk):
    return get_object_or_404(request.organiser.teams, pk=pk)


@organiser_admin
def teams(request, organiser):
    organiser = request.organiser
    teams = organiser.teams.annotate(
        member_count=Count("members", distinct=True),
        pending_count=Count("invites", filter=Q(invites__accepted_at__isnull=True), distinct=True),
    ).prefetch_related(
        "limit_events",
        Prefetch("limit_tracks", queryset=Track.objects.select_related("event").order_by("name")),
    )
    return render(request, "orga/setup/teams.html", {"organiser": organiser, "teams": teams})


@organiser_admin
def team_new(request, organiser):
    organiser = request.organiser
    form = TeamForm(request.POST or None, organiser=organiser, initial={"all_events": True})
    if request.method == "POST":
        form, team = save_form(
            form,
            lambda form: services.save_team(
                organiser=organiser,
                by=request.user,
                data=form.service_data(),
                events=form.events(),
                tracks=form.tracks(),
            ),
        )
        if team:
            messages.success(
                request,
                _('The team "%(team)s" was created. Invite its members below.')
                % {"team": isolated(team.name)},
            )
            return redirect("orga:team_edit", organiser=organiser.slug, pk=team.pk)
    return render(request, "orga/setup/team_form.html", {"organiser": organiser, "form": form, "team": None})


def _team_page(request, team, *, form=None, invite_form=None):
    return render(
        request,
        "orga/setup/team_form.html",
        {
            "organiser": request.organiser,
            "team": team,
            "form": form or TeamForm(instance=team, organiser=request.organiser),
            "invite_form": invite_form or TeamInviteForm(),
            "members": team.members.order_by("name", "email"),
            "invites": team.invites.filter(accepted_at__isnull=True)
            .select_related("invited_by")
            .order_by("-created"),
        },
    )


@organiser_admin
def team_edit(request, organiser, pk):
    """A team's flags and limits. A stale version shows the stored team with the conflict above it."""
    team = _team(request, pk)
    if request.method != "POST":
        return _team_page(request, team)
    form, saved = save_form(
        TeamForm(request.POST, instance=team, organiser=request.organiser),
        lambda form: services.save_team(
            organiser=request.organiser,
            by=request.user,
            data=form.service_data(),
            events=form.events(),
            tracks=form.tracks(),
            team=team,
            version=form.cleaned_data["version"],
        ),
        reload=lambda: TeamForm(instance=team, organiser=request.organiser),
        refresh=team,
    )
    if saved:
        messages.success(request, _('The team "%(team)s" was saved.') % {"team": isolated(team.name)})
        return redirect("orga:team_edit", organiser=organiser, pk=team.pk)
    return _team_page(request, team, form=form)


@organiser_admin
@require_POST
def team_invite_send(request, organiser, pk):
    team = _team(request, pk)
    form, invite = save_form(
        TeamInviteForm(request.POST),
        lambda form: services.invite_team_member(
            team=team, email=form.cleaned_data["email"], by=request.user
        ),
    )
    if invite:
        messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invite.email})
        return redirect("orga:team_edit", organiser=organiser, pk=team.pk)
    return _team_page(request, team, invite_form=form)


@organiser_admin
@require_POST
def team_member_remove(request, organiser, pk):
    """Take the member named by the POST field `user` off the team."""
    team = _team(request, pk)
    member_id = request.POST.get("user", "")
    member = get_object_or_404(team.members, pk=member_id) if member_id.isdigit() else None
    if member is None:
        messages.error(request, _("Choose a member of this team to remove."))
        return redirect("orga:team_edit", organiser=organiser, pk=team.pk)
    try:
        services.remove_team_member(team=team, user=member, by=request.user)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("%(person)s was removed from the team.") % {"person": member.name or member.email}
        )
    return redirect("orga:team_edit", organiser=organiser, pk=team.pk)
