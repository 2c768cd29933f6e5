"""The page cache helper: what it keeps, for whom, and under which key."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import add_message, constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory

from podium.site.pagecache import cached_page, page_key, release_fact
from tests import factories
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.django_db


class Renderer:
    """Counts how often the page was rendered."""

    def __init__(self, status: int = 200):
        self.calls = 0
        self.status = status

    def __call__(self):
        self.calls += 1
        return HttpResponse(f"page {self.calls}", status=self.status)


@pytest.fixture
def released(event):
    scheduler = factories.team_member(event, can_schedule=True)
    placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler)
    return event, release(event, scheduler)


def anonymous_get(path="/pyconf/schedule/", **headers):
    request = RequestFactory().get(path, **headers)
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_cached_page_renders_once_for_anonymous_visitors(released):
    event, release = released
    render = Renderer()

    first = cached_page(anonymous_get(), event=event, release=release, render=render)
    second = cached_page(anonymous_get(), event=event, release=release, render=render)

    assert render.calls == 1
    assert first.content == second.content == b"page 1"


def test_cached_page_renders_for_a_visitor_with_a_message(released):
    event, release = released
    render = Renderer()
    cached_page(anonymous_get(), event=event, release=release, render=render)
    request = anonymous_get()
    add_message(request, constants.INFO, "Logged out.")

    response = cached_page(request, event=event, release=release, render=render)

    assert render.calls == 2
    assert response.content == b"page 2"


def test_cached_page_renders_for_logged_in_visitors_without_etag(released):
    event, release = released
    render = Renderer()
    request = anonymous_get()
    request.user = factories.UserFactory()

    cached_page(request, event=event, release=release, render=render)
    response = cached_page(request, event=event, release=release, render=render)

    assert render.calls == 2
    assert not response.has_header("ETag")


def test_cached_page_keeps_no_error_answers(released):
    event, release = released
    render = Renderer(status=404)

    cached_page(anonymous_get(), event=event, release=release, render=render)
    cached_page(anonymous_get(), event=event, release=release, render=render)

    assert render.calls == 2


def test_cached_page_before_the_first_release_renders_every_time(released):
    event, _ = released
    render = Renderer()

    cached_page(anonymous_get(), event=event, release=None, render=render)
    cached_page(anonymous_get(), event=event, release=None, render=render)

    assert render.calls == 2


def test_cached_page_not_cacheable_renders_every_time(released):
    event, release = released
    render = Renderer()

    cached_page(anonymous_get(), event=event, release=release, render=render, cacheable=False)
    response = cached_page(anonymous_get(), event=event, release=release, render=render, cacheable=False)

    assert render.calls == 2
    assert response.has_header("ETag")


def test_cached_page_answers_304_with_cache_headers(released):
    event, release = released
    etag = cached_page(anonymous_get(), event=event, release=release, render=Renderer())["ETag"]

    response = cached_page(
        anonymous_get(HTTP_IF_NONE_MATCH=etag), event=event, release=release, render=Renderer()
    )

    assert response.status_code == 304
    assert "no-cache" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_page_key_differs_by_release_path_variant_and_event_version(released):
    event, release = released
    key = page_key(event=event, release=release, path="/a/", variant="x")
    other_release = factories.EventFactory()  # another event: another key for the same path

    assert key != page_key(event=event, release=release, path="/b/", variant="x")
    assert key != page_key(event=event, release=release, path="/a/", variant="y")
    assert key != page_key(event=other_release, release=release, path="/a/", variant="x")
    event.version += 1
    assert key != page_key(event=event, release=release, path="/a/", variant="x")
    release.version += 1
    event.version -= 1
    assert key != page_key(event=event, release=release, path="/a/", variant="x")


def test_release_fact_is_computed_once(released):
    _, release = released
    calls = []

    def compute():
        calls.append(1)
        return ["day"]

    assert release_fact(release, "days", compute) == release_fact(release, "days", compute) == ["day"]
    assert calls == [1]
