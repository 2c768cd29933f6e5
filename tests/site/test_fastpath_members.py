"""The fast path and logged-in visitors: the same page files as anonymous visitors where Django gives
them the file (their own part comes from me.json), Django's page for a talk (their note and feedback
forms) and for anyone with messages waiting (MessageStorage's cookie); and the links beside `latest`
that tell nginx the same."""

import datetime as dt
import json
import os
import random
from pathlib import Path

import pytest

from podium.events import pages as event_pages
from podium.events import services as event_services
from podium.events.models import SessionType
from podium.site import fastpath, release_files
from tests.site.test_fastpath import DJANGO, _urls, call

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_on")]

SHARED = ("talks", "speakers", "speaker", "schedule", "day", "list", "room")


@pytest.fixture
def rendered(program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return release_files.render_release(program["event"], program["release"])


@pytest.fixture
def app():
    async def django(scope, receive, send):
        await send({"type": "http.response.start", "status": DJANGO, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    return fastpath.FastPath(django)


def _session(client, settings, user) -> str:
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.parametrize("who", ["speaker", "organiser"])
def test_a_logged_in_visitor_gets_the_file_django_gives_them(
    app, client, settings, program, rendered, organiser_user, who
):
    user = program["ada"] if who == "speaker" else organiser_user
    cookie = _session(client, settings, user)
    urls = _urls(program, rendered)
    for name in SHARED:
        fast = call(app, urls[name], cookie=cookie)
        assert fast.status == 200, name
        django = client.get(urls[name])
        assert django.status_code == 200, name
        assert fast.body == django.content, name  # the anonymous visitor's page, for Django too
        assert fast.body == call(app, urls[name]).body, name
        assert b'data-me-url="' in fast.body, name
    # The talk page holds the visitor's own forms: Django renders it for them.
    assert call(app, urls["talk"], cookie=cookie).status == DJANGO
    assert b'name="text"' in client.get(urls["talk"]).content  # their note's form
    assert call(app, urls["talk"]).status == 200  # and the file for everyone else


def test_the_manifest_names_the_pages_logged_in_visitors_share(program, rendered):
    members = set(json.loads((rendered.path / release_files.MANIFEST).read_text())["members"])
    pages = {
        name for name in release_files._manifest(str(rendered.path))["files"] if name.startswith("pages/")
    }
    assert members
    assert {name.split("/")[1] for name in members} == {
        "schedule",
        "room",
        "talks.html",
        "speakers.html",
        "speaker",
    }
    assert not any(name.startswith("pages/talk/") for name in members)
    assert members < pages


def test_a_waiting_message_sends_the_visitor_to_django_until_it_is_shown(
    app, client, settings, program, rendered
):
    cookie = _session(client, settings, program["bob"])
    urls = _urls(program, rendered)
    slug = program["event"].slug
    # Starring without JavaScript: a message for the next page.
    answer = client.post(
        f"/{slug}/talk/{program['alpha'].code}/star/?next={urls['talks']}",
        {"starred": "1"},
        headers={"accept": "text/html"},
    )
    assert answer.status_code == 302
    assert client.cookies[fastpath.MESSAGES_COOKIE].value == "1"
    waiting = f"{cookie}; {fastpath.MESSAGES_COOKIE}=1"
    for name in (*SHARED, "talk"):
        assert call(app, urls[name], cookie=waiting).status == DJANGO, name
    # A JSON answer shows no message: it keeps waiting.
    client.get(f"/{slug}/me.json")
    assert client.cookies[fastpath.MESSAGES_COOKIE].value == "1"
    page = client.get(urls["talks"])
    assert b"Added to your stars." in page.content
    assert page.cookies[fastpath.MESSAGES_COOKIE].value == ""  # shown: the cookie is deleted
    assert page.cookies[fastpath.MESSAGES_COOKIE]["max-age"] == 0
    assert call(app, urls["talks"], cookie=cookie).status == 200
    assert b"Added to your stars." not in client.get(urls["talks"]).content


def test_a_cookie_without_messages_behind_it_is_deleted(client, settings, program, rendered):
    _session(client, settings, program["bob"])
    client.cookies[fastpath.MESSAGES_COOKIE] = "1"  # the session's messages went (logged out, say)
    answer = client.get(f"/{program['event'].slug}/me.json")
    assert answer.cookies[fastpath.MESSAGES_COOKIE]["max-age"] == 0
    # Without the cookie, no answer sets or deletes it.
    client.cookies.pop(fastpath.MESSAGES_COOKIE)
    assert fastpath.MESSAGES_COOKIE not in client.get(f"/{program['event'].slug}/me.json").cookies


def _through_middleware(rf, view, cookies=None, session=None):
    """`view` behind the session and message middleware, as in settings.MIDDLEWARE."""
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    request = rf.get("/")
    request.COOKIES.update(cookies or {})
    handler = SessionMiddleware(MessageMiddleware(view))
    if session is not None:
        request.COOKIES["sessionid"] = session
    return handler(request)


def test_the_cookie_follows_the_sessions_messages(rf):
    from django.contrib import messages
    from django.http import HttpResponse

    def add(request):
        messages.info(request, "Saved.")
        return HttpResponse("")

    def show(request):
        return HttpResponse(" ".join(str(m) for m in messages.get_messages(request)))

    def fail(request):
        list(messages.get_messages(request))
        return HttpResponse("", status=500)

    added = _through_middleware(rf, add)  # an anonymous visitor: the session is made for the message
    assert added.cookies[fastpath.MESSAGES_COOKIE].value == "1"
    assert added.cookies[fastpath.MESSAGES_COOKIE]["httponly"]
    session = added.cookies["sessionid"].value
    marked = {fastpath.MESSAGES_COOKIE: "1"}
    # A failed answer saves no session: the message still waits, and so does the cookie.
    assert fastpath.MESSAGES_COOKIE not in _through_middleware(rf, fail, marked, session).cookies
    shown = _through_middleware(rf, show, marked, session)
    assert shown.content == b"Saved."
    assert shown.cookies[fastpath.MESSAGES_COOKIE]["max-age"] == 0


# --- The links nginx follows ---------------------------------------------------------------------------


def _link(program, name) -> Path:
    return release_files.event_dir(program["event"].slug) / name


def test_links_name_the_pages_while_they_may_be_served(
    program, rendered, organiser_user, django_capture_on_commit_callbacks
):
    served, static = _link(program, fastpath.SERVED), _link(program, fastpath.SERVED_STATIC)
    assert os.readlink(served) == os.readlink(static) == "latest/pages"
    assert (served / "talks.html").read_bytes() == (rendered.path / "pages/talks.html").read_bytes()
    day = program["release"].sessions.order_by("day").first().day.isoformat()
    assert (_link(program, fastpath.TODAY) / "first.html").read_bytes() == (
        rendered.path / f"pages/schedule/{day}/grid.html"
    ).read_bytes()
    assert (_link(program, fastpath.TODAY) / "first.html.gz").exists()
    # Seats: the schedule and talk pages are Django's, the lists stay.
    with django_capture_on_commit_callbacks(execute=True):
        seated = SessionType.objects.create(
            event=program["event"], name="Workshop", duration_minutes=90, requires_seat=True, seats=10
        )
    assert served.is_symlink()
    assert not static.is_symlink()
    assert not _link(program, fastpath.TODAY).exists()
    with django_capture_on_commit_callbacks(execute=True):
        seated.delete()
    assert static.is_symlink()
    assert _link(program, fastpath.TODAY).is_symlink()
    # A new information page in the menu: no page until they are written again.
    with django_capture_on_commit_callbacks(execute=True):
        event_pages.save_page(
            event=program["event"],
            by=organiser_user,
            data={"title": "Venue", "body": "Here", "state": "published"},
        )
    assert not served.is_symlink()
    assert not static.is_symlink()
    with django_capture_on_commit_callbacks(execute=True):
        release_files.render_release(
            type(program["event"]).objects.get(pk=program["event"].pk), program["release"]
        )
    assert b"Venue" in (served / "talks.html").read_bytes()
    # A hidden event: nothing.
    with django_capture_on_commit_callbacks(execute=True):
        event_services.update_event(event=program["event"], by=organiser_user, data={"is_public": False})
    assert not served.exists()
    assert not static.exists()
    assert not _link(program, fastpath.TODAY).exists()


def test_today_names_each_moment_of_the_event_by_its_days_page(program, rendered):
    """Every moment of a conference day is in exactly one link of that day (matched by nginx on the
    leading digits of `$msec`); any other moment has none, and gets `first.html`."""
    event = program["event"]
    state = fastpath.compute_state(event)
    links = fastpath._today_links(state)
    days = [dt.date.fromisoformat(day) for day in state["days"]]
    assert len(days) == 2
    today = _link(program, fastpath.TODAY)

    def page_at(moment: int) -> str:
        found = [
            links[f"{str(moment)[:digits]}.html"]
            for digits in (8, 7, 6)
            if f"{str(moment)[:digits]}.html" in links
        ]
        assert len(found) <= 1
        return found[0] if found else links["first.html"]

    start, end = (
        int(moment.timestamp()) for moment in (event.day_range(days[0])[0], event.day_range(days[-1])[1])
    )
    rng = random.Random(7)
    moments = [start - 1, start, end - 1, end, start + 86399, start + 86400] + [
        rng.randrange(start - 86400, end + 86400) for _ in range(2000)
    ]
    for moment in moments:
        when = dt.datetime.fromtimestamp(moment, dt.UTC)
        day = event.conference_day(when)
        expected = day if day in days else days[0]
        assert page_at(moment) == f"../served-static/schedule/{expected.isoformat()}/grid.html", when
    # The links resolve to the files.
    for name in (next(name for name in links if name != "first.html"), "first.html"):
        day_page = "pages/" + links[name].removeprefix(f"../{fastpath.SERVED_STATIC}/")
        assert (today / name).read_bytes() == (rendered.path / day_page).read_bytes()
        assert (today / f"{name}.br").read_bytes() == (rendered.path / f"{day_page}.br").read_bytes()


def test_blocks_cover_a_span_exactly():
    for start, end in (
        (1_700_000_000, 1_700_086_400),
        (1_700_003_600, 1_700_090_000),
        (1_700_000_100, 1_700_000_300),
    ):
        names = fastpath._blocks(start, end)
        covered = 0
        for name in names:
            size = 10 ** (10 - len(name))
            assert int(name) * size >= start
            assert (int(name) + 1) * size <= end
            covered += size
        assert covered == end - start
        assert len(names) < 60
