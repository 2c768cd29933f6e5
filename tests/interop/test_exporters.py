"""Exports of a small released program: valid against the format definitions, stable identities."""

import datetime as dt
import re
import uuid
from types import SimpleNamespace

import pytest

from podium.interop import exporters
from podium.interop.exporters import common
from podium.interop.exporters.csv import safe_cell
from tests import factories
from tests.interop.formats import valid_json, valid_xml, vevents
from tests.program import at, cancel, place, placed_talk, release, rename, speaker_code

pytestmark = pytest.mark.django_db


def xml_of(release_):
    return exporters.render(release_, "frab-xml").content


def events_by_title(root) -> dict:
    return {event.findtext("title"): event for event in root.iter("event")}


# --- frab XML --------------------------------------------------------------------------------------


def test_frab_xml_validates_against_the_xsd(small_program):
    root = valid_xml(xml_of(small_program["release"]))

    assert root.findtext("version") == "v1"
    assert set(events_by_title(root)) == {"Alpha talk", "Beta talk", "Gamma late talk"}


def test_frab_xml_has_conference_within_the_first_kilobyte(small_program):
    head = xml_of(small_program["release"])[:1024].decode("utf-8", "ignore")

    assert "<schedule" in head
    assert "<conference" in head
    assert head.index("<generator") < head.index("<version") < head.index("<conference")


def test_frab_xml_conference_fields(small_program, settings):
    event = small_program["event"]
    conference = valid_xml(xml_of(small_program["release"])).find("conference")

    assert conference.findtext("acronym") == event.slug.replace("-", "_")
    assert conference.findtext("time_zone_name") == "America/Chicago"
    assert conference.findtext("base_url") == settings.BASE_URL + "/"
    assert conference.findtext("days") == "3"
    tracks = {track.get("name"): track.get("color") for track in conference.findall("track")}
    assert tracks == {"Web": "#1f6feb", "Data": "#2e7d32"}


def test_frab_xml_lists_every_day_with_offsets_even_empty_ones(small_program):
    event = small_program["event"]
    days = valid_xml(xml_of(small_program["release"])).findall("day")

    assert [day.get("index") for day in days] == ["1", "2", "3"]
    assert [day.get("date") for day in days] == [d.isoformat() for d in event.days]
    for day in days:
        assert re.search(r"T04:00:00[+-]\d\d:\d\d$", day.get("start")), day.get("start")
        assert re.search(r"T04:00:00[+-]\d\d:\d\d$", day.get("end")), day.get("end")
    assert [len(list(day.iter("event"))) for day in days] == [3, 0, 0]  # Gamma at 01:00 is day one's


def test_frab_xml_events_carry_identity_time_and_people(small_program):
    event, alpha = small_program["event"], small_program["alpha"]
    root = valid_xml(xml_of(small_program["release"]))
    element = events_by_title(root)["Alpha talk"]
    slot = alpha.slot

    assert element.get("guid") == str(slot.uuid)
    assert element.get("id") == str(slot.pk)
    assert element.get("code") == alpha.code
    assert element.getparent().get("guid") == str(event.rooms.get(name="Hall A").uuid)
    assert element.getparent().get("name") == element.findtext("room") == "Hall A"
    assert element.find("room").get("name") is None  # ConfClerk takes any room with a name for a room
    assert element.findtext("date") == at(event, 10).isoformat()
    assert element.findtext("start") == "10:00"
    assert element.findtext("duration") == "00:30"
    assert element.findtext("url").endswith(f"/{event.slug}/talk/{alpha.code}/")
    assert [person.text for person in element.iter("person")] == ["Ada Lovelace", "Bob Babbage"]
    assert all(person.get("guid") and person.get("id") for person in element.iter("person"))
    assert element.find("recording/optout").text == "false"


def test_frab_xml_ids_are_unique_positive_and_durations_hh_mm(small_program):
    root = valid_xml(xml_of(small_program["release"]))
    ids = [int(event.get("id")) for event in root.iter("event")]

    assert len(ids) == len(set(ids)) == 3
    assert all(value > 0 for value in ids)
    for duration in root.iter("duration"):
        hours, minutes = duration.text.split(":")
        assert (len(hours), len(minutes)) == (2, 2)
        assert int(hours) < 24


