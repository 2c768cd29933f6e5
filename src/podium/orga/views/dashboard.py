from django import forms
from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from podium.base.bidi import isolated
from podium.base.errors import ServiceError
from podium.base.forms import save_form
from podium.base.permissions import login_required, token
from podium.events import services as event_services
from podium.events.models import Team, TeamInvite
from podium.events.queries import events_for_user
from podium.orga.access import organiser_admin, site_admin, team_member
from podium.orga.schedule_editor import conflict_summary
from podium.proposals import rules as proposal_rules
from podium.proposals.enums import ProposalState
from podium.reviews.models import Review
from podium.schedule import changelog
from podium.schedule.conflicts import find_conflicts
from podium.schedule.queries import latest_release
from podium.schedule.snapshot import preview_release


class OrganiserForm(forms.Form):
    name = forms.CharField(max_length=200, label=gettext_lazy("Name"))
    slug = forms.SlugField(
        max_length=49,
        label=gettext_lazy("Short name"),
        help_text=gettext_lazy("Lowercase letters, digits and hyphens."),
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
    perms = request.permissions
    state = {}
    if perms.can_schedule:
        state["schedule"] = schedule_state(event)
    if perms.can_review or perms.can_edit_event:
        state["reviews"] = review_progress(event, visible)
    if perms.can_edit_event or perms.can_send_mail:
        state["decisions"] = decision_state(visible)
    return render(
        request, "orga/event.html", {"event": event, "counts": counts, "perms": perms, "state": state}
    )


def schedule_state(event) -> dict:
    """The draft against the last release (the release page's changelog preview) and the draft's
    conflicts by severity (the editor's check)."""
    latest = latest_release(event)
    changes, changed = preview_release(event)
    kinds = dict.fromkeys(changelog.KINDS, 0)
    for change in changes:
        kinds[change["kind"]] += 1
    groups, _ = conflict_summary(find_conflicts(event))
    return {
        "latest": latest,
        "unpublished": len(changes),
        "changed": changed,
        "kinds": [(changelog.KIND_LABELS[kind], count) for kind, count in kinds.items() if count],
        "conflicts": [
            {"severity": g["severity"], "label": g["label"], "noun": g["noun"], "count": len(g["items"])}
            for g in groups
        ],
        "conflict_total": sum(len(g["items"]) for g in groups),
    }


def review_progress(event, visible) -> dict:
    """Reviews done and expected for the proposals in review (submitted, no decision taken): every
    reviewer of the event is expected to review every proposal in review within their teams' tracks."""
    in_review = visible.filter(state=ProposalState.SUBMITTED, pending_state="")
    per_track = dict(in_review.values_list("track_id").annotate(n=Count("pk")).values_list("track_id", "n"))
    total = sum(per_track.values())
    reviewers: dict[int, set | None] = {}
    teams = (
        Team.objects.filter(organiser=event.organiser, can_review=True)
        .filter(Q(all_events=True) | Q(limit_events=event))
        .distinct()
        .prefetch_related("members", "limit_tracks")
    )
    for team in teams:
        tracks = {track.pk for track in team.limit_tracks.all()}
        for member in team.members.all():
            known = reviewers.get(member.pk, set())
            reviewers[member.pk] = None if known is None or not tracks else known | tracks
    expected = sum(
        total if tracks is None else sum(per_track.get(pk, 0) for pk in tracks)
        for tracks in reviewers.values()
    )
    done = Review.objects.filter(proposal__in=in_review, reviewer_id__in=list(reviewers)).count()
    return {
        "in_review": total,
        "reviewers": len(reviewers),
        "done": done,
        "expected": expected,
        "percent": round(100 * done / expected) if expected else None,
    }


def decision_state(visible) -> dict:
    """Decisions taken but not sent, proposals still undecided, and accepted sessions whose speakers
    have not confirmed."""
    return visible.aggregate(
        unsent=Count("pk", filter=~Q(pending_state="")),
        undecided=Count("pk", filter=Q(state=ProposalState.SUBMITTED, pending_state="")),
        unconfirmed=Count("pk", filter=Q(state=ProposalState.ACCEPTED)),
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
        messages.success(request, _("You joined the team %(team)s.") % {"team": isolated(team.name)})
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
                request,
                _("The organiser %(name)s was created. Now create its first event.")
                % {"name": organiser.name},
            )
            return redirect("orga:organiser", organiser=organiser.slug)
    return render(request, "orga/organiser_new.html", {"form": form})
