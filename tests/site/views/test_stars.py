"""Star endpoints: the no-JavaScript form, the fetch (JSON) variant, merging browser stars, CSRF."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from podium.attendance.models import Star
from podium.attendance.services import MAX_MERGE, set_star
from tests import factories
from tests.program import talk

pytestmark = pytest.mark.django_db

JSON_HEADERS = {"HTTP_X_REQUESTED_WITH": "fetch", "HTTP_ACCEPT": "application/json"}


def star_url(proposal, code=None) -> str:
    return reverse("site:star", kwargs={"event": proposal.event.slug, "code": code or proposal.code})


def merge_url(event) -> str:
    return reverse("site:stars_merge", kwargs={"event": event.slug})


def stars_of(user) -> list[str]:
    return sorted(Star.objects.filter(user=user).values_list("proposal__code", flat=True))


@pytest.fixture
def visitor(client):
    user = factories.UserFactory()
    client.force_login(user)
    return user


# --- Starring one session --------------------------------------------------------------------------


def test_star_form_stars_and_goes_back_to_the_page(client, program, visitor):
    alpha = program["alpha"]
    schedule = reverse("site:schedule", kwargs={"event": alpha.event.slug}) + "?view=list"

    response = client.post(
        star_url(alpha) + "?next=" + schedule.replace("?", "%3F").replace("=", "%3D"), {"starred": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == schedule
    assert stars_of(visitor) == [alpha.code]


def test_star_form_unstars(client, program, visitor):
    alpha = program["alpha"]
    set_star(event=alpha.event, user=visitor, code=alpha.code, starred=True)

    client.post(star_url(alpha), {"starred": "0"})

    assert stars_of(visitor) == []


def test_star_form_twice_keeps_one_star(client, program, visitor):
    alpha = program["alpha"]

    client.post(star_url(alpha), {"starred": "1"})
    client.post(star_url(alpha), {"starred": "1"})

    assert Star.objects.filter(user=visitor).count() == 1


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_star_form_never_redirects_off_site(client, program, visitor, target):
    alpha = program["alpha"]

    response = client.post(star_url(alpha), {"starred": "1", "next": target})

    assert response["Location"] == reverse(
        "site:talk", kwargs={"event": alpha.event.slug, "code": alpha.code}
    )


def test_star_with_fetch_answers_json(client, program, visitor):
    alpha = program["alpha"]

    starred = client.post(star_url(alpha), {"starred": "1"}, **JSON_HEADERS)
    unstarred = client.post(star_url(alpha), {"starred": "0"}, HTTP_ACCEPT="application/json")

    assert starred.json() == {"code": alpha.code, "starred": True}
    assert unstarred.json() == {"code": alpha.code, "starred": False}
    assert stars_of(visitor) == []


def test_star_with_a_bad_starred_value_is_400(client, program, visitor):
    response = client.post(star_url(program["alpha"]), {"starred": "yes"}, **JSON_HEADERS)

    assert response.status_code == 400
    assert "starred=1" in response.json()["error"]
    assert stars_of(visitor) == []


def test_star_form_with_a_bad_starred_value_goes_back_with_a_message(client, program, visitor):
    response = client.post(star_url(program["alpha"]), {}, follow=True)

    assert "Send starred=1 to star a session" in response.content.decode()
    assert stars_of(visitor) == []


def test_star_of_a_rejected_proposal_is_refused(client, program, visitor):
    rejected = talk(program["event"], "Rejected talk", state="rejected")

    response = client.post(star_url(rejected), {"starred": "1"}, **JSON_HEADERS)

    assert response.status_code == 404
    assert response.json() == {"error": "There is no public session with this code."}
    assert stars_of(visitor) == []


def test_star_of_another_events_code_is_refused(client, program, visitor):
    other = talk(factories.EventFactory(show_accepted_talks=True), "Elsewhere")

    response = client.post(star_url(program["alpha"], code=other.code), {"starred": "1"}, follow=True)

    assert "There is no public session with this code." in response.content.decode()
    assert stars_of(visitor) == []


def test_star_in_a_non_public_event_is_404(client, program, visitor):
    program["event"].is_public = False
    program["event"].save()

    response = client.post(star_url(program["alpha"]), {"starred": "1"}, **JSON_HEADERS)

    assert response.status_code == 404
    assert stars_of(visitor) == []


def test_star_by_an_anonymous_visitor_redirects_to_log_in(client, program):
    response = client.post(star_url(program["alpha"]), {"starred": "1"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    assert Star.objects.count() == 0


def test_star_url_opened_without_javascript_asks_to_confirm_and_the_form_stars(client, program, visitor):
    """A shared page's star form is a GET (no CSRF token in a page every visitor gets): a logged-in
    visitor, or one back from logging in, is asked to confirm, and the confirmation's POST stars."""
    alpha = program["alpha"]
    schedule = reverse("site:schedule", kwargs={"event": alpha.event.slug})

    asked = client.get(star_url(alpha) + "?next=" + schedule)

    assert asked.status_code == 200
    assert stars_of(visitor) == []
    page = asked.content.decode()
    assert alpha.title in page
    assert 'method="post"' in page
    assert 'name="starred" value="1"' in page
    assert f'href="{schedule}"' in page
    done = client.post(star_url(alpha) + "?next=" + schedule, {"starred": "1"})
    assert done["Location"] == schedule
    assert stars_of(visitor) == [alpha.code]
    again = client.get(star_url(alpha) + "?next=" + schedule)
    assert 'name="starred" value="0"' in again.content.decode()


