"""Public exports over HTTP: the latest release only, conditional requests, CORS, gzip, one rendering."""

import gzip

import pytest
from django.urls import reverse

from podium.attendance.services import set_star
from podium.interop import exporters
from tests import factories
from tests.interop.formats import valid_json, valid_xml, vevents
from tests.program import fill_day, release, speaker_code
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def url(name: str, event, **kwargs) -> str:
    return reverse(f"site:{name}", kwargs={"event": event.slug, **kwargs})


@pytest.mark.parametrize(
    ("name", "content_type", "check"),
    [
        ("export_xml", "application/xml; charset=utf-8", valid_xml),
        ("export_json", "application/json", valid_json),
        ("export_ics", "text/calendar; charset=utf-8", vevents),
    ],
)
def test_export_answers_with_type_cors_and_validators(client, program, name, content_type, check):
    response = client.get(url(name, program["event"]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert check(response.content) is not None


def test_export_answers_304_to_a_matching_etag(client, program):
    first = client.get(url("export_xml", program["event"]))

    again = client.get(url("export_xml", program["event"]), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert again["Access-Control-Allow-Origin"] == "*"


def test_export_answers_304_to_if_modified_since(client, program):
    first = client.get(url("export_json", program["event"]))

    again = client.get(url("export_json", program["event"]), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert again.status_code == 304


def test_export_answers_200_after_a_new_release(client, program):
    event, scheduler = program["event"], program["scheduler"]
    first = client.get(url("export_ics", event))
    fill_day(event, scheduler, 1, day=2)
    release(event, scheduler, name="v2")

    again = client.get(url("export_ics", event), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_export_is_gzipped_when_the_client_accepts_it(client, program):
    plain = client.get(url("export_xml", program["event"]))

    response = client.get(url("export_xml", program["event"]), HTTP_ACCEPT_ENCODING="gzip")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(response.content) == plain.content


def test_export_is_not_found_before_the_first_release(client, event):
    for name in ("export_xml", "export_json", "export_ics"):
        assert client.get(url(name, event)).status_code == 404


def test_export_is_not_found_for_a_non_public_event(client, program):
    event = program["event"]
    event.is_public = False
    event.save(update_fields=["is_public"])

    assert client.get(url("export_xml", event)).status_code == 404


def test_export_renders_once_per_release(client, program, monkeypatch):
    event, scheduler = program["event"], program["scheduler"]
    calls = []
    original = exporters.FORMATS["frab-xml"]
    monkeypatch.setitem(exporters.FORMATS, "frab-xml", lambda r, **o: calls.append(r.pk) or original(r, **o))

    client.get(url("export_xml", event))
    client.get(url("export_xml", event))
    assert len(calls) == 1
    fill_day(event, scheduler, 1, day=2)
    second = release(event, scheduler, name="v2")
    response = client.get(url("export_xml", event))

    assert calls == [program["release"].pk, second.pk]
    assert valid_xml(response.content).findtext("version") == "v2"


def test_schedule_xml_query_count_does_not_grow_with_the_program(client, program):
    event, scheduler = program["event"], program["scheduler"]

    def grow(count):
        fill_day(event, scheduler, count, day=2)
        release(event, scheduler)

    assert_constant_queries(client, url("export_xml", event), grow)


def test_room_feed_holds_that_rooms_sessions(client, program):
    event = program["event"]
    room = event.rooms.get(name="Room 101")

    response = client.get(url("export_room_ics", event, room=room.uuid))

    assert [str(v["SUMMARY"]) for v in vevents(response.content)] == ["Beta talk"]


def test_room_feed_of_an_unknown_room_is_not_found(client, program):
    other = factories.EventFactory().rooms.first()

    assert client.get(url("export_room_ics", program["event"], room=other.uuid)).status_code == 404


def test_speaker_feed_holds_their_sessions(client, program):
    event = program["event"]

    response = client.get(url("export_speaker_ics", event, speaker=speaker_code(program["alpha"])))

    assert sorted(str(v["SUMMARY"]) for v in vevents(response.content)) == [
        "Alpha talk",
        "Gamma talk",
    ]
    assert client.get(url("export_speaker_ics", event, speaker="NOSUCH")).status_code == 404


def test_talk_feed_holds_that_talk(client, program):
    event, beta = program["event"], program["beta"]

    response = client.get(url("export_talk_ics", event, code=beta.code))

    assert [str(v["SUMMARY"]) for v in vevents(response.content)] == ["Beta talk"]
    assert client.get(url("export_talk_ics", event, code="NOSUCH")).status_code == 404


def test_starred_feed_needs_a_log_in(client, program):
    response = client.get(url("export_starred_ics", program["event"]))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_starred_feed_holds_the_visitors_stars_and_is_private(client, program):
    event = program["event"]
    visitor = factories.UserFactory()
    set_star(event=event, user=visitor, code=program["beta"].code, starred=True)
    client.force_login(visitor)

    response = client.get(url("export_starred_ics", event))

    assert [str(v["SUMMARY"]) for v in vevents(response.content)] == ["Beta talk"]
    assert "private" in response["Cache-Control"]
    assert "Access-Control-Allow-Origin" not in response
    set_star(event=event, user=visitor, code=program["gamma"].code, starred=True)
    again = client.get(url("export_starred_ics", event), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 200
    assert len(vevents(again.content)) == 2


def test_schedule_page_links_the_exports(client, program):
    event = program["event"]

    html = client.get(reverse("site:schedule", kwargs={"event": event.slug})).content.decode()

    for name in ("export_ics", "export_xml", "export_json"):
        assert f'href="{url(name, event)}"' in html
    assert url("export_starred_ics", event) not in html