def test_frab_xml_leaves_breaks_out(small_program):
    root = valid_xml(xml_of(small_program["release"]))

    assert "Lunch" not in {event.findtext("title") for event in root.iter("event")}


def test_frab_xml_links_have_no_child_elements(small_program):
    root = valid_xml(xml_of(small_program["release"]))

    assert all(len(link) == 0 for link in root.iter("link", "attachment"))


def test_frab_xml_guids_and_ids_survive_a_new_release(small_program):
    event, by = small_program["event"], small_program["by"]
    before = events_by_title(valid_xml(xml_of(small_program["release"])))
    place(event, small_program["alpha"], "Room 101", at(event, 15), by)
    rename(small_program["beta"], "Beta talk", by)
    second = release(event, by, name="v2")

    after = events_by_title(valid_xml(xml_of(second)))

    assert {t: (e.get("guid"), e.get("id")) for t, e in after.items()} == {
        t: (e.get("guid"), e.get("id")) for t, e in before.items()
    }
    assert after["Alpha talk"].findtext("start") == "15:00"


def test_frab_xml_cleans_characters_xml_cannot_carry(small_program):
    event, by = small_program["event"], small_program["by"]
    placed_talk(event, "Bell\x07 talk", "Room 101", at(event, 14), by, abstract="tab\there\x0bvt")
    second = release(event, by, name="v2")

    titles = {event.findtext("title") for event in valid_xml(xml_of(second)).iter("event")}

    assert "Bell talk" in titles


def test_frab_xml_caps_very_long_sessions_below_a_day(small_program):
    event, by = small_program["event"], small_program["by"]
    slot = small_program["beta"].slot
    slot.end = slot.start + dt.timedelta(hours=30)
    slot.save(update_fields=["end"])
    second = release(event, by, name="v2")

    element = events_by_title(valid_xml(xml_of(second)))["Beta talk"]

    assert element.findtext("duration") == "23:59"


# --- frab JSON -------------------------------------------------------------------------------------


def test_frab_json_validates_against_the_schema(small_program):
    document = valid_json(exporters.render(small_program["release"], "frab-json").content)

    conference = document["schedule"]["conference"]
    assert conference["daysCount"] == 3
    assert [day["index"] for day in conference["days"]] == [1, 2, 3]
    assert set(conference["days"][0]["rooms"]) == {"Hall A", "Room 101"}
    alpha = conference["days"][0]["rooms"]["Hall A"][0]
    assert alpha["guid"] == str(small_program["alpha"].slot.uuid)
    assert [person["name"] for person in alpha["persons"]] == ["Ada Lovelace", "Bob Babbage"]
    assert {room["guid"] for room in conference["rooms"]} == {
        str(room.uuid) for room in small_program["event"].rooms.all()
    }


def test_frab_json_and_xml_agree_on_identity(small_program):
    root = valid_xml(xml_of(small_program["release"]))
    document = valid_json(exporters.render(small_program["release"], "frab-json").content)
    json_events = [
        event
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
    ]

    assert {(e["guid"], e["id"], e["slug"]) for e in json_events} == {
        (e.get("guid"), int(e.get("id")), e.findtext("slug")) for e in root.iter("event")
    }


# --- iCal ------------------------------------------------------------------------------------------


def ical_of(release_, **options) -> dict:
    return {str(v["SUMMARY"]): v for v in vevents(exporters.render(release_, "ical", **options).content)}


def test_ical_has_one_vevent_per_session_with_what_apps_need(small_program, settings):
    event = small_program["event"]
    feed = ical_of(small_program["release"])

    assert set(feed) == {
        "Alpha talk",
        "Beta talk",
        "Gamma late talk",
    }
    alpha = feed["Alpha talk"]
    assert str(alpha["UID"]) == f"{small_program['alpha'].slot.uuid}@{settings.SITE_HOST}"
    assert str(alpha["LOCATION"]) == "Hall A"
    assert alpha.decoded("DTSTART") == at(event, 10)
    assert alpha.decoded("DTSTART").utcoffset() == dt.timedelta(0)  # written in UTC
    assert alpha.decoded("DTEND") == at(event, 10, 30)
    assert str(alpha["URL"]).endswith(f"/talk/{small_program['alpha'].code}/")
    assert str(alpha["STATUS"]) == "CONFIRMED"
    assert alpha["SEQUENCE"] == 0


