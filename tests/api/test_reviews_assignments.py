"""Reviewer assignments through the API: by hand, taken back, the automatic run with its balance."""

import pytest

from podium.reviews.models import Assignment, Review
from tests import factories
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


def _url(event, path=""):
    return f"/api/v1/orga/events/{event.slug}{path}"


def _post(client, url, body, headers, **extra):
    return client.post(url, body, "application/json", **headers, **extra)


def test_organisers_assign_and_take_back_one_proposal(client, event, organiser_user, reviewer, proposal):
    headers = bearer(make_token(organiser_user, event, scope="write"))
    body = {"proposal": proposal.code.lower(), "reviewer": reviewer.email.upper()}

    given = _post(client, _url(event, "/review-assignments"), body, headers)
    twice = _post(client, _url(event, "/review-assignments"), body, headers)
    listed = client.get(_url(event, "/review-assignments"), **headers).json()
    taken = _post(client, _url(event, "/review-assignments/remove"), body, headers)
    again = _post(client, _url(event, "/review-assignments/remove"), body, headers)

    assert given.status_code == 201, given.content
    assert given.json()["reviewer_email"] == reviewer.email
    assert (given.json()["proposal"], given.json()["automatic"]) == (proposal.code, False)
    assert twice.status_code == 400
    assert "already" in twice.json()["detail"]
    assert [item["reviewer_email"] for item in listed["items"]] == [reviewer.email]
    assert taken.status_code == 204
    assert again.status_code == 400
    assert not Assignment.objects.exists()


def test_assigning_refuses_unknown_people_and_proposals_and_own_proposals(
    client, event, organiser_user, reviewer
):
    headers = bearer(make_token(organiser_user, event, scope="write"))
    own = factories.ProposalFactory(event=event, speakers=[reviewer])

    outsider = _post(
        client,
        _url(event, "/review-assignments"),
        {"proposal": own.code, "reviewer": "x@example.org"},
        headers,
    )
    unknown = _post(
        client, _url(event, "/review-assignments"), {"proposal": "NOPE", "reviewer": reviewer.email}, headers
    )
    refused = _post(
        client,
        _url(event, "/review-assignments"),
        {"proposal": own.code, "reviewer": reviewer.email},
        headers,
    )

    assert (outsider.status_code, unknown.status_code, refused.status_code) == (404, 404, 400)
    assert "may not review" in refused.json()["detail"]


def test_only_those_who_manage_reviews_assign(client, event, reviewer, proposal):
    body = {"proposal": proposal.code, "reviewer": reviewer.email}

    as_reviewer = _post(
        client, _url(event, "/review-assignments"), body, bearer(make_token(reviewer, event, scope="write"))
    )
    balance = client.get(_url(event, "/review-balance"), **bearer(make_token(reviewer, event)))
    run = _post(
        client,
        _url(event, "/review-assignments/automatic"),
        {"per_proposal": 1},
        bearer(make_token(reviewer, event, scope="write")),
    )

    assert (as_reviewer.status_code, balance.status_code, run.status_code) == (403, 403, 403)
    assert not Assignment.objects.exists()


def test_the_automatic_run_gives_n_reviewers_and_reports_the_balance(client, event, organiser_user, reviewer):
    second = factories.team_member(event, name="More reviewers", can_review=True)
    proposals = [factories.ProposalFactory(event=event) for _ in range(3)]
    headers = bearer(make_token(organiser_user, event, scope="write"))

    run = _post(client, _url(event, "/review-assignments/automatic"), {"per_proposal": 2}, headers)
    balance = client.get(_url(event, "/review-balance"), **headers).json()

    assert run.status_code == 200, run.content
    body = run.json()
    assert (body["created"], body["proposals"]) == (6, 3)
    assert body["balance"] == balance
    assert (balance["minimum"], balance["maximum"], balance["mean"]) == (2, 2, 2.0)
    assert {load["reviewer_email"] for load in balance["loads"]} == {
        organiser_user.email,
        reviewer.email,
        second.email,
    }
    for proposal in proposals:
        assert proposal.review_assignments.count() == 2


def test_the_automatic_run_refuses_what_cannot_be_met_and_bad_numbers(
    client, event, organiser_user, reviewer
):
    factories.ProposalFactory(event=event)
    headers = bearer(make_token(organiser_user, event, scope="write"))

    too_many = _post(client, _url(event, "/review-assignments/automatic"), {"per_proposal": 5}, headers)
    zero = _post(client, _url(event, "/review-assignments/automatic"), {"per_proposal": 0}, headers)
    text = _post(client, _url(event, "/review-assignments/automatic"), {"per_proposal": "2"}, headers)
    whole = _post(client, _url(event, "/review-assignments/automatic"), {"per_proposal": 1.0}, headers)

    assert too_many.status_code == 400
    assert "Nothing was assigned" in too_many.json()["detail"]
    assert (zero.status_code, text.status_code) == (422, 422)
    assert whole.status_code == 200
    assert Review.objects.count() == 0


def test_the_automatic_run_is_idempotent(client, event, organiser_user, reviewer):
    factories.ProposalFactory(event=event)
    headers = bearer(make_token(organiser_user, event, scope="write"))
    url = _url(event, "/review-assignments/automatic")

    first = _post(client, url, {"per_proposal": 1}, headers, HTTP_IDEMPOTENCY_KEY="run-1")
    again = _post(client, url, {"per_proposal": 1}, headers, HTTP_IDEMPOTENCY_KEY="run-1")

    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Assignment.objects.count() == 1
