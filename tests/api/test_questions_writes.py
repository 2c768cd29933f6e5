"""Writing CfP questions through the API: create, edit (with a version), delete unless answered, as
the organiser's pages do (podium.cfp.services)."""

import pytest

from podium.base.models import AuditEntry
from podium.cfp import services
from podium.cfp.models import Question
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db


def _url(event, path=""):
    return f"/api/v1/orga/events/{event.slug}/questions{path}"


@pytest.fixture
def writer(organiser_user, event):
    return bearer(make_token(organiser_user, event, scope="write"))


def test_create_edit_and_delete_a_question(client, event, organiser_user, writer):
    web = event.tracks.get(name="Web")
    made = client.post(
        _url(event),
        {
            "label": "  How   many attendees? ",
            "kind": "number",
            "min_value": 1,
            "max_value": 2.5,
            "tracks": [web.pk],
        },
        "application/json",
        **writer,
    )
    assert made.status_code == 201, made.content
    body = made.json()
    assert (
        body["label"],
        body["kind"],
        body["min_value"],
        body["max_value"],
        body["tracks"],
        body["version"],
    ) == (
        "How many attendees?",
        "number",
        "1.00",
        "2.50",
        [web.pk],
        1,
    )

    changed = client.put(
        _url(event, f"/{body['id']}"),
        {
            "label": "Your level",
            "kind": "choice",
            "choices": ["Beginner", "Expert"],
            "min_value": 3,
            "version": 1,
        },
        "application/json",
        **writer,
    )
    stale = client.put(
        _url(event, f"/{body['id']}"), {"label": "Late", "version": 1}, "application/json", **writer
    )
    listed = client.get(_url(event), **writer).json()

    assert changed.status_code == 200, changed.content
    assert (changed.json()["choices"], changed.json()["min_value"], changed.json()["tracks"]) == (
        ["Beginner", "Expert"],
        None,  # limits are only for numbers
        [],
    )
    assert stale.status_code == 409
    assert [q["label"] for q in listed] == ["Your level"]

    deleted = client.delete(_url(event, f"/{body['id']}"), **writer)
    assert deleted.status_code == 204
    assert not Question.objects.exists()
    assert AuditEntry.objects.filter(action="cfp_question.deleted", actor=organiser_user).exists()


def test_an_answered_question_is_not_deleted(client, event, writer, speaker):
    question = services.save_question(event=event, by=None, data={"label": "Why?"})
    services.submit_with_answers(
        event=event,
        speaker=speaker,
        profile={"name": "Ada", "bio": "B"},
        data={"title": "T", "abstract": "A", "session_type": event.session_types.first()},
        answers={question.pk: "Because"},
    )

    refused = client.delete(_url(event, f"/{question.pk}"), **writer)

    assert refused.status_code == 400
    assert "make it inactive instead" in refused.json()["detail"]
    assert Question.objects.filter(pk=question.pk).exists()


def test_bad_questions_are_refused_with_the_pages_words(client, event, writer):
    services.save_question(event=event, by=None, data={"label": "Taken"})

    def post(body):
        return client.post(_url(event), body, "application/json", **writer)

    one_choice = post({"label": "Pick", "kind": "choice", "choices": ["Only"]})
    no_types = post({"label": "Deck", "kind": "file"})
    taken = post({"label": "TAKEN"})
    upside_down = post({"label": "N", "kind": "number", "min_value": 5, "max_value": 1})
    text_number = post({"label": "N2", "kind": "number", "min_value": "5"})
    bad_kind = post({"label": "K", "kind": "essay"})
    other_track = post({"label": "T", "tracks": [999999]})

    assert [r.status_code for r in (one_choice, no_types, taken, upside_down)] == [400, 400, 400, 400]
    assert one_choice.json()["field"] == "choices"
    assert no_types.json()["field"] == "file_types"
    assert taken.json()["field"] == "label"
    assert (text_number.status_code, bad_kind.status_code, other_track.status_code) == (422, 422, 404)
    assert Question.objects.count() == 1


def test_writing_needs_a_write_token_of_someone_who_edits_the_event(client, event, organiser_user, reviewer):
    body = {"label": "Why?"}

    read_only = client.post(
        _url(event), body, "application/json", **bearer(make_token(organiser_user, event))
    )
    as_reviewer = client.post(
        _url(event), body, "application/json", **bearer(make_token(reviewer, event, scope="write"))
    )

    assert (read_only.status_code, as_reviewer.status_code) == (403, 403)
    assert not Question.objects.exists()


def test_the_same_idempotency_key_creates_one_question(client, event, writer):
    first = client.post(
        _url(event), {"label": "Why?"}, "application/json", **writer, HTTP_IDEMPOTENCY_KEY="q-1"
    )
    again = client.post(
        _url(event), {"label": "Why?"}, "application/json", **writer, HTTP_IDEMPOTENCY_KEY="q-1"
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json() == again.json()
    assert Question.objects.count() == 1


@pytest.mark.parametrize("limits", [{"min_value": None}, {"min_value": None, "max_value": None}, {}])
def test_limits_given_as_null_are_no_limits(client, event, writer, limits):
    made = client.post(
        _url(event), {"label": "Your talk's level", "kind": "text", **limits}, "application/json", **writer
    )

    assert made.status_code == 201, made.content
    assert (made.json()["min_value"], made.json()["max_value"]) == (None, None)


def test_a_limit_out_of_range_is_a_clear_422(client, event, writer):
    made = client.post(
        _url(event), {"label": "Count", "kind": "number", "min_value": 1e12}, "application/json", **writer
    )

    assert made.status_code == 422
    assert Question.objects.count() == 0
