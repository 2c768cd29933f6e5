"""The exports served from the release's files: encodings, ETag, 304, caching, versioned addresses,
and the rendering path when the files are missing."""

import gzip

import brotli
import pytest

from podium.interop import exporters
from podium.site import release_files
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("files_on")]


@pytest.fixture
def rendered(program):
    return release_files.render_release(program["event"], program["release"])


def _url(program, name="schedule.xml"):
    return f"/{program['event'].slug}/schedule/export/{name}"


def test_brotli_when_accepted_gzip_else_identity(client, program, rendered):
    xml = exporters.render(program["release"], "frab-xml").content
    answer = client.get(_url(program), headers={"accept-encoding": "gzip, deflate, br"})
    assert answer.status_code == 200
    assert answer["Content-Encoding"] == "br"
    assert brotli.decompress(answer.content) == xml
    assert answer["Vary"] == "Accept-Encoding, Accept-Language"  # LocaleMiddleware adds the language
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert int(answer["Content-Length"]) == len(answer.content)
    answer = client.get(_url(program), headers={"accept-encoding": "gzip"})
    assert answer["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.content) == xml
    answer = client.get(_url(program), headers={"accept-encoding": "br;q=0, identity"})
    assert not answer.has_header("Content-Encoding")
    assert answer.content == xml


def test_etag_is_the_content_hash_and_a_match_gets_304(client, program, rendered):
    answer = client.get(_url(program, "schedule.json"))
    sha = release_files.release_dir(program["event"].slug, program["release"]).files["schedule.json"][
        "sha256"
    ]
    assert answer["ETag"] == f'"{sha[:32]}"'
    assert answer["Cache-Control"] == "public, max-age=60, stale-while-revalidate=600"
    again = client.get(_url(program, "schedule.json"), headers={"if-none-match": answer["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == answer["ETag"]
    other = client.get(_url(program, "schedule.json"), headers={"if-none-match": '"something-else"'})
    assert other.status_code == 200


def test_head_sends_the_headers_without_the_body(client, program, rendered):
    answer = client.head(_url(program), headers={"accept-encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.content == b""
    assert int(answer["Content-Length"]) == (rendered.path / "schedule.xml.gz").stat().st_size


def test_feeds_of_rooms_speakers_and_talks_come_from_the_files(client, program, rendered):
    first = program["release"]
    code = program["alpha"].code
    answer = client.get(f"/{program['event'].slug}/talk/{code}.ics")
    assert answer.status_code == 200
    assert "ETag" in answer
    assert answer.content == exporters.render(first, "ical", talk_code=code).content
    assert answer["Cache-Control"].startswith("public, max-age=60")
    room = first.rooms[0]["uuid"]
    assert client.get(_url(program, f"room/{room}.ics"))["Cache-Control"].startswith("public, max-age=60")
    unknown = client.get(_url(program, "speaker/NOSUCH.ics"))
    assert unknown.status_code == 404


def test_versioned_addresses_are_immutable(client, program, rendered):
    slug = program["event"].slug
    answer = client.get(f"/{slug}/releases/1/schedule.xml", headers={"accept-encoding": "br"})
    assert answer.status_code == 200
    assert "immutable" in answer["Cache-Control"]
    assert brotli.decompress(answer.content) == exporters.render(program["release"], "frab-xml").content
    assert client.get(f"/{slug}/releases/1/pages/talks.html").status_code == 404
    assert client.get(f"/{slug}/releases/1/manifest.json").status_code == 404
    assert client.get(f"/{slug}/releases/9/schedule.xml").status_code == 404
    assert client.get(f"/{slug}/releases/1/../../etc/passwd").status_code == 404


def test_a_versioned_export_without_files_is_rendered_and_still_immutable(client, program):
    slug = program["event"].slug
    answer = client.get(f"/{slug}/releases/1/schedule.json")
    assert answer.status_code == 200
    assert "immutable" in answer["Cache-Control"]
    assert answer.content == exporters.render(program["release"], "frab-json").content
    code = program["alpha"].code
    assert client.get(f"/{slug}/releases/1/talk/{code}.ics").status_code == 200
    assert client.get(f"/{slug}/releases/1/talk/NOSUCH.ics").status_code == 404


def test_missing_files_fall_back_to_rendering_and_ask_for_the_files(client, program, monkeypatch):
    asked = []
    monkeypatch.setattr(release_files, "schedule_render", asked.append)
    answer = client.get(_url(program), headers={"accept-encoding": "gzip"})
    assert answer.status_code == 200
    assert gzip.decompress(answer.content) == exporters.render(program["release"], "frab-xml").content
    assert asked == [program["release"]]
    client.get(_url(program))
    assert len(asked) == 1  # asked once, not on every request


def test_files_of_a_stale_rendering_are_not_served(client, program, rendered):
    """After a person's data was erased the release's fingerprint differs: the old files are left alone."""
    first = program["release"]
    first.fingerprint = "f" * 64
    first.save(update_fields=["fingerprint"])
    answer = client.get(_url(program), headers={"accept-encoding": "gzip"})
    assert answer.status_code == 200
    assert answer.get("Cache-Control") != release_files.LATEST_CACHE_CONTROL


def test_a_hidden_event_answers_404_even_with_files(client, program, rendered):
    event = program["event"]
    event.is_public = False
    event.save()
    for path in (_url(program), f"/{event.slug}/releases/1/schedule.xml", f"/{event.slug}/me.json"):
        assert client.get(path).status_code == 404, path
    assert (
        client.get(f"/{factories.EventFactory.build().slug}-unknown/releases/1/schedule.xml").status_code
        == 404
    )
