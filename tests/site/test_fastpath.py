"""The fast path in front of Django: release files answered from disk with Django's own headers, and
nothing answered that Django would not answer with that file (a hidden event, an erased person, a page
whose menu or sponsors changed, a release whose files are not written yet)."""

import asyncio
import gzip
import json
import os

import pytest
from django.db import transaction

from podium.events import pages as event_pages
from podium.events import services as event_services
from podium.events.models import SessionType
from podium.privacy.erase import erase_person
from podium.site import fastpath, release_files
from podium.sponsors import services as sponsor_services
from podium.sponsors.models import Stage
from tests import factories, sponsoring
from tests.base.test_metrics import TOKEN, scrape, value
from tests.program import release

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_on")]

DJANGO = 599  # what the stand-in for Django answers: the request fell through


@pytest.fixture
def rendered(program, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return release_files.render_release(program["event"], program["release"])


async def _django(scope, receive, send):
    await send({"type": "http.response.start", "status": DJANGO, "headers": []})
    await send({"type": "http.response.body", "body": b""})


class Answer:
    def __init__(self, messages):
        start = messages[0]
        self.status = start["status"]
        self.header_list = [(k.decode(), v.decode()) for k, v in start["headers"]]
        self.headers = {k.lower(): v for k, v in self.header_list}
        self.body = b"".join(m.get("body", b"") for m in messages[1:])
        self.chunks = len(messages) - 1


def call(app, url: str, *, method="GET", **headers) -> Answer:
    path, _, query = url.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", headers.pop("host", "testserver").encode())]
        + [(name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    messages = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        messages.append(message)

    asyncio.run(app(scope, receive, send))
    return Answer(messages)


@pytest.fixture
def app():
    return fastpath.FastPath(_django)


def _django_headers(response) -> list[tuple[str, str]]:
    return [(k, v) for k, v in response.headers.items() if k != "X-Request-ID"]


def _same_as_django(app, client, url, *, method="GET", **headers):
    fast = call(app, url, method=method, **headers)
    assert fast.status != DJANGO, url
    django = getattr(client, method.lower())(url, headers=headers)
    assert [(k, v) for k, v in fast.header_list if k != "X-Request-ID"] == _django_headers(django), url
    assert fast.headers["x-request-id"]
    assert fast.status == django.status_code
    if method == "GET":
        assert fast.body == django.content, url
    return fast


def _urls(program, rendered) -> dict:
    slug = program["event"].slug
    first = program["release"]
    day = first.sessions.order_by("day").first().day.isoformat()
    room = first.rooms[0]["uuid"]
    ada = first.speakers.get(name="Ada Lovelace").code
    return {
        "xml": f"/{slug}/schedule/export/schedule.xml",
        "json": f"/{slug}/schedule/export/schedule.json",
        "ics": f"/{slug}/schedule/export/schedule.ics",
        "talk_ics": f"/{slug}/talk/{program['alpha'].code}.ics",
        "versioned": f"/{slug}/releases/{first.version}/schedule.xml",
        "schedule": f"/{slug}/schedule/",
        "day": f"/{slug}/schedule/?day={day}",
        "list": f"/{slug}/schedule/?day={day}&view=list",
        "room": f"/{slug}/schedule/?day={day}&room={room}",
        "talks": f"/{slug}/talks/",
        "speakers": f"/{slug}/speakers/",
        "talk": f"/{slug}/talk/{program['alpha'].code}/",
        "speaker": f"/{slug}/speaker/{ada}/",
    }


# --- Same answers as Django ------------------------------------------------------------------------


def test_every_file_is_answered_with_djangos_headers_and_bytes(app, client, program, rendered):
    urls = _urls(program, rendered)
    assert call(app, urls["talk_ics"]).status != DJANGO  # the manifest's address (ics of one talk)
    for name, url in urls.items():
        for encoding in ("gzip, deflate, br", "gzip", "identity", "br;q=0, gzip;q=0.5"):
            for method in ("GET", "HEAD"):
                _same_as_django(app, client, url, method=method, accept_encoding=encoding)
        first = _same_as_django(app, client, url, accept_encoding="gzip")
        assert first.headers["content-encoding"] == "gzip", name
        # A client that has the file gets 304, as from Django.
        unchanged = _same_as_django(app, client, url, if_none_match=first.headers["etag"])
        assert unchanged.status == 304


def test_br_when_accepted_the_stored_bytes(app, program, rendered):
    urls = _urls(program, rendered)
    answer = call(app, urls["xml"], accept_encoding="gzip, br")
    assert answer.headers["content-encoding"] == "br"
    assert answer.body == (rendered.path / "schedule.xml.br").read_bytes()
    assert answer.headers["cache-control"] == release_files.LATEST_CACHE_CONTROL
    assert answer.headers["access-control-allow-origin"] == "*"
    versioned = call(app, urls["versioned"], accept_encoding="gzip")
    assert versioned.headers["cache-control"] == release_files.IMMUTABLE_CACHE_CONTROL
    assert gzip.decompress(versioned.body) == (rendered.path / "schedule.xml").read_bytes()


def test_the_schedule_without_a_day_is_the_default_days_file(app, program, rendered):
    urls = _urls(program, rendered)
    assert call(app, urls["schedule"]).body == call(app, urls["day"]).body


# --- Ranges and big files --------------------------------------------------------------------------


def test_a_single_range_of_the_uncompressed_file(app, program, rendered):
    url = _urls(program, rendered)["xml"]
    whole = (rendered.path / "schedule.xml").read_bytes()
    part = call(app, url, range="bytes=10-19")
    assert part.status == 206
    assert part.body == whole[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(whole)}"
    assert part.headers["content-length"] == "10"
    assert call(app, url, range="bytes=-5").body == whole[-5:]
    assert call(app, url, range=f"bytes={len(whole) - 3}-").body == whole[-3:]
    unsatisfiable = call(app, url, range=f"bytes={len(whole)}-")
    assert unsatisfiable.status == 416
    assert unsatisfiable.headers["content-range"] == f"bytes */{len(whole)}"
    # Several ranges, another ETag in If-Range, or a compressed answer: the whole file.
    assert call(app, url, range="bytes=0-1,5-6").body == whole
    assert call(app, url, range="bytes=0-1", if_range='"other"').status == 200
    compressed = call(app, url, range="bytes=0-1", accept_encoding="gzip")
    assert compressed.status == 200
    assert gzip.decompress(compressed.body) == whole


def test_big_files_are_sent_in_chunks(app, program, rendered, monkeypatch):
    monkeypatch.setattr(fastpath, "MEMORY_FILE_LIMIT", 100)
    monkeypatch.setattr(fastpath, "CHUNK", 256)
    url = _urls(program, rendered)["xml"]
    whole = (rendered.path / "schedule.xml").read_bytes()
    answer = call(app, url)
    assert answer.body == whole
    assert answer.chunks == -(-len(whole) // 256)
    assert call(app, url, range="bytes=300-899").body == whole[300:900]


# --- Falling through -------------------------------------------------------------------------------


def test_what_it_is_not_sure_of_goes_to_django(app, program, rendered):
    urls = _urls(program, rendered)
    slug = program["event"].slug
    assert call(app, urls["xml"]).status == 200
    assert call(app, urls["xml"], method="POST").status == DJANGO
    assert call(app, f"/{slug}/schedule/?day=2001-01-01").status == DJANGO  # no such file
    assert call(app, f"/{slug}/schedule/?view=list&day=x").status == DJANGO
    assert call(app, urls["talks"] + "?sort=title").status == DJANGO
    assert call(app, f"/{slug}/talk/{program['alpha'].code.lower()}/").status == DJANGO
    assert call(app, f"/{slug}/releases/{program['release'].version}/pages/talks.html").status == DJANGO
    assert call(app, f"/{slug}/releases/99/schedule.xml").status == DJANGO
    assert call(app, "/unknown-event/schedule/export/schedule.xml").status == DJANGO
    assert call(app, "/static/podium.css").status == DJANGO
    # Django gzips an export itself when gzip is named (even with q=0) and no stored coding fits.
    assert call(app, urls["xml"], accept_encoding="gzip;q=0").status == DJANGO
    # A host Django refuses.
    bad = call(app, urls["xml"], host="evil.example")
    assert bad.status == DJANGO


def test_pages_with_a_session_only_where_django_shares_them(app, program, rendered, settings):
    urls = _urls(program, rendered)
    cookie = f"{settings.SESSION_COOKIE_NAME}=abc; other=1"
    assert call(app, urls["talks"], cookie="other=1").status == 200
    assert call(app, urls["talks"], cookie=cookie).status == 200  # the same file (me.json: the rest)
    assert call(app, urls["talk"], cookie=cookie).status == DJANGO  # their note and feedback forms
    assert call(app, urls["talks"], cookie=f"{cookie}; {fastpath.MESSAGES_COOKIE}=1").status == DJANGO
    assert call(app, urls["talks"], cookie="messages=x").status == DJANGO
    assert call(app, urls["xml"], cookie=f"{fastpath.MESSAGES_COOKIE}=1").status == 200  # no messages there


def test_nothing_without_written_files(app, program):
    assert call(app, f"/{program['event'].slug}/schedule/export/schedule.xml").status == DJANGO


# --- Never what Django would not serve -------------------------------------------------------------


def test_a_hidden_event_is_not_served(
    app, program, rendered, organiser_user, django_capture_on_commit_callbacks
):
    event = program["event"]
    urls = _urls(program, rendered)
    with django_capture_on_commit_callbacks(execute=True):
        event_services.update_event(event=event, by=organiser_user, data={"is_public": False})
    for url in urls.values():
        assert call(app, url).status == DJANGO, url
    assert not (release_files.event_dir(event.slug) / release_files.LATEST).exists()  # nginx too
    with django_capture_on_commit_callbacks(execute=True):
        event_services.update_event(event=event, by=organiser_user, data={"is_public": True})
    assert call(app, urls["xml"]).status == 200
    assert os.readlink(release_files.event_dir(event.slug) / release_files.LATEST) == rendered.path.name


def test_files_pointed_at_after_the_event_was_hidden_are_withdrawn(app, program, rendered):
    """A render that finished after the event was hidden: its end puts the link and state right."""
    event = program["event"]
    type(event).objects.filter(pk=event.pk).update(is_public=False)  # no hook heard this
    release_files._after_render(event)
    assert call(app, f"/{event.slug}/schedule/export/schedule.xml").status == DJANGO
    assert not (release_files.event_dir(event.slug) / release_files.LATEST).exists()


def test_a_new_release_withdraws_the_old_files_at_once(
    app, program, rendered, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(release_files, "schedule_render", lambda release: None)  # not written yet
    urls = _urls(program, rendered)
    assert call(app, urls["xml"]).status == 200
    with django_capture_on_commit_callbacks(execute=True):
        second = release(program["event"], program["scheduler"], name="v2", force=True)
    assert call(app, urls["xml"]).status == DJANGO
    assert call(app, urls["talks"]).status == DJANGO
    assert call(app, urls["versioned"]).status == 200  # release 1's files are still release 1's
    with django_capture_on_commit_callbacks(execute=True):
        release_files.render_release(program["event"], second)
    assert call(app, urls["xml"]).status == 200


def test_an_erased_persons_name_is_not_served(app, program, rendered, django_capture_on_commit_callbacks):
    urls = _urls(program, rendered)
    assert b"Ada Lovelace" in call(app, urls["xml"]).body
    assert b"Ada Lovelace" in call(app, urls["talks"]).body
    with django_capture_on_commit_callbacks(execute=True):
        erase_person(user=program["ada"], by=None)
    for url in urls.values():
        answer = call(app, url)
        assert answer.status == DJANGO or b"Ada Lovelace" not in answer.body, url
    # Written again, without her: served again.
    first = program["release"]
    first.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        release_files.render_release(program["event"], first)
    answer = call(app, urls["xml"])
    assert answer.status == 200
    assert b"Ada Lovelace" not in answer.body


def test_files_of_an_old_fingerprint_are_not_served(app, program, rendered):
    """Files written from a release as it was before a person was erased (a render that ran meanwhile)."""
    urls = _urls(program, rendered)
    state = fastpath.state_path(program["event"].slug)
    data = json.loads(state.read_text())
    data["releases"][str(program["release"].version)][1] = "another fingerprint"
    state.write_text(json.dumps(data))
    assert call(app, urls["xml"]).status == DJANGO
    assert call(app, urls["versioned"]).status == DJANGO


def test_publishing_an_information_page_stops_the_stale_pages(
    app, program, rendered, organiser_user, django_capture_on_commit_callbacks
):
    urls = _urls(program, rendered)
    assert call(app, urls["talks"]).status == 200
    with django_capture_on_commit_callbacks(execute=True):
        event_pages.save_page(
            event=program["event"],
            by=organiser_user,
            data={"title": "Venue", "body": "Here", "state": "published"},
        )
    for name in ("talks", "talk", "schedule", "speaker"):
        assert call(app, urls[name]).status == DJANGO, name
    assert call(app, urls["xml"]).status == 200  # the exports do not show the menu
    fresh = type(program["event"]).objects.get(pk=program["event"].pk)  # as a render loads it
    with django_capture_on_commit_callbacks(execute=True):
        written = release_files.render_release(fresh, program["release"])
    answer = call(app, urls["talks"])
    assert answer.status == 200
    assert b"Venue" in answer.body
    assert answer.body == (written.path / "pages/talks.html").read_bytes()


def test_a_sponsor_change_stops_the_stale_pages(app, program, rendered, django_capture_on_commit_callbacks):
    event = program["event"]
    manager = factories.team_member(event, name="Sponsors", can_manage_sponsors=True)
    urls = _urls(program, rendered)
    with django_capture_on_commit_callbacks(execute=True):
        sponsorship = sponsoring.organisation(event, manager, "Shiny Corp")
    assert call(app, urls["talks"]).status == 200  # a prospect shows nowhere
    with django_capture_on_commit_callbacks(execute=True):
        sponsor_services.move_stage(sponsorship=sponsorship, stage=Stage.COMMITTED, by=manager)
    assert call(app, urls["talks"]).status == DJANGO
    assert call(app, urls["speaker"]).status == DJANGO
    with django_capture_on_commit_callbacks(execute=True):
        written = release_files.render_release(event, program["release"])
    assert written.path != rendered.path
    assert call(app, urls["talks"]).body == (written.path / "pages/talks.html").read_bytes()


def test_seats_and_shared_notes_keep_schedule_and_talk_pages_with_django(
    app, program, rendered, django_capture_on_commit_callbacks
):
    urls = _urls(program, rendered)
    with django_capture_on_commit_callbacks(execute=True):
        SessionType.objects.create(
            event=program["event"], name="Workshop", duration_minutes=90, requires_seat=True, seats=10
        )
    assert call(app, urls["schedule"]).status == DJANGO
    assert call(app, urls["room"]).status == DJANGO
    assert call(app, urls["talk"]).status == DJANGO
    assert call(app, urls["talks"]).status == 200
    assert call(app, urls["speaker"]).status == 200


def test_writes_in_a_transaction_that_rolls_back_change_nothing(app, program, rendered, organiser_user):
    urls = _urls(program, rendered)

    def hide_then_fail():
        with transaction.atomic():
            event_services.update_event(event=program["event"], by=organiser_user, data={"is_public": False})
            raise RuntimeError

    with pytest.raises(RuntimeError):
        hide_then_fail()
    assert call(app, urls["xml"]).status == 200


def test_answers_are_counted_by_kind(app, program, rendered, settings, client):
    settings.PODIUM_METRICS_TOKEN = TOKEN
    settings.PODIUM_METRICS_ALLOW = []
    settings.PODIUM_METRICS = True
    counted = fastpath.FastPath(_django)
    urls = _urls(program, rendered)
    before = scrape(client)
    call(counted, urls["xml"])
    call(counted, urls["talks"])
    call(counted, urls["talks"], if_none_match=call(counted, urls["talks"]).headers["etag"])
    after = scrape(client)
    name = "podium_fastpath_responses_total"
    assert (
        value(after, name, kind="export", status="200") - value(before, name, kind="export", status="200")
        == 1
    )
    assert value(after, name, kind="page", status="200") - value(before, name, kind="page", status="200") == 2
    assert value(after, name, kind="page", status="304") - value(before, name, kind="page", status="304") == 1


def test_lifespan_is_answered(app):
    sent = []
    incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])

    async def receive():
        return next(incoming)

    async def send(message):
        sent.append(message["type"])

    asyncio.run(app({"type": "lifespan"}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_the_header_memos_stay_bounded_and_decide_as_before(app, program, rendered, monkeypatch):
    """The codings and languages chosen per header value are remembered, never more than MEMO_LIMIT of
    each: a client sending a new value with every request cannot grow them, and answers stay right."""
    monkeypatch.setattr(fastpath, "MEMO_LIMIT", 3)
    urls = _urls(program, rendered)
    for n in range(10):
        answer = call(app, urls["xml"], accept_encoding=f"gzip;q=0.{n + 1}, br;q=0")
        assert answer.headers["content-encoding"] == "gzip"
        assert len(app.encodings) <= 3
    answer = call(app, urls["xml"], accept_encoding="identity")
    assert "content-encoding" not in answer.headers
    assert answer.body == (rendered.path / "schedule.xml").read_bytes()