def test_star_url_of_an_unknown_session_is_404(client, program, visitor):
    response = client.get(reverse("site:star", kwargs={"event": program["event"].slug, "code": "NOPE"}))

    assert response.status_code == 404


def test_star_needs_a_csrf_token(program):
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(factories.UserFactory())

    response = checked.post(star_url(program["alpha"]), {"starred": "1"}, **JSON_HEADERS)

    assert response.status_code == 403
    assert Star.objects.count() == 0


def test_star_with_the_pages_csrf_token_is_accepted(program):
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(factories.UserFactory())
    checked.get(reverse("site:schedule", kwargs={"event": program["event"].slug}))
    token = checked.cookies["csrftoken"].value

    response = checked.post(
        star_url(program["alpha"]), {"starred": "1", "csrfmiddlewaretoken": token}, **JSON_HEADERS
    )

    assert response.json() == {"code": program["alpha"].code, "starred": True}


# --- Merging the stars kept in the browser ---------------------------------------------------------


def test_merge_adds_browser_stars_and_answers_all_stars(client, program, visitor):
    event = program["event"]
    set_star(event=event, user=visitor, code=program["alpha"].code, starred=True)
    codes = [program["beta"].code, program["beta"].code.lower(), "NOSUCH", program["gamma"].code]

    response = client.post(merge_url(event), json.dumps({"codes": codes}), content_type="application/json")

    expected = sorted([program["alpha"].code, program["beta"].code, program["gamma"].code])
    assert response.json() == {"codes": expected}
    assert stars_of(visitor) == expected


def test_merge_accepts_form_fields(client, program, visitor):
    event = program["event"]

    response = client.post(
        merge_url(event),
        {"codes": [f"{program['alpha'].code},{program['beta'].code}", program["gamma"].code]},
    )

    assert response.json()["codes"] == sorted(
        p.code for p in (program["alpha"], program["beta"], program["gamma"])
    )


def test_merge_ignores_other_events_codes(client, program, visitor):
    other = talk(factories.EventFactory(show_accepted_talks=True), "Elsewhere")

    response = client.post(
        merge_url(program["event"]), json.dumps({"codes": [other.code]}), content_type="application/json"
    )

    assert response.json() == {"codes": []}
    assert stars_of(visitor) == []


@pytest.mark.parametrize(
    "body", ["{not json", "[]", '{"codes": "ABC"}', '{"codes": [1, 2]}', '{"other": []}', b"\xff\xfe"]
)
def test_merge_with_a_bad_body_is_400_with_a_message(client, program, visitor, body):
    response = client.post(merge_url(program["event"]), body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]


def test_merge_refuses_too_many_codes(client, program, visitor):
    codes = [program["alpha"].code] * (MAX_MERGE + 1)

    response = client.post(
        merge_url(program["event"]), json.dumps({"codes": codes}), content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"error": f"At most {MAX_MERGE} stars can be merged at once."}
    assert stars_of(visitor) == []


def test_merge_by_an_anonymous_visitor_redirects_to_log_in(client, program):
    response = client.post(
        merge_url(program["event"]), json.dumps({"codes": []}), content_type="application/json"
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_merge_is_post_only(client, program, visitor):
    assert client.get(merge_url(program["event"])).status_code == 405


# --- Listing one's stars ---------------------------------------------------------------------------


def test_my_stars_lists_the_visitors_codes_in_this_event(client, program, visitor):
    set_star(event=program["event"], user=visitor, code=program["beta"].code, starred=True)
    other = talk(factories.EventFactory(show_accepted_talks=True), "Elsewhere")
    set_star(event=other.event, user=visitor, code=other.code, starred=True)
    someone = factories.UserFactory()
    set_star(event=program["event"], user=someone, code=program["alpha"].code, starred=True)

    response = client.get(reverse("site:my_stars", kwargs={"event": program["event"].slug}))

    assert response.json() == {"codes": [program["beta"].code]}


def test_my_stars_needs_a_log_in(client, program):
    response = client.get(reverse("site:my_stars", kwargs={"event": program["event"].slug}))

    assert response.status_code == 302
