"""Reviewing through API tokens: reviews (with their per-criterion scores), the event's review
settings and criteria, and review assignments.

Limited exactly as the review pages are: a reviewer reads their own reviews and the others' only once
they reviewed the proposal (or in the decisions phase), sees assignments of their own, and writes
reviews through the same service (phase, conflicts of interest, tracks, own proposals).
"""

import datetime as dt
from typing import Annotated, Literal

from ninja import Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import BeforeValidator, Field, Strict, StringConstraints

from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.idempotency import idempotent
from podium.api.organiser import IDEMPOTENCY, READ_ERRORS, WRITE_ERRORS, _event, _page, _visible_proposal
from podium.events.rules import permissions_for
from podium.proposals.models import ProposalSpeaker
from podium.reviews import queries as review_queries
from podium.reviews import rules as review_rules
from podium.reviews import services as review_services
from podium.reviews.models import Assignment, Conflict, Review, ReviewPhase, SpeakerConflict

router = Router(tags=["reviews"])

# Whole numbers as JSON has them (2.0 is 2, "2" or true is no number), within bounds.
ScoreInt = Annotated[int, Field(ge=-1000, le=1000), Strict(False), BeforeValidator(s._json_number)]
CriterionId = Annotated[int, Field(ge=1, le=2**31 - 1), Strict(False), BeforeValidator(s._json_number)]


class CriterionScoreOut(Schema):
    criterion: int
    name: str
    score: int


class ReviewOut(Schema):
    proposal: str
    reviewer: str
    mine: bool
    score: int = Field(
        description="On the event's scale; with criteria, the weighted score rounded (halves up)."
    )
    weighted_score: float | None = Field(
        description="With criteria: the weighted mean of the criterion scores on the event's scale."
    )
    scores: list[CriterionScoreOut]
    comment: str
    created: dt.datetime
    updated: dt.datetime


class ReviewPage(s.Page):
    items: list[ReviewOut]


class CriterionScoreIn(s.StrictInput):
    criterion: CriterionId
    score: ScoreInt


class ReviewIn(s.StrictInput):
    """One `score` on the event's scale, or, where the event has criteria, `scores`: one per criterion."""

    score: ScoreInt | None = None
    scores: list[CriterionScoreIn] | None = Field(None, max_length=100)
    comment: Annotated[str, StringConstraints(max_length=10_000, pattern=s.NO_NUL)] = ""


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    weight: int
    min_score: int
    max_score: int


class ReviewSettingsOut(Schema):
    phase: Literal[tuple(ReviewPhase.values)]  # type: ignore[valid-type]
    assignment_only: bool
    reviews_per_proposal: int
    score_scale: list[int]
    criteria: list[CriterionOut]


class AssignmentOut(Schema):
    proposal: str
    reviewer: str
    reviewer_email: str | None = Field(
        description="For those who manage the event's reviews (and one's own): the reviewer's address."
    )
    mine: bool
    automatic: bool
    reviewed: bool
    created: dt.datetime


class AssignmentPage(s.Page):
    items: list[AssignmentOut]


class AssignmentFilters(s.PageParams):
    proposal: s.Code | None = None


def _reviews_out(user, reviews) -> list[dict]:
    return [
        {
            "proposal": review.proposal.code,
            "reviewer": review.reviewer.name or "a reviewer",
            "mine": review.reviewer_id == user.pk,
            "score": review.score,
            "weighted_score": review.weighted_score,
            "scores": [
                {"criterion": item.criterion_id, "name": item.criterion.name, "score": item.score}
                for item in review.criterion_scores.all()
            ],
            "comment": review.comment,
            "created": review.created,
            "updated": review.updated,
        }
        for review in reviews
    ]


def _reviewing_event(request, slug: str, *, write: bool = False):
    found = _event(request, slug, write=write)
    perms = permissions_for(request.auth.user, found)
    if not (perms.can_review or perms.can_edit_event):
        raise HttpError(403, "The token's user neither reviews nor manages this event's proposals.")
    return found


