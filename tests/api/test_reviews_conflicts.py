"""Conflicts of interest through the API, with a proposal and with a person; a reviewer's answer
never tells whether the person submitted anything (anonymised review)."""

import pytest

from podium.reviews import rules
from podium.reviews.models import Conflict, SpeakerConflict
from tests import factories
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


def _url(event, path="/review-conflicts"):
    return f"/api/v1/orga/events/{event.slug}{path}"


def _post(client, event, body, headers, **extra):
    return client.post(_url(event), body, "application/json", **headers, **extra)


def test_a_reviewer_declares_lists_and_withdraws_both_kinds(client, event, reviewer, proposal, speaker):
    headers = bearer(make_token(reviewer, event, scope="write"))
    other = factories.ProposalFactory(event=event)

    by_proposal = _post(client, event, {"kind": "proposal", "proposal": other.code}, headers)
    by_person = _post(client, event, {"kind": "person", "email": speaker.email.upper()}, headers)
    repeated = _post(client, event, {"kind": "person", "email": speaker.email}, headers)
    listed = client.get(_url(event), **headers).json()

    assert (by_proposal.status_code, by_person.status_code, repeated.status_code) == (201, 201, 200)
    assert by_proposal.json()["proposal"] == other.code
    assert by_person.json()["email"] == speaker.email.lower()
    assert by_person.json()["covers"] is None  # a reviewer never learns what it covers
    assert [item["proposal"] for item in listed["proposals"]] == [other.code]
    assert [item["email"] for item in listed["people"]] == [speaker.email.lower()]
    assert not rules.reviewable_proposals(reviewer, event).filter(pk__in=[proposal.pk, other.pk]).exists()

    gone = client.delete(_url(event, f"/review-conflicts/person/{by_person.json()['id']}"), **headers)
    gone_too = client.delete(_url(event, f"/review-conflicts/proposal/{by_proposal.json()['id']}"), **headers)
    missing = client.delete(_url(event, f"/review-conflicts/person/{by_person.json()['id']}"), **headers)

    assert (gone.status_code, gone_too.status_code, missing.status_code) == (204, 204, 404)
    assert not Conflict.objects.exists()
    assert not SpeakerConflict.objects.exists()


def test_under_anonymised_review_the_answer_does_not_tell_who_submitted(
    client, event, reviewer, proposal, speaker
):
    event.anonymise_review = True
    event.save(update_fields=["anonymise_review"])
    headers = bearer(make_token(reviewer, event, scope="write"))

    answers = [
        _post(client, event, {"kind": "person", "email": address}, headers)
        for address in (speaker.email, "nobody@example.org")
    ]

    shapes = [
        {key: value for key, value in answer.json().items() if key not in ("id", "email", "created")}
        for answer in answers
    ]
    assert [answer.status_code for answer in answers] == [201, 201]
    assert shapes[0] == shapes[1]
    assert speaker.name not in answers[0].content.decode()
    assert proposal.code not in answers[0].content.decode()


def test_organisers_declare_for_a_reviewer_and_see_what_it_covers(
    client, event, organiser_user, reviewer, proposal, speaker
):
    headers = bearer(make_token(organiser_user, event, scope="write"))

    made = _post(
        client, event, {"kind": "person", "email": speaker.email, "reviewer": reviewer.email}, headers
    )
    listed = client.get(_url(event), **headers).json()

    assert made.status_code == 201, made.content
    assert (made.json()["reviewer_email"], made.json()["covers"]) == (reviewer.email, [proposal.code])
    assert listed["people"][0]["covers"] == [proposal.code]
    assert SpeakerConflict.objects.get().reviewer == reviewer


def test_reviewers_declare_only_their_own_and_only_what_they_see(client, event, reviewer, proposal, speaker):
    colleague = factories.team_member(event, name="Other reviewers", can_review=True)
    headers = bearer(make_token(reviewer, event, scope="write"))
    theirs = SpeakerConflict.objects.create(event=event, reviewer=colleague, email="z@example.org")

    for_someone = _post(
        client, event, {"kind": "person", "email": speaker.email, "reviewer": colleague.email}, headers
    )
    unknown = _post(client, event, {"kind": "proposal", "proposal": "NOPE"}, headers)
    not_theirs = client.delete(_url(event, f"/review-conflicts/person/{theirs.pk}"), **headers)
    listed = client.get(_url(event), **headers).json()

    assert (for_someone.status_code, unknown.status_code, not_theirs.status_code) == (403, 404, 404)
    assert listed == {"proposals": [], "people": []}


def test_bad_bodies_are_refused(client, event, reviewer, proposal):
    headers = bearer(make_token(reviewer, event, scope="write"))

    mixed = _post(
        client, event, {"kind": "person", "email": "a@example.org", "proposal": proposal.code}, headers
    )
    no_email = _post(client, event, {"kind": "person"}, headers)
    bad_email = _post(client, event, {"kind": "person", "email": "nope"}, headers)
    own = _post(client, event, {"kind": "person", "email": reviewer.email}, headers)
    no_code = _post(client, event, {"kind": "proposal"}, headers)
    bad_kind = _post(client, event, {"kind": "speaker", "email": "a@example.org"}, headers)
    read_only = _post(
        client, event, {"kind": "person", "email": "a@example.org"}, bearer(make_token(reviewer, event))
    )

    assert [r.status_code for r in (mixed, no_email, bad_email, own, no_code, bad_kind, read_only)] == [
        400,
        400,
        400,
        400,
        400,
        422,
        403,
    ]
    assert bad_email.json()["field"] == "email"
    assert not SpeakerConflict.objects.exists()
