import pytest
from django.urls import reverse

from podium.base.models import AuditEntry
from podium.mail.models import MailStatus
from podium.reviews.models import Review
from podium.schedule.models import Release, Slot
from tests import factories, program
from tests.api.conftest import bearer, make_token
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

ORGA = "/api/v1/orga/events/{}"


def _url(event, path=""):
    return ORGA.format(event.slug) + path


def test_proposals_list_and_filters(client, event, organiser_user, proposal):
    accepted = factories.ProposalFactory(event=event, state="accepted", track=event.tracks.get(name="Web"))
    headers = bearer(make_token(organiser_user, event))

    everything = client.get(_url(event, "/proposals"), **headers).json()
    by_state = client.get(_url(event, "/proposals"), {"state": "accepted"}, **headers).json()
    by_track = client.get(_url(event, "/proposals"), {"track": accepted.track_id}, **headers).json()

    assert everything["count"] == 2
    assert [p["code"] for p in by_state["items"]] == [accepted.code]
    assert [p["code"] for p in by_track["items"]] == [accepted.code]


def test_proposal_detail_shows_speakers_to_organisers(client, event, organiser_user, proposal, speaker):
    body = client.get(
        _url(event, f"/proposals/{proposal.code}"), **bearer(make_token(organiser_user, event))
    ).json()

    assert body["speakers"][0]["email"] == speaker.email
    assert body["notes"] == ""


def test_reviewer_token_on_an_anonymised_event_never_sees_speaker_identity(client, event, reviewer, speaker):
    event.anonymise_review = True
    event.save()
    hidden = factories.ProposalFactory(event=event, speakers=[speaker], title="Anonymous talk")
    headers = bearer(make_token(reviewer, event))

    listed = client.get(_url(event, "/proposals"), **headers)
    detail = client.get(_url(event, f"/proposals/{hidden.code}"), **headers)

    for response in (listed, detail):
        text = response.content.decode()
        assert "Anonymous talk" in text
        assert speaker.name not in text
        assert speaker.email not in text
        assert "Bio of" not in text
    assert detail.json()["speakers"] is None


def test_proposals_respect_the_users_track_limits(client, event, proposal):
    web = event.tracks.get(name="Web")
    limited = factories.team_member(event, can_review=True, tracks=[web])
    other = factories.ProposalFactory(event=event, track=web)

    body = client.get(_url(event, "/proposals"), **bearer(make_token(limited, event))).json()

    assert [p["code"] for p in body["items"]] == [other.code]
    assert (
        client.get(
            _url(event, f"/proposals/{proposal.code}"), **bearer(make_token(limited, event))
        ).status_code
        == 404
    )


def test_proposals_query_count_is_constant(client, event, organiser_user):
    url = _url(event, "/proposals")
    client.defaults.update(bearer(make_token(organiser_user, event)))
    client.get(url)  # the token's first use writes its last-used time once

    def grow(count):
        for _ in range(count):
            factories.ProposalFactory(
                event=event, speakers=[factories.UserFactory(), factories.UserFactory()]
            )

    assert_constant_queries(client, url, grow)


def test_save_review_with_a_write_token(client, event, reviewer, proposal):
    headers = bearer(make_token(reviewer, event, scope="write"))

    created = client.put(
        _url(event, f"/proposals/{proposal.code}/review"),
        {"score": 3, "comment": "Great"},
        "application/json",
        **headers,
    )
    updated = client.put(
        _url(event, f"/proposals/{proposal.code}/review"), {"score": 1}, "application/json", **headers
    )
    listed = client.get(_url(event, "/reviews"), **headers).json()

    assert created.status_code == 200
    assert updated.json()["score"] == 1
    assert Review.objects.get().score == 1
    assert [(r["proposal"], r["mine"]) for r in listed["items"]] == [(proposal.code, True)]
    assert AuditEntry.objects.filter(action="review.updated", actor=reviewer).exists()


def test_save_review_with_a_read_token_is_forbidden(client, event, reviewer, proposal):
    headers = bearer(make_token(reviewer, event))

    response = client.put(
        _url(event, f"/proposals/{proposal.code}/review"), {"score": 3}, "application/json", **headers
    )

    assert response.status_code == 403
    assert not Review.objects.exists()