def test_ical_uid_is_stable_and_sequence_rises_after_a_move(small_program):
    event, by = small_program["event"], small_program["by"]
    first = ical_of(small_program["release"])["Beta talk"]
    place(event, small_program["beta"], "Room 101", at(event, 16), by)
    second_release = release(event, by, name="v2")
    placed_talk(event, "Delta talk", "Hall A", at(event, 14), by)
    third_release = release(event, by, name="v3")

    second = ical_of(second_release)["Beta talk"]
    third = ical_of(third_release)["Beta talk"]

    assert str(first["UID"]) == str(second["UID"]) == str(third["UID"])
    assert (first["SEQUENCE"], second["SEQUENCE"], third["SEQUENCE"]) == (0, 1, 1)
    assert second.decoded("DTSTART") == at(event, 16)


def test_ical_keeps_a_cancelled_session_with_status_cancelled(small_program):
    event, by = small_program["event"], small_program["by"]
    beta = small_program["beta"]
    uid = str(ical_of(small_program["release"])["Beta talk"]["UID"])
    cancel(beta, by)
    second = release(event, by, name="v2")

    cancelled = ical_of(second)["Beta talk"]

    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == uid
    assert str(cancelled["LOCATION"]) == "Room 101"
    assert cancelled.decoded("DTSTART") == at(event, 10)
    assert cancelled["SEQUENCE"] == 1
    placed_talk(event, "Delta talk", "Hall A", at(event, 14), by)
    third = release(event, by, name="v3")
    assert "Beta talk" not in ical_of(third)  # cancelled two releases ago: gone


def test_ical_feeds_for_a_room_a_speaker_a_talk_and_stars(small_program):
    event, first = small_program["event"], small_program["release"]
    alpha, beta = small_program["alpha"], small_program["beta"]
    room_101 = str(event.rooms.get(name="Room 101").uuid)
    ada = speaker_code(alpha)

    assert set(ical_of(first, room_uuid=room_101)) == {"Beta talk"}
    assert set(ical_of(first, speaker_code=ada)) == {
        "Alpha talk",
        "Gamma late talk",
    }
    assert set(ical_of(first, talk_code=beta.code)) == {"Beta talk"}
    assert set(ical_of(first, codes={alpha.code})) == {"Alpha talk"}
    assert ical_of(first, codes=set()) == {}


def test_ical_feed_name_with_a_line_break_stays_one_line(small_program):
    event, first = small_program["event"], small_program["release"]
    event.name = "PyCon\r\nBcc: someone@example.org"
    event.save(update_fields=["name"])
    room = event.rooms.get(name="Room 101")
    room.name = "Room\n101"
    room.save(update_fields=["name"])
    body = exporters.render(type(first).objects.get(pk=first.pk), "ical").content.decode()
    name_lines = [line for line in body.split("\r\n") if line.startswith("X-WR-CALNAME")]
    assert name_lines == ["X-WR-CALNAME:PyCon Bcc: someone@example.org"]
    assert not any(line.startswith("Bcc") for line in body.split("\r\n"))
    assert vevents(body)


# --- CSV, the cache, errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("plain", "plain"),
        (30, "30"),
    ],
)
def test_safe_cell_quotes_what_a_spreadsheet_would_evaluate(value, expected):
    assert safe_cell(value) == expected


def test_sessions_csv_lists_released_sessions_with_local_times(small_program):
    event = small_program["event"]
    placed_talk(event, '=HYPERLINK("x")', "Room 101", at(event, 14), small_program["by"])
    second = release(event, small_program["by"], name="v2")

    lines = exporters.render(second, "sessions-csv").content.decode().splitlines()

    assert (
        lines[0] == "code,title,speakers,track,type,room,start,end,duration_minutes,language,state,abstract,"
        "do_not_record,links,speaker_codes,attachments,video_url"
    )
    alpha = next(line for line in lines if "Alpha talk" in line)
    assert f"{at(event, 10).isoformat()},{at(event, 10, 30).isoformat()},30" in alpha
    assert ",confirmed," in alpha
    assert any(line.split(",")[1].startswith("\"'=HYPERLINK") for line in lines[1:])


