"""The reviewer's queue and review form; the organisers' review overview and bulk decisions."""

from django.contrib import messages
from django.db.models import Exists, OuterRef, Subquery
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from podium.base.bidi import isolated
from podium.base.errors import NotAllowed, ServiceError, apply_error
from podium.base.forms import save_form
from podium.orga.access import event_permission
from podium.orga.forms.review import BulkDecisionForm
from podium.orga.forms.reviewing import (
    AssignForm,
    AssignmentForm,
    ConflictForm,
    CriteriaReviewForm,
    CriterionForm,
    PersonConflictForm,
    ReviewSettingsForm,
)
from podium.orga.sorting import Column, Sort
from podium.orga.views import conflicts as person_conflicts
from podium.orga.views.proposals import filtered
from podium.proposals import queries as proposal_queries
from podium.proposals import rules as proposal_rules
from podium.proposals.enums import ProposalState
from podium.reviews import queries, rules, services
from podium.reviews.models import Conflict, Review

QUEUE_COLUMNS = [
    Column("code", gettext_lazy("Code"), "code"),
    Column("title", gettext_lazy("Title"), "title"),
    Column("track", gettext_lazy("Track"), "track__name"),
    Column("type", gettext_lazy("Session type"), "session_type__name"),
    Column("score", gettext_lazy("Your score"), "my_score"),
]
# Sorted in Python (the statistics are not in the database): see _overview_value.
OVERVIEW_COLUMNS = [
    Column("code", gettext_lazy("Code")),
    Column("title", gettext_lazy("Title")),
    Column("track", gettext_lazy("Track")),
    Column("type", gettext_lazy("Session type")),
    Column("state", gettext_lazy("State")),
    Column("count", gettext_lazy("Reviews")),
    Column("mean", gettext_lazy("Mean")),
    Column("median", gettext_lazy("Median")),
    Column("spread", gettext_lazy("Spread")),
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
    """Score and comment one proposal (a score per criterion where the event has criteria); saving
    again updates the reviewer's review."""
    event, user = request.event, request.user
    proposal = get_object_or_404(proposal_queries.for_viewer(user, event), code=code.upper())
    existing = Review.objects.filter(proposal=proposal, reviewer=user).first()
    refusal = rules.review_refusal(user, proposal)
    criteria = list(event.review_criteria.all())
    initial = {}
    if existing:
        initial = {"score": existing.score, "comment": existing.comment}
        for item in existing.criterion_scores.all():
            initial[f"criterion_{item.criterion_id}"] = item.score
    if request.method == "POST":
        form = CriteriaReviewForm(request.POST, event=event, criteria=criteria, initial=initial)
        if form.is_valid():
            try:
                services.save_review(proposal=proposal, reviewer=user, **form.service_data())
            except NotAllowed as exc:
                refusal = exc.message
            except ServiceError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("Your review of %(code)s was saved.") % {"code": proposal.code})
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
                    messages.info(request, _("You have reviewed every proposal in your queue."))
                return redirect("orga:reviews", event=event.slug)
    else:
        form = CriteriaReviewForm(event=event, criteria=criteria, initial=initial)
    return render(
        request,
        "orga/review/review.html",
        {
            "event": event,
            "proposal": proposal,
            "form": form,
            "existing": existing,
            "refusal": refusal,
            "criteria": criteria,
            "can_declare": refusal in (None, rules.REVIEWS_CLOSED, rules.DECISIONS_PHASE),
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
    if column.startswith("criterion"):
        return summary.criteria.get(int(column.removeprefix("criterion")))
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
    """Proposals ranked by their reviews' mean (weighted) score, with the mean of each criterion."""
    event = request.event
    form, visible = filtered(request, proposal_queries.for_viewer(request.user, event))
    proposals = list(visible)
    stats = queries.summaries([p.pk for p in proposals])
    criteria = list(event.review_criteria.all())
    columns = [
        *OVERVIEW_COLUMNS[:6],
        Column("mean", _("Weighted mean") if criteria else _("Mean")),
        *OVERVIEW_COLUMNS[7:],
        *(Column(f"criterion{criterion.pk}", criterion.name) for criterion in criteria),
    ]
    sort = Sort.from_request(request, columns, "-mean")
    rows = sort.sorted([(p, stats[p.pk]) for p in sorted(proposals, key=lambda p: p.code)], _overview_value)
    for summary in stats.values():
        summary.criterion_means = [summary.criteria.get(criterion.pk) for criterion in criteria]
    all_scores = list(Review.objects.filter(proposal__event=event).values_list("score", flat=True))
    return render(
        request,
        "orga/review/overview.html",
        {
            "event": event,
            "form": form,
            "rows": rows,
            "criteria": criteria,
            "headers": sort.headers(request),
            "chart": chart(queries.distribution(event, all_scores)),
            "pending_count": sum(1 for p in proposals if p.pending_state),
            "settings": rules.settings_for(event),
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
            ngettext(
                "%(count)s proposal %(decision)s. The speakers are told when you send the decisions from "
                "the outbox.",
                "%(count)s proposals %(decision)s. The speakers are told when you send the decisions from "
                "the outbox.",
                len(decided),
            )
            % {"count": len(decided), "decision": label},
        )
    for error in errors:
        messages.error(request, error)
    return redirect(_back(request))


def _back(request) -> str:
    """The overview with the filters the user came from (only ever a path of this event's overview)."""
    overview = reverse("orga:review_overview", kwargs={"event": request.event.slug})
    query = QueryDict(request.POST.get("query", "")).urlencode()
    return f"{overview}?{query}" if query else overview


# --- Review settings and criteria ----------------------------------------------------------------


def _settings_form(event, data=None):
    current = rules.settings_for(event)
    initial = {
        "phase": current.phase,
        "assignment_only": current.assignment_only,
        "reviews_per_proposal": current.reviews_per_proposal,
        "version": current.version,
    }
    return (
        ReviewSettingsForm(data, initial=initial) if data is not None else ReviewSettingsForm(initial=initial)
    )


def _criterion_forms(event) -> list:
    return [
        (
            criterion,
            CriterionForm(
                initial={
                    "criterion": criterion.pk,
                    "name": criterion.name,
                    "description": criterion.description,
                    "weight": criterion.weight,
                    "min_score": criterion.min_score,
                    "max_score": criterion.max_score,
                },
                prefix=f"c{criterion.pk}",
            ),
        )
        for criterion in event.review_criteria.all()
    ]


@event_permission("can_edit_event")
def review_settings(request, event):
    """The review phase, the assignment-only mode, and the criteria reviews score (add, change, remove)."""
    event = request.event
    settings_form, new_form = _settings_form(event), CriterionForm(prefix="new")
    criterion_forms = _criterion_forms(event)
    if request.method == "POST":
        part = request.POST.get("part")
        if part == "settings":
            settings_form = _settings_form(event, request.POST)
            settings_form, saved = save_form(
                settings_form,
                lambda form: services.update_review_settings(
                    event=event, by=request.user, **_settings_data(form)
                ),
                reload=lambda: _settings_form(event),
            )
            if saved:
                messages.success(
                    request,
                    _("Review settings saved: %(phase)s.") % {"phase": saved.get_phase_display().lower()},
                )
                return redirect("orga:review_settings", event=event.slug)
        elif part == "criterion":
            pk = request.POST.get("criterion_pk", "")
            criterion = event.review_criteria.filter(pk=int(pk)).first() if pk.isdigit() else None
            if pk and criterion is None:
                messages.error(request, _("This criterion is gone (someone removed it). Nothing was saved."))
                return redirect("orga:review_settings", event=event.slug)
            prefix = f"c{criterion.pk}" if criterion else "new"
            form = CriterionForm(request.POST, prefix=prefix)
            if "delete" in request.POST and criterion is not None:
                try:
                    services.delete_criterion(criterion=criterion, by=request.user)
                except ServiceError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(
                        request, _("Criterion %(name)s removed.") % {"name": isolated(criterion.name)}
                    )
                return redirect("orga:review_settings", event=event.slug)
            form, saved = save_form(
                form,
                lambda f: services.save_criterion(
                    event=event,
                    by=request.user,
                    criterion=criterion,
                    **{
                        k: f.cleaned_data[k]
                        for k in ("name", "description", "weight", "min_score", "max_score")
                    },
                ),
            )
            if saved:
                messages.success(request, _("Criterion %(name)s saved.") % {"name": isolated(saved.name)})
                return redirect("orga:review_settings", event=event.slug)
            if criterion is None:
                new_form = form
            else:
                criterion_forms = [(c, form if c.pk == criterion.pk else f) for c, f in criterion_forms]
        else:
            messages.error(request, _("Choose what to save."))
    return render(
        request,
        "orga/review/settings.html",
        {
            "event": event,
            "settings_form": settings_form,
            "criterion_forms": criterion_forms,
            "new_form": new_form,
            "scale": event.score_labels,
            "scale_text": ", ".join(f"{value} = {label}" for value, label in event.score_labels),
        },
        status=400 if request.method == "POST" else 200,
    )


def _settings_data(form) -> dict:
    data = form.cleaned_data
    return {
        "phase": data["phase"],
        "assignment_only": data["assignment_only"],
        "reviews_per_proposal": data["reviews_per_proposal"],
        "version": data.get("version"),
    }


# --- Assignment ----------------------------------------------------------------------------------


@event_permission("can_edit_event")
def review_assignments(request, event):
    """Who reviews which proposal: the automatic assignment (N reviews per proposal, balanced), adding
    and removing by hand, the balance per reviewer, and the conflicts of interest to confirm."""
    event = request.event
    reviewers = rules.reviewers(event)
    current = rules.settings_for(event)
    assign_form = AssignForm(initial={"per_proposal": current.reviews_per_proposal})
    manual_form = AssignmentForm(reviewers=reviewers)
    person_form = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in person_conflicts.ACTIONS:
            handled = person_conflicts.handle_organiser(request, event, reviewers)
            if not isinstance(handled, PersonConflictForm):
                return handled
            person_form = handled
        elif action == "assign":
            assign_form = AssignForm(request.POST)
            if assign_form.is_valid():
                try:
                    outcome = services.assign_reviewers(
                        event=event, by=request.user, per_proposal=assign_form.cleaned_data["per_proposal"]
                    )
                except ServiceError as exc:
                    apply_error(assign_form, exc, {"per_proposal": "per_proposal"})
                else:
                    b = outcome.balance
                    messages.success(
                        request,
                        ngettext(
                            "%(count)s assignment made for %(proposals)s.",
                            "%(count)s assignments made for %(proposals)s.",
                            outcome.created,
                        )
                        % {
                            "count": outcome.created,
                            "proposals": ngettext(
                                "%(count)s proposal", "%(count)s proposals", outcome.proposals
                            )
                            % {"count": outcome.proposals},
                        }
                        + " "
                        + _(
                            "Balance: %(minimum)s to %(maximum)s proposals per reviewer, %(mean)s on average."
                        )
                        % {"minimum": b.minimum, "maximum": b.maximum, "mean": b.mean},
                    )
                    return redirect("orga:review_assignments", event=event.slug)
        elif action in ("add", "remove", "conflict"):
            manual_form = AssignmentForm(request.POST, reviewers=reviewers)
            if manual_form.is_valid():
                code, reviewer = (
                    manual_form.cleaned_data["code"].strip().upper(),
                    manual_form.cleaned_data["reviewer"],
                )
                proposal = event.proposals.filter(code=code).first()
                if proposal is None:
                    manual_form.add_error("code", _("No proposal of this event has this code."))
                else:
                    done = _manual(request, action, proposal, reviewer, manual_form)
                    if done:
                        messages.success(request, done)
                        return redirect("orga:review_assignments", event=event.slug)
        else:
            messages.error(request, _("Choose what to do."))
    proposals = list(
        proposal_queries.with_list_data(event.proposals.exclude(state=ProposalState.WITHDRAWN)).order_by(
            "code"
        )
    )
    given = queries.assigned_reviewers([p.pk for p in proposals])
    reviewed = set(Review.objects.filter(proposal__event=event).values_list("reviewer_id", "proposal_id"))
    return render(
        request,
        "orga/review/assignments.html",
        {
            "event": event,
            "assign_form": assign_form,
            "manual_form": manual_form,
            "balance": queries.balance(event),
            "rows": [(p, [(a, (a.reviewer_id, p.pk) in reviewed) for a in given[p.pk]]) for p in proposals],
            "suggestions": (
                queries.suggested_conflicts(event, reviewers)
                if proposal_rules.can_see_identity(request.user, event)
                else []
            ),
            "conflicts": Conflict.objects.filter(proposal__event=event).select_related(
                "proposal", "reviewer"
            ),
            "settings": current,
            **person_conflicts.organiser_context(event, reviewers, person_form),
        },
        status=400 if request.method == "POST" else 200,
    )


def _manual(request, action, proposal, reviewer, form) -> str | None:
    """Add or remove one assignment, or record a conflict, by hand; the message, or None when refused."""
    who = reviewer.name or reviewer.email
    try:
        if action == "add":
            services.add_assignment(proposal=proposal, reviewer=reviewer, by=request.user)
            return _("%(code)s assigned to %(who)s.") % {"code": proposal.code, "who": who}
        if action == "remove":
            services.remove_assignment(proposal=proposal, reviewer=reviewer, by=request.user)
            return _("%(code)s is no longer assigned to %(who)s.") % {"code": proposal.code, "who": who}
        services.declare_conflict(proposal=proposal, reviewer=reviewer, by=request.user)
        return _("Conflict of interest recorded: %(who)s does not review %(code)s.") % {
            "who": who,
            "code": proposal.code,
        }
    except ServiceError as exc:
        form.add_error(None, exc.message)
    return None


# --- Conflicts of interest (the reviewer's own) --------------------------------------------------


@event_permission("can_review")
def review_conflicts(request, event):
    """The reviewer's conflicts of interest: those declared, those suggested (co-authors, same
    organisation), and declaring or withdrawing one."""
    event, user = request.event, request.user
    if request.method == "POST":
        if request.POST.get("action") in person_conflicts.ACTIONS:
            return person_conflicts.handle_own(request, event)
        form = ConflictForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"].strip().upper()
            if form.cleaned_data["action"] == "declare":
                proposal = _conflict_candidates(user, event).filter(code=code).first()
            else:
                proposal = event.proposals.filter(code=code, review_conflicts__reviewer=user).first()
            if proposal is None and form.cleaned_data["action"] == "withdraw":
                messages.info(
                    request, _("You had declared no conflict of interest with %(code)s.") % {"code": code}
                )
            elif proposal is None:
                messages.error(request, _("No proposal you may see has this code."))
            elif form.cleaned_data["action"] == "declare":
                conflict = services.declare_conflict(proposal=proposal, reviewer=user, by=user)
                text = _("Conflict of interest declared: you do not review %(code)s.") % {
                    "code": proposal.code
                }
                if conflict.review_removed:
                    text += " " + _("Your review of it was removed.")
                messages.success(request, text)
            else:
                services.withdraw_conflict(proposal=proposal, reviewer=user, by=user)
                messages.success(
                    request, _("Conflict of interest with %(code)s withdrawn.") % {"code": proposal.code}
                )
        else:
            messages.error(request, _("Choose a proposal and what to do."))
        return redirect("orga:review_conflicts", event=event.slug)
    declared = Conflict.objects.filter(reviewer=user, proposal__event=event).select_related("proposal")
    candidate_ids = set(_conflict_candidates(user, event).values_list("pk", flat=True))
    return render(
        request,
        "orga/review/conflicts.html",
        {
            "event": event,
            "declared": declared,
            **person_conflicts.own_context(user, event),
            # Under anonymised review a suggestion would tell who submitted (a co-author, a colleague):
            # the reviewer gets none; organisers still see them on the assignment page.
            "suggestions_hidden": not proposal_rules.can_see_identity(user, event),
            "suggestions": (
                [s for s in queries.suggested_conflicts(event, [user]) if s.proposal.pk in candidate_ids]
                if proposal_rules.can_see_identity(user, event)
                else []
            ),
            "candidates": _conflict_candidates(user, event)
            .exclude(pk__in=declared.values("proposal_id"))
            .order_by("code"),
        },
    )


def _conflict_candidates(user, event):
    """The proposals a reviewer may declare a conflict with: those they see (in the assignment-only
    mode, those assigned to them; organisers declare the others on their behalf), not their own."""
    return rules.conflict_candidates(user, event)
