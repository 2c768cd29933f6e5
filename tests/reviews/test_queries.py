"""Score statistics of the reviews: summaries per proposal and the distribution over the event's scale."""

import pytest

from podium.reviews import queries
from tests import factories

pytestmark = pytest.mark.django_db


def test_summaries_count_mean_median_spread(event):
    proposal, unreviewed = factories.ProposalFactory(event=event), factories.ProposalFactory(event=event)
    for score in (0, 2, 3, 3):
        factories.ReviewFactory(proposal=proposal, score=score)

    result = queries.summaries([proposal.pk, unreviewed.pk])

    assert result[proposal.pk] == queries.ScoreSummary(
        count=4, mean=2.0, median=2.5, spread=1.22, scores=[0, 2, 3, 3]
    )
    assert result[unreviewed.pk] == queries.ScoreSummary(0, None, None, None, [])


def test_distribution_counts_every_value_of_the_scale(event):
    assert queries.distribution(event, [0, 3, 3, 7]) == [
        (0, "No", 1),
        (1, "Rather not", 0),
        (2, "Rather yes", 0),
        (3, "Yes, must have", 2),
    ]