def test_save_review_reports_the_services_refusal(client, event, reviewer, proposal):
    headers = bearer(make_token(reviewer, event, scope="write"))

    off_scale = client.put(
        _url(event, f"/proposals/{proposal.code}/review"), {"score": 99}, "application/json", **headers
    )
    invalid = client.put(
        _url(event, f"/proposals/{proposal.code}/review"), {"score": "high"}, "application/json", **headers
    )

    assert off_scale.status_code == 400
    assert off_scale.json() == {"detail": "Choose a score between 0 and 3.", "field": "score"}
    assert invalid.status_code == 422
    assert not Review.objects.exists()


def test_save_review_takes_a_whole_number_as_json_has_it(client, event, reviewer, proposal):
    headers = bearer(make_token(reviewer, event, scope="write"))

    response = client.put(
        _url(event, f"/proposals/{proposal.code}/review"), {"score": 2.0}, "application/json", **headers
    )

    assert response.status_code == 200
    assert Review.objects.get().score == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": False, "comment": ""}, "score"),
        ({"score": True}, "score"),
        ({"score": 2.5}, "score"),
        ({"score": "2"}, "score"),
        ({"score": 2, "comment": 5}, "comment"),
        ({"score": 2, "comment": False}, "comment"),
    ],
)
def test_save_review_refuses_a_value_of_another_type(client, event, reviewer, proposal, body, field):
    """False is no score 0, 2.5 no score 2, 5 no comment: a 422 naming the field, nothing saved."""
    headers = bearer(make_token(reviewer, event, scope="write"))

    response = client.put(
        _url(event, f"/proposals/{proposal.code}/review"), body, "application/json", **headers
    )

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]
    assert not Review.objects.exists()


def test_reviewer_sees_other_reviews_only_after_their_own(client, event, reviewer, proposal, organiser_user):
    Review.objects.create(proposal=proposal, reviewer=organiser_user, score=2)
    headers = bearer(make_token(reviewer, event, scope="write"))

    before = client.get(_url(event, "/reviews"), **headers).json()
    client.put(_url(event, f"/proposals/{proposal.code}/review"), {"score": 3}, "application/json", **headers)
    after = client.get(_url(event, "/reviews"), **headers).json()

    assert before["count"] == 0
    assert after["count"] == 2


def test_reviews_the_api_and_the_proposal_page_agree_on_who_reads_them(
    client, event, reviewer, proposal, organiser_user
):
    Review.objects.create(proposal=proposal, reviewer=organiser_user, score=2)
    headers = bearer(make_token(reviewer, event))
    page = reverse("orga:proposal", kwargs={"event": event.slug, "code": proposal.code})
    client.force_login(reviewer)

    def both():
        api = sorted(r["score"] for r in client.get(_url(event, "/reviews"), **headers).json()["items"])
        shown = client.get(page).context
        return api, sorted(r.score for r in shown["reviews"]), shown["show_reviews"]

    before = both()
    Review.objects.create(proposal=proposal, reviewer=reviewer, score=3)
    after = both()

    assert before == ([], [], False)
    assert after == ([2, 3], [2, 3], True)


def test_decision_is_held_pending_with_its_mail(client, event, organiser_user, proposal):
    proposal.state = "submitted"
    proposal.save()
    headers = bearer(make_token(organiser_user, event, scope="write"))

    response = client.post(
        _url(event, f"/proposals/{proposal.code}/decision"),
        {"decision": "accepted"},
        "application/json",
        **headers,
    )

    proposal.refresh_from_db()
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["pending_state"]) == ("submitted", "accepted")
    assert (proposal.state, proposal.pending_state) == ("submitted", "accepted")
    assert event.mails.filter(status=MailStatus.HELD).count() == 1
    assert AuditEntry.objects.filter(action="proposal.decision_pending", actor=organiser_user).exists()


def test_decision_needs_the_users_right_to_decide(client, event, reviewer, proposal):
    headers = bearer(make_token(reviewer, event, scope="write"))

    response = client.post(
        _url(event, f"/proposals/{proposal.code}/decision"),
        {"decision": "rejected"},
        "application/json",
        **headers,
    )

    proposal.refresh_from_db()
    assert response.status_code == 403
    assert proposal.pending_state == ""


