"""The changelog rules on plain session dicts, without a database."""

import datetime as dt
import zoneinfo

from podium.schedule import changelog


def session(code="AAA", **changes):
    data = {
        "code": code,
        "title": f"Talk {code}",
        "abstract": "Abstract",
        "description": "",
        "start": "2031-05-14T15:00:00+00:00",
        "end": "2031-05-14T15:30:00+00:00",
        "minutes": 30,
        "room_uuid": "room-1",
        "room_name": "Hall A",
        "track_name": "Web",
        "session_type": "Talk",
        "language": "en",
        "speaker_names": ["Ada"],
        "speaker_codes": ["SPK1"],
        "subtitle": "",
        "do_not_record": False,
        "links": [[], [], ""],
    }
    return data | changes


def test_diff_sessions_of_equal_programs_is_empty():
    assert changelog.diff_sessions({"u1": session()}, {"u1": session()}) == []


def test_diff_sessions_reports_a_new_session_with_its_place():
    (change,) = changelog.diff_sessions({}, {"u1": session()})

    assert change == {
        "kind": "new",
        "code": "AAA",
        "title": "Talk AAA",
        "speakers": ["SPK1"],
        "old": None,
        "new": {
            "start": "2031-05-14T15:00:00+00:00",
            "end": "2031-05-14T15:30:00+00:00",
            "room": "Hall A",
            "room_uuid": "room-1",
        },
        "fields": [],
    }


def test_diff_sessions_reports_a_cancelled_session_with_its_old_place():
    (change,) = changelog.diff_sessions({"u1": session()}, {})

    assert (change["kind"], change["old"]["room"], change["new"]) == ("cancelled", "Hall A", None)


def test_diff_sessions_reports_a_time_or_room_change_as_moved():
    later = session(start="2031-05-14T16:00:00+00:00", end="2031-05-14T16:30:00+00:00")
    elsewhere = session(room_uuid="room-2", room_name="Room 101")

    kinds = [changelog.diff_sessions({"u1": session()}, {"u1": new})[0]["kind"] for new in (later, elsewhere)]

    assert kinds == ["moved", "moved"]


def test_diff_sessions_lists_the_changed_fields_in_a_fixed_order():
    new = session(title="New title", speaker_names=["Ada", "Bob"], minutes=45, language="de")

    (change,) = changelog.diff_sessions({"u1": session()}, {"u1": new})

    assert (change["kind"], change["fields"]) == ("changed", ["duration", "title", "speakers", "language"])


def test_diff_sessions_keeps_changed_fields_on_a_moved_session():
    new = session(start="2031-05-15T15:00:00+00:00", end="2031-05-15T15:30:00+00:00", title="Renamed")

    (change,) = changelog.diff_sessions({"u1": session()}, {"u1": new})

    assert (change["kind"], change["fields"], change["title"]) == ("moved", ["title"], "Renamed")


def test_diff_sessions_sorts_by_kind_then_time_then_title():
    old = {"gone": session("GON"), "moved": session("MOV")}
    new = {
        "moved": session("MOV", start="2031-05-14T17:00:00+00:00"),
        "b": session("BBB", title="B", start="2031-05-14T09:00:00+00:00"),
        "a": session("AAA", title="A", start="2031-05-14T09:00:00+00:00"),
        "c": session("CCC", title="0", start="2031-05-14T08:00:00+00:00"),
    }

    order = [(c["kind"], c["code"]) for c in changelog.diff_sessions(old, new)]

    assert order == [("new", "CCC"), ("new", "AAA"), ("new", "BBB"), ("moved", "MOV"), ("cancelled", "GON")]


def test_concerns_speakers_for_every_kind_of_change():
    def change(kind, fields=()):
        return {"kind": kind, "fields": list(fields)}

    answers = [
        changelog.concerns_speakers(c)
        for c in (
            change("new"),
            change("moved"),
            change("cancelled"),
            change("changed", ["duration"]),
            change("changed", ["speakers"]),
            change("changed", ["title", "abstract"]),
        )
    ]

    assert answers == [True, True, True, True, True, True]
    assert not changelog.concerns_speakers({"kind": "unknown", "fields": []})


def test_fingerprint_ignores_key_order_and_sees_values():
    assert changelog.fingerprint({"a": 1, "b": [1, 2]}) == changelog.fingerprint({"b": [1, 2], "a": 1})
    assert changelog.fingerprint({"a": 1}) != changelog.fingerprint({"a": 2})


def test_readable_parses_times_and_labels_kinds():
    (entry,) = changelog.readable(changelog.diff_sessions({}, {"u1": session()}), dt.UTC)

    assert (entry["label"], entry["new"]["start"].hour, entry["old"]) == ("New", 15, None)


def test_a_move_the_clock_does_not_tell_names_the_zones_and_others_none():
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    first = {"start": "2025-10-26T00:30:00+00:00", "end": "2025-10-26T01:00:00+00:00", "room": "A"}
    second = {"start": "2025-10-26T01:30:00+00:00", "end": "2025-10-26T02:00:00+00:00", "room": "A"}
    later = {"start": "2025-10-26T09:00:00+00:00", "end": "2025-10-26T09:30:00+00:00", "room": "A"}

    old, new = changelog.places({"old": first, "new": second}, brussels)
    assert (old["zone"], old["end_zone"], new["zone"], new["end_zone"]) == (" CEST", " CET", " CET", " CET")
    old, new = changelog.places({"old": first, "new": later}, brussels)
    assert old["zone"] == new["zone"] == new["end_zone"] == ""
    assert changelog.places({"old": second, "new": first}, dt.UTC)[1]["zone"] == ""  # UTC repeats no hour
    assert changelog.places({"old": None, "new": first}, brussels) == (
        None,
        {**changelog.parse_place(first), "zone": "", "end_zone": ""},
    )