def test_speakers_csv_lists_speakers_with_email_and_sessions(small_program):
    alpha = small_program["alpha"]
    ada = alpha.speakers.get(name="Ada Lovelace")

    lines = exporters.render(small_program["release"], "speakers-csv").content.decode().splitlines()

    assert lines[0] == "code,name,email,sessions"
    ada_line = next(line for line in lines if "Ada Lovelace" in line)
    assert ada.email in ada_line
    assert alpha.code in ada_line
    assert small_program["gamma"].code in ada_line


def test_render_refuses_an_unknown_format(small_program):
    with pytest.raises(exporters.UnknownFormat, match="frab-xml"):
        exporters.render(small_program["release"], "pdf")


def test_cached_renders_once_per_release_and_options(small_program, monkeypatch):
    calls = []
    original = exporters.FORMATS["ical"]
    monkeypatch.setitem(exporters.FORMATS, "ical", lambda r, **o: calls.append(o) or original(r, **o))
    first = small_program["release"]

    one = exporters.cached(first, "ical")
    two = exporters.cached(first, "ical")
    exporters.cached(first, "ical", codes={small_program["alpha"].code})

    assert one == two
    assert len(calls) == 2


def test_export_identity_does_not_depend_on_option_order(small_program):
    first = small_program["release"]

    assert exporters.export_key(first, "ical", codes={"A", "B"}) == exporters.export_key(
        first, "ical", codes={"B", "A"}
    )
    assert exporters.export_key(first, "ical", codes={"A"}) != exporters.export_key(
        first, "ical", codes=set()
    )


def test_person_guids_are_uuids_stable_per_speaker(small_program):
    root = valid_xml(xml_of(small_program["release"]))
    people = list(root.iter("person"))
    guids: dict[str, set] = {}
    for person in people:
        guids.setdefault(person.text, set()).add(person.get("guid"))

    assert len(people) == 4
    assert guids.keys() == {"Ada Lovelace", "Bob Babbage"}
    assert all(len(values) == 1 for values in guids.values())  # the same guid in each of their sessions
    assert all(uuid.UUID(value) for values in guids.values() for value in values)


def test_exports_of_an_event_without_tracks_colours_stay_valid(event, scheduler):
    event.tracks.update(colour="")
    placed_talk(event, "Solo talk", "Hall A", at(event, 10), scheduler, speakers=[factories.UserFactory()])
    first = release(event, scheduler, name="v1")

    valid_xml(xml_of(first))
    valid_json(exporters.render(first, "frab-json").content)


@pytest.mark.parametrize("name", ["muc-about_future", "Web", "42 things", "_", "Ωmega", "A"])
def test_track_slug_matches_the_schedule_xsd(name):
    assert re.fullmatch(r"[a-z][a-z0-9-]+", common.track_slug(name))
    assert re.fullmatch(r"^[a-z0-9_-]+[a-z0-9]$", common.track_slug(name))


@pytest.mark.parametrize("title", ["Go", "AI", "", "日本語のトーク", "A very long title " * 10])
def test_session_slug_matches_the_schedule_xsd(title, event):
    session = SimpleNamespace(title=title, slot_id=123456)
    assert re.fullmatch(r"[a-z0-9_]{4,}-[0-9]{1,6}-[a-z0-9\-_]{4,}", common.session_slug(event, session))


def test_ical_description_is_plain_text_when_the_abstract_is_html(small_program):
    event, by = small_program["event"], small_program["by"]
    placed_talk(
        event, "Html talk", "Room 101", at(event, 14), by,
        abstract="<p>Hello <b>world</b> &amp; friends</p><ul><li>one</li><li>two</li></ul><script>x()</script>",
    )  # fmt: skip
    placed_talk(event, "Markdown talk", "Room 101", at(event, 15), by, abstract="Plain **Markdown** & a < b")
    feed = {key.split(" - ")[0]: vevent for key, vevent in ical_of(release(event, by)).items()}

    html, markdown = str(feed["Html talk"]["DESCRIPTION"]), str(feed["Markdown talk"]["DESCRIPTION"])
    assert html.split("\n\n", 1)[1] == "Hello world & friends\n- one\n- two"  # after the speakers line
    assert markdown.split("\n\n", 1)[1] == "Plain **Markdown** & a < b"
