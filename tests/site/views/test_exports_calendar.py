"""An attendee's calendar at its secret address: no log-in, their stars only, replaced links gone."""

import pytest
from django.test import Client
from django.urls import reverse

from podium.attendance.services import renew_calendar_feed, set_star
from tests import factories
from tests.interop.formats import vevents
from tests.program import fill_day, release
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def feed_url(event, key: str) -> str:
    return reverse("site:agenda_ics", kwargs={"event": event.slug, "token": key})


@pytest.fixture
def fan(program):
    user = factories.UserFactory()
    for name in ("alpha", "gamma"):
        set_star(event=program["event"], user=user, code=program[name].code, starred=True)
    return user


@pytest.fixture
def feed(program, fan):
    return renew_calendar_feed(event=program["event"], user=fan)


def _summaries(content: bytes) -> list[str]:
    return sorted(str(vevent.get("summary")) for vevent in vevents(content))


def test_the_feed_works_without_a_log_in_and_holds_only_the_starred_sessions(program, feed):
    anonymous = Client()  # no session cookie at all

    response = anonymous.get(feed_url(program["event"], feed.key))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert _summaries(response.content) == ["Alpha talk", "Gamma talk"]
    assert "Access-Control-Allow-Origin" not in response
    assert "Set-Cookie" not in response


def test_the_feed_tells_calendar_apps_not_to_keep_it(program, feed):
    response = Client().get(feed_url(program["event"], feed.key))

    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert cache_control == {"private", "max-age=0"}
    assert response["ETag"]


def test_the_feed_answers_head_without_a_body(program, feed):
    response = Client().head(feed_url(program["event"], feed.key))

    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "text/calendar; charset=utf-8"


def test_the_feed_refuses_other_methods(program, feed):
    assert Client().post(feed_url(program["event"], feed.key)).status_code == 405


def test_the_feed_follows_the_stars_with_a_new_etag(program, fan, feed):
    client, url = Client(), feed_url(program["event"], feed.key)
    first = client.get(url)

    set_star(event=program["event"], user=fan, code=program["beta"].code, starred=True)
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert _summaries(again.content) == ["Alpha talk", "Beta talk", "Gamma talk"]
    assert client.get(url, HTTP_IF_NONE_MATCH=again["ETag"]).status_code == 304


def test_a_replaced_address_is_404(program, fan, feed):
    old = feed.key

    new = renew_calendar_feed(event=program["event"], user=fan).key

    assert Client().get(feed_url(program["event"], old)).status_code == 404
    assert Client().get(feed_url(program["event"], new)).status_code == 200


@pytest.mark.parametrize("key", ["x", "1-x", "0-abc", "-", "99999999999999999999999-abc", "1-" + "a" * 43])
def test_an_unknown_address_is_404(program, feed, key):
    assert Client().get(feed_url(program["event"], key)).status_code == 404


def test_a_wrong_token_for_a_real_feed_is_404(program, feed):
    assert Client().get(feed_url(program["event"], f"{feed.pk}-{feed.token[::-1]}")).status_code == 404


def test_another_events_address_is_404(program, feed):
    other = factories.EventFactory()
    scheduler = factories.team_member(other, can_schedule=True)
    fill_day(other, scheduler, 1)
    release(other, scheduler)

    assert Client().get(feed_url(other, feed.key)).status_code == 404


def test_the_feed_of_a_hidden_event_is_404(program, feed):
    program["event"].is_public = False
    program["event"].save(update_fields=["is_public"])

    assert Client().get(feed_url(program["event"], feed.key)).status_code == 404


def test_the_feed_before_the_first_release_is_404(event):
    feed = renew_calendar_feed(event=event, user=factories.UserFactory())

    assert Client().get(feed_url(event, feed.key)).status_code == 404


def test_the_feed_query_count_does_not_grow_with_the_stars(event, scheduler):
    fan = factories.UserFactory()
    feed = renew_calendar_feed(event=event, user=fan)
    release(event, scheduler)

    def grow(count):
        talks = fill_day(event, scheduler, count)
        release(event, scheduler)
        for proposal in talks:
            set_star(event=event, user=fan, code=proposal.code, starred=True)

    assert_constant_queries(Client(), feed_url(event, feed.key), grow, small=3, large=20)
