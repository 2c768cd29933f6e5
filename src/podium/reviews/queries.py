"""Review statistics for the organisers' overview."""

import statistics
from dataclasses import dataclass

from podium.reviews.models import Review


@dataclass
class ScoreSummary:
    count: int
    mean: float | None
    median: float | None
    spread: float | None  # population standard deviation
    scores: list[int]


def summaries(proposal_ids) -> dict[int, ScoreSummary]:
    """{proposal_id: ScoreSummary} for the given proposals, in one query."""
    scores: dict[int, list[int]] = {pid: [] for pid in proposal_ids}
    for pid, score in Review.objects.filter(proposal_id__in=list(proposal_ids)).values_list(
        "proposal_id", "score"
    ):
        scores[pid].append(score)
    return {pid: summarise(values) for pid, values in scores.items()}


def summarise(values: list[int]) -> ScoreSummary:
    if not values:
        return ScoreSummary(0, None, None, None, [])
    return ScoreSummary(
        count=len(values),
        mean=round(statistics.fmean(values), 2),
        median=float(statistics.median(values)),
        spread=round(statistics.pstdev(values), 2),
        scores=sorted(values),
    )


def distribution(event, values: list[int]) -> list[tuple[int, str, int]]:
    """[(score, label, how many)] over the event's scale, for the distribution chart."""
    counts = dict.fromkeys(event.score_values, 0)
    for value in values:
        if value in counts:
            counts[value] += 1
    labels = event.score_label_map
    return [(v, labels[v], counts[v]) for v in event.score_values]
