"""After `erase_person`, no personal value of that person remains anywhere Podium keeps data: any
column of any table (released snapshots, outbox, audit log, webhook bodies, import keys, log-in
records included), any file under the data directory or MEDIA_ROOT, any cached page or export."""

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from podium.privacy.erase import WITHDRAWN_SPEAKER, erase_person
from tests.factories import PASSWORD
from tests.personal import EMAIL, FRAGMENTS, TITLE, build_person

pytestmark = pytest.mark.django_db


def _public_urls(person) -> list[str]:
    slug, code = person.event.slug, person.proposal.code
    speaker = person.event.speaker_profiles.get(user=person.user).code
    room = person.event.rooms.get(name="Hall A").uuid
    return [
        f"/{slug}/",
        f"/{slug}/schedule/",
        f"/{slug}/schedule/?view=list",
        f"/{slug}/talks/",
        f"/{slug}/talk/{code}/",
        f"/{slug}/speakers/",
        f"/{slug}/speaker/{speaker}/",
        f"/{slug}/releases/",
        f"/{slug}/rooms/now",
        f"/{slug}/schedule/export/schedule.xml",
        f"/{slug}/schedule/export/schedule.json",
        f"/{slug}/schedule/export/schedule.ics",
        f"/{slug}/schedule/export/room/{room}.ics",
        f"/{slug}/schedule/export/speaker/{speaker}.ics",
        f"/{slug}/talk/{code}.ics",
        f"/api/v1/events/{slug}/speakers",
        f"/api/v1/events/{slug}/speakers/{speaker}",
        f"/api/v1/events/{slug}/sessions",
        f"/api/v1/events/{slug}/sessions/{code}",
        f"/api/v1/events/{slug}/schedule",
        f"/api/v1/events/{slug}/releases",
    ]


def _fetch_all(urls) -> dict[str, str]:
    """Each page as an anonymous visitor sees it (the visitor the page cache serves)."""
    client = Client()
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode("utf-8", errors="replace")
    return pages


def _found(text: str) -> list[str]:
    lowered = text.lower()
    return [fragment for fragment in FRAGMENTS if fragment in lowered]


def _rows_naming_the_person() -> list[str]:
    """ "table.column" of every stored value, in every table of the database, that holds a fragment."""
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(include_views=False):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - introspected names
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("utf-8", errors="replace")
                    if value is not None and _found(str(value)):
                        hits.append(f"{table}.{column}: {str(value)[:80]!r}")
    return hits


def _files_naming_the_person(folders, photo_digest: str) -> list[str]:
    hits = []
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if not path.is_file():
                continue
            content = path.read_bytes()
            if _found(path.name) or _found(content.decode("utf-8", errors="replace")):
                hits.append(str(path))
            if hashlib.sha256(content).hexdigest() == photo_digest:
                hits.append(f"{path} (the photo)")
    return hits


@pytest.fixture
def person(event, organiser_user, settings):
    settings.PODIUM_DELIVER_WEBHOOKS_ON_COMMIT = False
    found = build_person(event, organiser_user)
    client = Client()  # log-in records: one failure, one success
    client.post("/accounts/login/", {"username": EMAIL, "password": "wrong"})
    client.post("/accounts/login/", {"username": EMAIL, "password": PASSWORD})
    return found


def test_before_erasure_the_scan_finds_the_person_everywhere(person):
    pages = _fetch_all(_public_urls(person))
    digest = hashlib.sha256(person.photo_bytes).hexdigest()

    assert "Quorble" in pages[f"/{person.event.slug}/speakers/"]
    assert any("axes_" in hit for hit in _rows_naming_the_person())
    assert any("outbox" in hit for hit in _rows_naming_the_person())
    assert _files_naming_the_person([settings.MEDIA_ROOT], digest) != []


def test_after_erasure_no_personal_value_remains_anywhere(person, django_capture_on_commit_callbacks):
    urls = _public_urls(person)
    _fetch_all(urls)  # fill the page and export caches with the name
    digest = hashlib.sha256(person.photo_bytes).hexdigest()

    with django_capture_on_commit_callbacks(execute=True):
        erase_person(user=person.user, by=None)

    assert _rows_naming_the_person() == []
    assert _files_naming_the_person([settings.MEDIA_ROOT, settings.DATA_DIR], digest) == []
    pages = _fetch_all(urls)
    assert {url: _found(page) for url, page in pages.items() if _found(page)} == {}
    assert WITHDRAWN_SPEAKER in pages[f"/{person.event.slug}/speakers/"]
    assert TITLE in pages[f"/{person.event.slug}/talk/{person.proposal.code}/"]
