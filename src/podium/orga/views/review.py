"""The reviewer's queue and review form; the organisers' review overview and bulk decisions."""

from django.contrib import messages
from django.db.models import Exists, OuterRef, Subquery
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from podium.base.errors import NotAllowed, ServiceError, apply_error
from podium.orga.access import event_permission
from podium.orga.forms.review import BulkDecisionForm, ReviewForm
from podium.orga.sorting import Column, Sort
from podium.orga.views.proposals import filtered
from podium.proposals import queries as proposal_queries
from podium.proposals import rules as proposal_rules
from podium.proposals.enums import ProposalState
from podium.reviews import queries, rules, services
from podium.reviews.models import Review

QUEUE_COLUMNS = [
    Column("code", "Code", "code"),
    Column("title", "Title", "title"),
    Column("track", "Track", "track__name"),
    Column("type", "Session type", "session_type__name"),
    Column("score", "Your score", "my_score"),
]
# Sorted in Python (the statistics are not in the database): see _overview_value.
OVERVIEW_COLUMNS = [
    Column("code", "Code"),
    Column("title", "Title"),
    Column("track", "Track"),
    Column("type", "Session type"),
    Column("state", "State"),
    Column("count", "Reviews"),
    Column("mean", "Mean"),
    Column("median", "Median"),
    Column("spread", "Spread"),
]


def _queue(request):
    """The user's reviewable proposals, as they may see them, with their own score (None when not
    reviewed yet)."""
    mine = Review.objects.filter(proposal=OuterRef("pk"), reviewer=request.user)
    visible = proposal_queries.for_viewer(request.user, request.event)
    return rules.reviewable(request.user, request.event, visible).annotate(
        my_score=Subquery(mine.values("score")[:1]), reviewed=Exists(mine)
    )


@event_permission("can_review")
def reviews(request, event):
    event = request.event
    form, queue = filtered(request, _queue(request), with_search=False, with_state=False)
    sort = Sort.from_request(request, QUEUE_COLUMNS)
    # Unreviewed first, always; the chosen column orders within each group.
    rows = list(sort.order_by(queue, first=["reviewed"], then=["created", "pk"]))
    return render(
        request,
        "orga/review/queue.html",
        {
            "event": event,
            "form": form,
            "proposals": rows,
            "headers": sort.headers(request),
            "anonymised": queue.anonymised,
            "reviewed_count": sum(1 for p in rows if p.reviewed),
            "score_labels": event.score_label_map,
        },
    )


@event_permission("can_review")
def review(request, event, code):
    """Score and comment one proposal; saving again updates the reviewer's review."""
    event, user = request.event, request.user
    proposal = get_object_or_404(proposal_queries.for_viewer(user, event), code=code.upper())
    existing = Review.objects.filter(proposal=proposal, reviewer=user).first()
    refusal = rules.review_refusal(user, proposal)
    initial = {"score": existing.score, "comment": existing.comment} if existing else {}
    if request.method == "POST":
        form = ReviewForm(request.POST, event=event, initial=initial)
        if form.is_valid():
            try:
                services.save_review(
                    proposal=proposal,
                    reviewer=user,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except NotAllowed as exc:
                refusal = exc.message
            except ServiceError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, f"Your review of {proposal.code} was saved.")
                if "next" in request.POST:
                    following = (
                        _queue(request)
                        .filter(reviewed=False)
                        .exclude(pk=proposal.pk)
                        .order_by("created", "pk")
                        .first()
                    )
                    if following:
                        return redirect("orga:review", event=event.slug, code=following.code)
                    messages.info(request, "You have reviewed every proposal in your queue.")
                return redirect("orga:reviews", event=event.slug)
    else:
        form = ReviewForm(event=event, initial=initial)
    return render(
        request,
        "orga/review/review.html",
        {
            "event": event,
            "proposal": proposal,
            "form": form,
            "existing": existing,
            "refusal": refusal,
            "language": event.language_map.get(proposal.language, proposal.language),
        },
        status=403 if refusal and request.method == "POST" else 200,
    )


def _overview_value(row, column: str):
    """What the overview sorts a (proposal, summary) row by in `column`; None when it has no value."""
    proposal, summary = row
    match column:
        case "code":
            return proposal.code
        case "title":
            return proposal.title.lower()
        case "track":
            return proposal.track.name.lower() if proposal.track else None
        case "type":
            return proposal.session_type.name.lower()
        case "state":
            return proposal.state
        case "count":
            return summary.count
    return getattr(summary, column)


CHART_BAR, CHART_GAP, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 40, 16, 100, 18, 22


def chart(distribution) -> dict:
    """Geometry of the score distribution bar chart (drawn as SVG by the template)."""
    most = max((count for _, _, count in distribution), default=0)
    bars = []
    for index, (value, label, count) in enumerate(distribution):
        height = round(CHART_HEIGHT * count / most) if most else 0
        x = CHART_GAP + index * (CHART_BAR + CHART_GAP)
        y = CHART_TOP + CHART_HEIGHT - height
        bars.append(
            {
                "value": value,
                "label": label,
                "count": count,
                "x": x,
                "y": y,
                "height": height,
                "centre": x + CHART_BAR // 2,
                "count_y": y - 4,
                "label_y": CHART_TOP + CHART_HEIGHT + 16,
            }
        )
    return {
        "bars": bars,
        "bar_width": CHART_BAR,
        "width": CHART_GAP + len(bars) * (CHART_BAR + CHART_GAP),
        "height": CHART_TOP + CHART_HEIGHT + CHART_BOTTOM,
        "baseline": CHART_TOP + CHART_HEIGHT,
        "total": sum(bar["count"] for bar in bars),
    }


@event_permission("can_edit_event")
def review_overview(request, event):
    event = request.event
    form, visible = filtered(request, proposal_queries.for_viewer(request.user, event))
    proposals = list(visible)
    stats = queries.summaries([p.pk for p in proposals])
    sort = Sort.from_request(request, OVERVIEW_COLUMNS, "-mean")
    rows = sort.sorted([(p, stats[p.pk]) for p in sorted(proposals, key=lambda p: p.code)], _overview_value)
    all_scores = list(Review.objects.filter(proposal__event=event).values_list("score", flat=True))
    return render(
        request,
        "orga/review/overview.html",
        {
            "event": event,
            "form": form,
            "rows": rows,
            "headers": sort.headers(request),
            "chart": chart(queries.distribution(event, all_scores)),
            "pending_count": sum(1 for p in proposals if p.pending_state),
        },
    )


@event_permission("can_edit_event")
@require_POST
def decide(request, event):
    """Accept or reject the proposals ticked on the overview; decisions stay pending until sent."""
    event = request.event
    form = BulkDecisionForm(
        request.POST, proposals=proposal_rules.team_visible_proposals(request.user, event)
    )
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_back(request))
    try:
        decided, errors = services.decide_many(
            event=event,
            codes=form.cleaned_data["codes"],
            decision=form.cleaned_data["decision"],
            by=request.user,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect(_back(request))
    label = ProposalState(form.cleaned_data["decision"]).label.lower()
    if decided:
        messages.success(
            request,
            f"{len(decided)} proposal{'s' if len(decided) != 1 else ''} {label}. The speakers are told when "
            "you send the decisions from the outbox.",
        )
    for error in errors:
        messages.error(request, error)
    return redirect(_back(request))


def _back(request) -> str:
    """The overview with the filters the user came from (only ever a path of this event's overview)."""
    overview = reverse("orga:review_overview", kwargs={"event": request.event.slug})
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return f"{overview}?{query}" if query else overview
