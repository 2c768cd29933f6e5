"""Review statistics for the organisers' overview, the assignment's balance and conflict suggestions."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from podium.proposals.models import Proposal, ProposalSpeaker
from podium.reviews import rules
from podium.reviews.models import Assignment, CriterionScore, Review

# Mail providers anyone may use: sharing one says nothing about working together.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "posteo.de",
        "posteo.net",
        "mailbox.org",
        "protonmail.com",
        "proton.me",
        "fastmail.com",
        "t-online.de",
        "free.fr",
        "orange.fr",
        "laposte.net",
        "yandex.ru",
        "mail.ru",
        "qq.com",
        "163.com",
        "example.com",
    }
)


@dataclass
class ScoreSummary:
    """A proposal's reviews: `mean` is the mean of their (weighted) scores, the value the overview
    ranks by; `scores` the rounded scores on the event's scale."""

    count: int
    mean: float | None
    median: float | None
    spread: float | None  # population standard deviation
    scores: list[int]
    criteria: dict[int, float] = field(default_factory=dict)  # criterion id -> mean score


def summaries(proposal_ids) -> dict[int, ScoreSummary]:
    """{proposal_id: ScoreSummary} for the given proposals, in two queries."""
    ids = list(proposal_ids)
    exact: dict[int, list[float]] = {pid: [] for pid in ids}
    rounded: dict[int, list[int]] = {pid: [] for pid in ids}
    for pid, score, weighted in Review.objects.filter(proposal_id__in=ids).values_list(
        "proposal_id", "score", "weighted_score"
    ):
        exact[pid].append(float(score) if weighted is None else weighted)
        rounded[pid].append(score)
    per_criterion: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for pid, criterion_id, score in CriterionScore.objects.filter(review__proposal_id__in=ids).values_list(
        "review__proposal_id", "criterion_id", "score"
    ):
        per_criterion[pid][criterion_id].append(score)
    result = {}
    for pid in ids:
        summary = summarise(exact[pid], rounded[pid])
        summary.criteria = {
            criterion: round(statistics.fmean(values), 2) for criterion, values in per_criterion[pid].items()
        }
        result[pid] = summary
    return result


def summarise(values: list[float], rounded: list[int] | None = None) -> ScoreSummary:
    if not values:
        return ScoreSummary(0, None, None, None, [])
    return ScoreSummary(
        count=len(values),
        mean=round(statistics.fmean(values), 2),
        median=round(float(statistics.median(values)), 2),
        spread=round(statistics.pstdev(values), 2),
        scores=sorted(rounded if rounded is not None else [round(value) for value in values]),
    )


def distribution(event, values: list[int]) -> list[tuple[int, str, int]]:
    """[(score, label, how many)] over the event's scale, for the distribution chart."""
    counts = dict.fromkeys(event.score_values, 0)
    for value in values:
        if value in counts:
            counts[value] += 1
    labels = event.score_label_map
    return [(v, labels[v], counts[v]) for v in event.score_values]


# --- Assignment ----------------------------------------------------------------------------------


@dataclass
class Load:
    reviewer: object
    assigned: int
    reviewed: int  # of the assigned proposals, how many they reviewed


@dataclass
class Balance:
    """How many proposals each reviewer of the event was given."""

    loads: list[Load]
    minimum: int
    maximum: int
    mean: float


def balance(event) -> Balance:
    """The assignment's load per reviewer (every reviewer of the event, those given nothing too)."""
    reviewers = list(rules.reviewers(event))
    assigned = dict(
        Assignment.objects.filter(proposal__event=event)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )
    done = defaultdict(int)
    reviewed = set(Review.objects.filter(proposal__event=event).values_list("reviewer_id", "proposal_id"))
    for reviewer_id, proposal_id in Assignment.objects.filter(proposal__event=event).values_list(
        "reviewer_id", "proposal_id"
    ):
        if (reviewer_id, proposal_id) in reviewed:
            done[reviewer_id] += 1
    loads = [Load(reviewer, assigned.get(reviewer.pk, 0), done[reviewer.pk]) for reviewer in reviewers]
    counts = [load.assigned for load in loads] or [0]
    return Balance(
        loads=loads,
        minimum=min(counts),
        maximum=max(counts),
        mean=round(statistics.fmean(counts), 2),
    )


def assigned_reviewers(proposal_ids) -> dict[int, list]:
    """{proposal id: [Assignment with its reviewer]} in one query."""
    result: dict[int, list] = {pid: [] for pid in proposal_ids}
    for given in Assignment.objects.filter(proposal_id__in=list(proposal_ids)).select_related("reviewer"):
        result[given.proposal_id].append(given)
    return result


# --- Conflicts of interest -----------------------------------------------------------------------

CO_AUTHOR = "co-author"
SAME_ORGANISATION = "same organisation"


@dataclass
class Suggestion:
    proposal: Proposal
    reviewer: object
    reasons: list[str]


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].lower() if "@" in address else ""


def suggested_conflicts(event, reviewers) -> list[Suggestion]:
    """Conflicts of interest the reviewers may have and did not declare, for them to confirm:
    a speaker of the proposal shared a proposal with the reviewer (of any event of the organiser:
    co-authors), or has an address at the reviewer's mail domain (a public mail provider aside:
    same organisation). Own proposals and those a declared conflict covers (with the proposal or with
    one of its speakers) are left out."""
    reviewers = list(reviewers)
    if not reviewers:
        return []
    links = list(
        ProposalSpeaker.objects.filter(proposal__event=event)
        .exclude(proposal__state="withdrawn")
        .select_related("user", "proposal")
    )
    speakers_of: dict[int, set[int]] = defaultdict(set)
    addresses: dict[int, str] = {}
    proposals: dict[int, Proposal] = {}
    for link in links:
        speakers_of[link.proposal_id].add(link.user_id)
        addresses[link.user_id] = link.user.email
        proposals[link.proposal_id] = link.proposal
    # Everyone each reviewer shared a proposal with, in any event of the organiser.
    mine = ProposalSpeaker.objects.filter(
        user__in=reviewers, proposal__event__organiser_id=event.organiser_id
    ).values_list("user_id", "proposal_id")
    by_proposal: dict[int, set[int]] = defaultdict(set)
    for user_id, proposal_id in ProposalSpeaker.objects.filter(
        proposal_id__in=[pid for _, pid in mine]
    ).values_list("user_id", "proposal_id"):
        by_proposal[proposal_id].add(user_id)
    partners: dict[int, set[int]] = defaultdict(set)
    for user_id, proposal_id in mine:
        partners[user_id] |= by_proposal[proposal_id] - {user_id}
    # Declared already, with the proposal or with one of its speakers.
    declared = rules.conflict_pairs(event, [reviewer.pk for reviewer in reviewers], list(proposals))
    suggestions = []
    for reviewer in reviewers:
        domain = _domain(reviewer.email)
        for pid in sorted(proposals, key=lambda pk: proposals[pk].code):
            speakers = speakers_of[pid]
            if reviewer.pk in speakers or (reviewer.pk, pid) in declared:
                continue
            reasons = []
            if speakers & partners[reviewer.pk]:
                reasons.append(CO_AUTHOR)
            if (
                domain
                and domain not in PUBLIC_MAIL_DOMAINS
                and any(_domain(addresses[user]) == domain for user in speakers)
            ):
                reasons.append(SAME_ORGANISATION)
            if reasons:
                suggestions.append(Suggestion(proposal=proposals[pid], reviewer=reviewer, reasons=reasons))
    return suggestions
