"""Reviewing through API tokens: reviews (with their per-criterion scores), the event's review
settings and criteria, and review assignments.

Limited exactly as the review pages are: a reviewer reads their own reviews and the others' only once
they reviewed the proposal (or in the decisions phase), sees assignments of their own, and writes
reviews through the same service (phase, conflicts of interest, tracks, own proposals).
"""

import datetime as dt
from typing import Annotated, Literal

from ninja import Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError
from pydantic import BeforeValidator, Field, Strict, StringConstraints

from podium.api import schemas as s
from podium.api.auth import TOKEN
from podium.api.idempotency import idempotent
from podium.api.organiser import IDEMPOTENCY, READ_ERRORS, WRITE_ERRORS, _event, _page, _visible_proposal
from podium.events.rules import permissions_for
from podium.reviews import rules as review_rules
from podium.reviews import services as review_services
from podium.reviews.models import Assignment, Review, ReviewPhase

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
    if not review_rules.can_manage_reviews(user, found):
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
                "mine": item.reviewer_id == user.pk,
                "automatic": item.automatic,
                "reviewed": (item.reviewer_id, item.proposal_id) in reviewed,
                "created": item.created,
            }
            for item in items
        ],
    )
