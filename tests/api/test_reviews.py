"""Reviews through the API: per-criterion scores, the review settings and criteria, assignments."""

import pytest

from podium.reviews import services
from podium.reviews.models import Review, ReviewPhase
from tests import factories
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


def _url(event, rest: str) -> str:
    return f"/api/v1/orga/events/{event.slug}{rest}"


@pytest.fixture
def criteria(event, organiser_user):
    return (
        services.save_criterion(
            event=event, by=organiser_user, name="Relevance", description="Fit.", weight=3, max_score=4
        ),
        services.save_criterion(event=event, by=organiser_user, name="Clarity", weight=1, max_score=2),
    )


def test_a_review_with_criteria_is_written_and_read_with_its_scores(
    client, event, reviewer, proposal, criteria
):
    relevance, clarity = criteria
    headers = bearer(make_token(reviewer, event, scope="write"))

    saved = client.put(
        _url(event, f"/proposals/{proposal.code}/review"),
        {
            "scores": [{"criterion": relevance.pk, "score": 4}, {"criterion": clarity.pk, "score": 1}],
            "comment": "Ok",
        },
        "application/json",
        **headers,
    )
    listed = client.get(_url(event, "/reviews"), **headers).json()

    assert saved.status_code == 200
    body = saved.json()
    assert (body["score"], body["weighted_score"]) == (3, 2.63)
    assert body["scores"] == [
        {"criterion": relevance.pk, "name": "Relevance", "score": 4},
        {"criterion": clarity.pk, "name": "Clarity", "score": 1},
    ]
    assert listed["items"][0]["scores"] == body["scores"]


def test_a_review_with_criteria_refuses_a_single_score_or_a_repeated_criterion(
    client, event, reviewer, proposal, criteria
):
    relevance, _ = criteria
    headers = bearer(make_token(reviewer, event, scope="write"))
    url = _url(event, f"/proposals/{proposal.code}/review")

    single = client.put(url, {"score": 2}, "application/json", **headers)
    repeated = client.put(
        url,
        {"scores": [{"criterion": relevance.pk, "score": 1}, {"criterion": relevance.pk, "score": 2}]},
        "application/json",
        **headers,
    )
    typed = client.put(
        url, {"scores": [{"criterion": relevance.pk, "score": "2"}]}, "application/json", **headers
    )
    empty = client.put(url, {}, "application/json", **headers)

    assert single.status_code == 400
    assert single.json()["field"] == "scores"
    assert repeated.status_code == 400
    assert typed.status_code == 422
    assert empty.status_code == 400
    assert not Review.objects.exists()


def test_an_event_without_criteria_keeps_its_single_score(client, event, reviewer, proposal):
    headers = bearer(make_token(reviewer, event, scope="write"))

    saved = client.put(
        _url(event, f"/proposals/{proposal.code}/review"), {"score": 2}, "application/json", **headers
    )

    assert saved.json()["score"] == 2
    assert saved.json()["weighted_score"] is None
    assert saved.json()["scores"] == []


def test_closed_reviews_are_refused_through_the_api(client, event, reviewer, proposal, organiser_user):
    services.update_review_settings(
        event=event,
        by=organiser_user,
        phase=ReviewPhase.CLOSED,
        assignment_only=False,
        reviews_per_proposal=3,
    )
    headers = bearer(make_token(reviewer, event, scope="write"))

    response = client.put(
        _url(event, f"/proposals/{proposal.code}/review"), {"score": 2}, "application/json", **headers
    )

    assert response.status_code == 403
    assert "Reviews are closed" in response.json()["detail"]


def test_review_settings_give_the_phase_and_criteria(client, event, reviewer, criteria):
    response = client.get(_url(event, "/review-settings"), **bearer(make_token(reviewer, event)))

    assert response.json() == {
        "phase": "open",
        "assignment_only": False,
        "reviews_per_proposal": 3,
        "score_scale": [0, 1, 2, 3],
        "criteria": [
            {
                "id": criteria[0].pk,
                "name": "Relevance",
                "description": "Fit.",
                "weight": 3,
                "min_score": 0,
                "max_score": 4,
            },
            {
                "id": criteria[1].pk,
                "name": "Clarity",
                "description": "",
                "weight": 1,
                "min_score": 0,
                "max_score": 2,
            },
        ],
    }


def test_review_settings_are_for_reviewers_and_organisers(client, event):
    door = factories.team_member(event, can_check_in=True)

    response = client.get(_url(event, "/review-settings"), **bearer(make_token(door, event)))

    assert response.status_code == 403


def test_assignments_organisers_read_all_reviewers_their_own(client, event, organiser_user, reviewer):
    other = factories.team_member(event, name="More reviewers", can_review=True)
    first, second = factories.ProposalFactory(event=event), factories.ProposalFactory(event=event)
    services.add_assignment(proposal=first, reviewer=reviewer, by=organiser_user)
    services.add_assignment(proposal=second, reviewer=other, by=organiser_user)
    services.save_review(proposal=first, reviewer=reviewer, score=1)

    everyone = client.get(
        _url(event, "/review-assignments"), **bearer(make_token(organiser_user, event))
    ).json()
    own = client.get(_url(event, "/review-assignments"), **bearer(make_token(reviewer, event))).json()
    filtered = client.get(
        _url(event, f"/review-assignments?proposal={second.code}"),
        **bearer(make_token(organiser_user, event)),
    ).json()

    assert everyone["count"] == 2
    assert [(i["proposal"], i["mine"], i["reviewed"], i["automatic"]) for i in own["items"]] == [
        (first.code, True, True, False)
    ]
    assert [i["reviewer"] for i in filtered["items"]] == [other.name]