# The operation ids these two calls had before they moved here stay, for the clients built on them.
@router.get(
    "/orga/events/{event}/reviews",
    response={200: ReviewPage, **READ_ERRORS},
    auth=TOKEN,
    operation_id="podium_api_organiser_reviews",
)
def reviews(request, event: s.Slug, filters: Query[s.ReviewFilters]):
    """The reviews the token's user may read, newest first, with their per-criterion scores."""
    found, user = _event(request, event), request.auth.user
    queryset = (
        review_rules.readable_reviews(user, found)
        .select_related("proposal", "reviewer")
        .prefetch_related("criterion_scores__criterion")
        .order_by("-updated", "-id")
    )
    if filters.proposal:
        queryset = queryset.filter(proposal__code=filters.proposal.upper())
    return _page(queryset, filters, lambda items: _reviews_out(user, items))


@router.put(
    "/orga/events/{event}/proposals/{code}/review",
    response={200: ReviewOut, **WRITE_ERRORS},
    auth=TOKEN,
    operation_id="podium_api_organiser_save_review",
)
@decorate_view(idempotent)
def save_review(
    request,
    event: s.Slug,
    code: s.Code,
    data: ReviewIn,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Create or update the token user's review of a proposal (a write token of a reviewer): `score`,
    or `scores` (one per criterion) where the event has review criteria."""
    found, user = _event(request, event, write=True), request.auth.user
    proposal = _visible_proposal(found, user, code)
    scores = None
    if data.scores is not None:
        scores = {}
        for item in data.scores:
            if item.criterion in scores:
                raise HttpError(400, "Give each criterion one score.")
            scores[item.criterion] = item.score
    if scores is None and data.score is None:
        raise HttpError(400, "Give a score (or, where the event has criteria, scores).")
    review = review_services.save_review(
        proposal=proposal, reviewer=user, score=data.score, scores=scores, comment=data.comment
    )
    review.proposal, review.reviewer = proposal, user
    return _reviews_out(user, [review])[0]


@router.get(
    "/orga/events/{event}/review-settings", response={200: ReviewSettingsOut, **READ_ERRORS}, auth=TOKEN
)
def review_settings(request, event: s.Slug):
    """The event's review phase, assignment-only mode, reviews per proposal and scoring criteria."""
    found = _reviewing_event(request, event)
    settings = review_rules.settings_for(found)
    return {
        "phase": settings.phase,
        "assignment_only": settings.assignment_only,
        "reviews_per_proposal": settings.reviews_per_proposal,
        "score_scale": found.score_values,
        "criteria": list(found.review_criteria.all()),
    }


@router.get(
    "/orga/events/{event}/review-assignments", response={200: AssignmentPage, **READ_ERRORS}, auth=TOKEN
)
def review_assignments(request, event: s.Slug, filters: Query[AssignmentFilters]):
    """Who was given which proposal to review: every assignment for those who manage the event's
    reviews, a reviewer's own for a reviewer."""
    found, user = _reviewing_event(request, event), request.auth.user
    queryset = Assignment.objects.filter(proposal__event=found).select_related("proposal", "reviewer")
    manages = review_rules.can_manage_reviews(user, found)
    if not manages:
        queryset = queryset.filter(reviewer=user)
    if filters.proposal:
        queryset = queryset.filter(proposal__code=filters.proposal.upper())
    queryset = queryset.order_by("proposal__code", "reviewer_id")
    reviewed = set(Review.objects.filter(proposal__event=found).values_list("reviewer_id", "proposal_id"))
    return _page(
        queryset,
        filters,
        lambda items: [
            {
                "proposal": item.proposal.code,
                "reviewer": item.reviewer.name or "a reviewer",
                "reviewer_email": item.reviewer.email if manages or item.reviewer_id == user.pk else None,
                "mine": item.reviewer_id == user.pk,
                "automatic": item.automatic,
                "reviewed": (item.reviewer_id, item.proposal_id) in reviewed,
                "created": item.created,
            }
            for item in items
        ],
    )


# --- Assignments: by hand and automatic ------------------------------------------------------------

ReviewerEmail = Annotated[str, StringConstraints(min_length=3, max_length=254, pattern=s.NO_NUL)]
PerProposal = Annotated[int, Field(ge=1, le=50), Strict(False), BeforeValidator(s._json_number)]


class AssignmentIn(s.StrictInput):
    proposal: s.Code
    reviewer: ReviewerEmail = Field(
        description="The e-mail address of a member of a team that reviews the event."
    )


class AutomaticIn(s.StrictInput):
    per_proposal: PerProposal = Field(
        description="How many reviewers each submitted proposal gets (1 to 50)."
    )


class LoadOut(Schema):
    reviewer: str
    reviewer_email: str
    assigned: int
    reviewed: int = Field(description="Of the proposals assigned, how many they reviewed.")


class BalanceOut(Schema):
    minimum: int
    maximum: int
    mean: float
    loads: list[LoadOut]


class AutomaticOut(Schema):
    created: int = Field(description="Assignments made by this run.")
    proposals: int = Field(description="Proposals that got a new reviewer.")
    optimal: bool = Field(description="Whether the balance found is proven the best possible.")
    balance: BalanceOut


def _managing_event(request, slug: str, *, write: bool = False):
    found = _event(request, slug, write=write)
    if not review_rules.can_manage_reviews(request.auth.user, found):
        raise HttpError(403, "The token's user does not manage this event's reviews.")
    return found


def _reviewer(event, email: str):
    found = review_rules.reviewers(event).filter(email__iexact=email.strip()).first()
    if found is None:
        raise HttpError(404, "No member of a team that reviews this event has this e-mail address.")
    return found


def _proposal(event, code: str):
    proposal = event.proposals.filter(code=code.upper()).first()
    if proposal is None:
        raise HttpError(404, "This event has no proposal with this code.")
    return proposal


def _balance_out(balance) -> dict:
    return {
        "minimum": balance.minimum,
        "maximum": balance.maximum,
        "mean": balance.mean,
        "loads": [
            {
                "reviewer": load.reviewer.name or load.reviewer.email,
                "reviewer_email": load.reviewer.email,
                "assigned": load.assigned,
                "reviewed": load.reviewed,
            }
            for load in balance.loads
        ],
    }


@router.post(
    "/orga/events/{event}/review-assignments", response={201: AssignmentOut, **WRITE_ERRORS}, auth=TOKEN
)
@decorate_view(idempotent)
def assign(
    request, event: s.Slug, data: AssignmentIn, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """Give a proposal to a reviewer by hand (refused, 400, where the automatic assignment would not
    give it: their own, a conflict of interest, outside their tracks, or given already)."""
    found, user = _managing_event(request, event, write=True), request.auth.user
    proposal, reviewer = _proposal(found, data.proposal), _reviewer(found, data.reviewer)
    given = review_services.add_assignment(proposal=proposal, reviewer=reviewer, by=user)
    return Status(
        201,
        {
            "proposal": proposal.code,
            "reviewer": reviewer.name or "a reviewer",
            "reviewer_email": reviewer.email,
            "mine": reviewer.pk == user.pk,
            "automatic": given.automatic,
            "reviewed": Review.objects.filter(proposal=proposal, reviewer=reviewer).exists(),
            "created": given.created,
        },
    )


@router.post(
    "/orga/events/{event}/review-assignments/remove", response={204: None, **WRITE_ERRORS}, auth=TOKEN
)
@decorate_view(idempotent)
def unassign(
    request, event: s.Slug, data: AssignmentIn, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """Take a proposal back from a reviewer (400 when it was not given to them); a review they wrote stays."""
    found = _managing_event(request, event, write=True)
    proposal, reviewer = _proposal(found, data.proposal), _reviewer(found, data.reviewer)
    review_services.remove_assignment(proposal=proposal, reviewer=reviewer, by=request.auth.user)
    return Status(204, None)


@router.post(
    "/orga/events/{event}/review-assignments/automatic",
    response={200: AutomaticOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def assign_automatically(
    request, event: s.Slug, data: AutomaticIn, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """Give every submitted proposal `per_proposal` reviewers (those who reviewed it or were given it
    count), within tracks, never their own or a conflicted one, with the load balanced; answers the
    balance. When some proposal cannot get them, nothing is assigned (400 naming them)."""
    found = _managing_event(request, event, write=True)
    outcome = review_services.assign_reviewers(
        event=found, by=request.auth.user, per_proposal=data.per_proposal
    )
    return {
        "created": outcome.created,
        "proposals": outcome.proposals,
        "optimal": outcome.optimal,
        "balance": _balance_out(outcome.balance),
    }


@router.get("/orga/events/{event}/review-balance", response={200: BalanceOut, **READ_ERRORS}, auth=TOKEN)
def review_balance(request, event: s.Slug):
    """How many proposals each reviewer of the event was given and reviewed (those who manage reviews)."""
    return _balance_out(review_queries.balance(_managing_event(request, event)))


# --- Conflicts of interest ---------------------------------------------------------------------------


class ConflictIn(s.StrictInput):
    """A conflict with a proposal (`proposal`) or with a person (`email`: every proposal they speak on
    in the event, now or later). `reviewer`: for those who manage reviews, whose conflict it is (default:
    the token's user)."""

    kind: Literal["proposal", "person"]
    proposal: s.Code | None = None
    email: ReviewerEmail | None = None
    reviewer: ReviewerEmail | None = None


class ConflictOut(Schema):
    id: int
    kind: Literal["proposal", "person"]
    proposal: str | None = Field(description="The proposal's code (a conflict with a proposal).")
    email: str | None = Field(description="The person's address (a conflict with a person).")
    reviewer: str
    reviewer_email: str
    mine: bool
    covers: list[str] | None = Field(
        description="The codes of the proposals a conflict with a person covers now; only for those who "
        "manage the event's reviews (a reviewer never learns whether the person submitted anything)."
    )
    created: dt.datetime


class ConflictsOut(Schema):
    proposals: list[ConflictOut]
    people: list[ConflictOut]


def _covers(event, conflicts) -> dict[int, list[str]]:
    links = list(
        ProposalSpeaker.objects.filter(proposal__event=event)
        .exclude(proposal__state="withdrawn")
        .values_list("proposal__code", "user_id", "user__email")
    )
    return {
        conflict.pk: sorted(
            {
                code
                for code, user_id, address in links
                if user_id == conflict.speaker_id or (conflict.email and address.lower() == conflict.email)
            }
        )
        for conflict in conflicts
    }


def _conflict_out(user, conflict, *, covers=None) -> dict:
    person = isinstance(conflict, SpeakerConflict)
    return {
        "id": conflict.pk,
        "kind": "person" if person else "proposal",
        "proposal": None if person else conflict.proposal.code,
        "email": conflict.email if person else None,
        "reviewer": conflict.reviewer.name or conflict.reviewer.email,
        "reviewer_email": conflict.reviewer.email,
        "mine": conflict.reviewer_id == user.pk,
        "covers": covers,
        "created": conflict.created,
    }


@router.get("/orga/events/{event}/review-conflicts", response={200: ConflictsOut, **READ_ERRORS}, auth=TOKEN)
def review_conflicts(request, event: s.Slug):
    """Conflicts of interest: every one for those who manage the event's reviews, a reviewer's own for a
    reviewer."""
    found, user = _reviewing_event(request, event), request.auth.user
    manages = review_rules.can_manage_reviews(user, found)
    with_proposals = Conflict.objects.filter(proposal__event=found).select_related("proposal", "reviewer")
    people = SpeakerConflict.objects.filter(event=found).select_related("reviewer")
    if not manages:
        with_proposals, people = with_proposals.filter(reviewer=user), people.filter(reviewer=user)
    people = list(people.order_by("email", "pk"))
    covers = _covers(found, people) if manages else {}
    return {
        "proposals": [
            _conflict_out(user, item) for item in with_proposals.order_by("proposal__code", "reviewer_id")
        ],
        "people": [_conflict_out(user, item, covers=covers.get(item.pk)) for item in people],
    }


@router.post(
    "/orga/events/{event}/review-conflicts",
    response={200: ConflictOut, 201: ConflictOut, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def declare_conflict(
    request, event: s.Slug, data: ConflictIn, idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY
):
    """Declare a conflict of interest (201; 200 when it was declared already). A reviewer declares
    their own: with a proposal they may see, or with a person by address; the answer is the same
    whether or not the person has an account or a proposal. Those who manage the event's reviews
    declare one for any reviewer (`reviewer`)."""
    found, user = _reviewing_event(request, event, write=True), request.auth.user
    manages = review_rules.can_manage_reviews(user, found)
    reviewer = user
    if data.reviewer is not None and data.reviewer.strip().lower() != user.email.lower():
        if not manages:
            raise HttpError(403, "Only those who manage the event's reviews declare conflicts for others.")
        reviewer = _reviewer(found, data.reviewer)
    if data.kind == "person":
        if data.email is None or data.proposal is not None:
            raise HttpError(400, "A conflict with a person takes the person's `email`, and no `proposal`.")
        conflict = review_services.declare_speaker_conflict(
            event=found, reviewer=reviewer, by=user, email=data.email
        )
        conflict.reviewer = reviewer
        covers = _covers(found, [conflict])[conflict.pk] if manages else None
        return Status(201 if conflict.created_now else 200, _conflict_out(user, conflict, covers=covers))
    if data.proposal is None or data.email is not None:
        raise HttpError(400, "A conflict with a proposal takes its `proposal` code, and no `email`.")
    candidates = found.proposals.all() if manages else review_rules.conflict_candidates(user, found)
    proposal = candidates.filter(code=data.proposal.upper()).first()
    if proposal is None:
        raise HttpError(404, "No proposal you may see has this code.")
    existed = Conflict.objects.filter(proposal=proposal, reviewer=reviewer).exists()
    conflict = review_services.declare_conflict(proposal=proposal, reviewer=reviewer, by=user)
    conflict.proposal, conflict.reviewer = proposal, reviewer
    return Status(200 if existed else 201, _conflict_out(user, conflict))


@router.delete(
    "/orga/events/{event}/review-conflicts/{kind}/{conflict}",
    response={204: None, **WRITE_ERRORS},
    auth=TOKEN,
)
@decorate_view(idempotent)
def withdraw_conflict(
    request,
    event: s.Slug,
    kind: Literal["proposal", "person"],
    conflict: s.DbInt,
    idempotency_key: s.IdempotencyKey | None = IDEMPOTENCY,
):
    """Withdraw a conflict of interest by its kind and id: one's own, or any for those who manage the
    event's reviews (404 for any other)."""
    found, user = _reviewing_event(request, event, write=True), request.auth.user
    model = SpeakerConflict if kind == "person" else Conflict
    rows = (
        SpeakerConflict.objects.filter(event=found)
        if kind == "person"
        else Conflict.objects.filter(proposal__event=found)
    )
    if not review_rules.can_manage_reviews(user, found):
        rows = rows.filter(reviewer=user)
    found_conflict = rows.select_related("reviewer").filter(pk=conflict).first()
    if found_conflict is None:
        raise HttpError(404, f"No {model._meta.verbose_name} you may withdraw has this id.")
    if kind == "person":
        found_conflict.event = found
        review_services.withdraw_speaker_conflict(conflict=found_conflict, by=user)
    else:
        review_services.withdraw_conflict(
            proposal=found_conflict.proposal, reviewer=found_conflict.reviewer, by=user
        )
    return Status(204, None)