def test_invalid_transition_is_a_400_with_the_message(client, event, organiser_user):
    withdrawn = factories.ProposalFactory(event=event, state="withdrawn")
    headers = bearer(make_token(organiser_user, event, scope="write"))

    response = client.post(
        _url(event, f"/proposals/{withdrawn.code}/decision"),
        {"decision": "accepted"},
        "application/json",
        **headers,
    )

    assert response.status_code == 400
    assert "cannot be accepted" in response.json()["detail"]


@pytest.fixture
def scheduling(event, scheduler):
    talk = program.talk(event, "Placed by API")
    return {"talk": talk, "headers": bearer(make_token(scheduler, event, scope="write"))}


def test_place_move_and_unschedule_a_session(client, event, scheduling):
    talk, headers = scheduling["talk"], scheduling["headers"]
    hall, small = event.rooms.get(name="Hall A"), event.rooms.get(name="Room 101")
    start = program.at(event, 10).isoformat()

    placed = client.put(
        _url(event, f"/slots/{talk.code}"),
        {"room": str(hall.uuid), "start": start, "version": 0},
        "application/json",
        **headers,
    )
    moved = client.put(
        _url(event, f"/slots/{talk.code}"),
        {"room": str(small.uuid), "start": start, "version": placed.json()["version"]},
        "application/json",
        **headers,
    )
    listed = client.get(_url(event, "/slots"), **headers).json()
    off = client.post(
        _url(event, f"/slots/{talk.code}/unschedule"),
        {"version": moved.json()["version"]},
        "application/json",
        **headers,
    )

    assert placed.status_code == 200
    assert moved.json()["room"]["name"] == "Room 101"
    assert [(s["code"], s["room"]["name"]) for s in listed["items"]] == [(talk.code, "Room 101")]
    assert off.json()["start"] is None
    assert AuditEntry.objects.filter(action="slot.unscheduled").exists()


def test_place_with_a_stale_version_is_a_409_and_changes_nothing(client, event, scheduler, scheduling):
    talk, headers = scheduling["talk"], scheduling["headers"]
    program.place(event, talk, "Hall A", program.at(event, 10), scheduler)

    response = client.put(
        _url(event, f"/slots/{talk.code}"),
        {
            "room": str(event.rooms.get(name="Room 101").uuid),
            "start": program.at(event, 11).isoformat(),
            "version": 0,
        },
        "application/json",
        **headers,
    )

    assert response.status_code == 409
    assert "Hall A" in response.json()["detail"]
    assert Slot.objects.get(proposal=talk).room.name == "Hall A"


def test_place_in_a_taken_room_is_a_400(client, event, scheduler, scheduling):
    program.placed_talk(event, "Already there", "Hall A", program.at(event, 10), scheduler)
    talk, headers = scheduling["talk"], scheduling["headers"]

    response = client.put(
        _url(event, f"/slots/{talk.code}"),
        {
            "room": str(event.rooms.get(name="Hall A").uuid),
            "start": program.at(event, 10).isoformat(),
            "version": 0,
        },
        "application/json",
        **headers,
    )

    assert response.status_code == 400
    assert "taken" in response.json()["detail"]


def test_place_needs_the_schedule_permission(client, event, reviewer):
    talk = program.talk(event, "Not yours")
    headers = bearer(make_token(reviewer, event, scope="write"))

    response = client.put(
        _url(event, f"/slots/{talk.code}"),
        {"room": str(event.rooms.first().uuid), "start": program.at(event, 10).isoformat(), "version": 0},
        "application/json",
        **headers,
    )

    assert response.status_code == 403
    assert not Slot.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": True}, "version"),
        ({"version": 0.5}, "version"),
        ({"version": 0, "start": 1_780_000_000}, "start"),
        ({"version": 0, "room": 7}, "room"),
    ],
)
def test_place_refuses_a_value_of_another_type(client, event, scheduling, body, field):
    talk, headers = scheduling["talk"], scheduling["headers"]
    valid = {"room": str(event.rooms.get(name="Hall A").uuid), "start": program.at(event, 10).isoformat()}

    response = client.put(_url(event, f"/slots/{talk.code}"), valid | body, "application/json", **headers)

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]
    assert not Slot.objects.filter(proposal=talk, room__isnull=False).exists()


def test_publish_release_and_nothing_changed(client, event, scheduler, scheduling):
    program.place(event, scheduling["talk"], "Hall A", program.at(event, 10), scheduler)
    headers = scheduling["headers"]

    first = client.post(_url(event, "/releases"), {"comment": "Hello"}, "application/json", **headers)
    again = client.post(_url(event, "/releases"), {}, "application/json", **headers)

    assert first.status_code == 201
    assert first.json()["changes"][0]["kind"] == "new"
    assert again.status_code == 400
    assert again.json()["detail"] == "Nothing public changed since release v1."
    assert Release.objects.filter(event=event).count() == 1
    assert AuditEntry.objects.filter(action="release.published", actor=scheduler).exists()


def test_token_of_one_organiser_never_reads_anothers_proposals(client, event, organiser_user, proposal):
    other = factories.EventFactory()
    other_admin = factories.team_member(other, is_admin=True, can_edit_event=True)
    secret = make_token(other_admin, other)
    # Even a user on both organisers' teams reaches only the events the token names.
    factories.team_member(event, user=other_admin, is_admin=True, can_edit_event=True)

    listed = client.get(_url(event, "/proposals"), **bearer(secret))
    one = client.get(_url(event, f"/proposals/{proposal.code}"), **bearer(secret))
    reviews = client.get(_url(event, "/reviews"), **bearer(secret))

    assert (listed.status_code, one.status_code, reviews.status_code) == (404, 404, 404)
    assert proposal.title not in listed.content.decode() + one.content.decode()


def test_slots_and_reviews_query_counts_are_constant(client, event, scheduler):
    client.defaults.update(bearer(make_token(scheduler, event)))
    client.get(_url(event, "/slots"))  # the token's first use writes its last-used time once

    def more_slots(count):
        program.fill_day(event, scheduler, count)

    def more_reviews(count):
        for _ in range(count):
            factories.ReviewFactory(
                proposal=factories.ProposalFactory(event=event), reviewer=factories.UserFactory()
            )

    assert_constant_queries(client, _url(event, "/slots"), more_slots)
    assert_constant_queries(client, _url(event, "/reviews"), more_reviews)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/releases", {"force": 1}, "force"),
        ("/releases", {"force": "true"}, "force"),
        ("/releases", {"name": 2}, "name"),
        ("/releases", {"comment": True}, "comment"),
        ("/slots/{code}/unschedule", {"version": False}, "version"),
        ("/slots/{code}/unschedule", {"version": 1.5}, "version"),
    ],
)
def test_schedule_writes_refuse_a_value_of_another_type(
    client, event, scheduler, scheduling, path, body, field
):
    talk, headers = scheduling["talk"], scheduling["headers"]
    program.place(event, talk, "Hall A", program.at(event, 10), scheduler)

    response = client.post(_url(event, path.format(code=talk.code)), body, "application/json", **headers)

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]
    assert Slot.objects.get(proposal=talk).room.name == "Hall A"
    assert not Release.objects.filter(event=event).exists()


@pytest.mark.parametrize("decision", [1, True, ["accepted"]])
def test_decision_refuses_a_value_of_another_type(client, event, organiser_user, proposal, decision):
    headers = bearer(make_token(organiser_user, event, scope="write"))

    response = client.post(
        _url(event, f"/proposals/{proposal.code}/decision"),
        {"decision": decision},
        "application/json",
        **headers,
    )

    proposal.refresh_from_db()
    assert response.status_code == 422
    assert {error["loc"][-1] for error in response.json()["detail"]} == {"decision"}
    assert proposal.pending_state == ""


@pytest.mark.parametrize(
    ("query", "field"),
    [({"limit": "true"}, "limit"), ({"offset": "1.5"}, "offset"), ({"track": "false"}, "track")],
)
def test_proposal_filters_refuse_a_value_of_another_type(client, event, organiser_user, query, field):
    response = client.get(_url(event, "/proposals"), query, **bearer(make_token(organiser_user, event)))

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == [field]
