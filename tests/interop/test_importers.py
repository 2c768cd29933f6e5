"""The parsers: lenient values, file-format quirks, and references to where each record is."""

import codecs
import datetime as dt
import zoneinfo

import pytest

from podium.interop.importers import ImportRefused, detect, read_program, values
from podium.interop.services import import_program
from podium.proposals.models import Proposal
from tests import factories


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("00:25", 25),
        ("01:30", 90),
        ("1:30:00", 90),
        ("135.0:00", 8100),
        ("45", 45),
        (45, 45),
        ("PT1H15M", 75),
        ("", None),
        ("soon", None),
        (None, None),
    ],
)
def test_duration_minutes_reads_every_shape(text, minutes):
    assert values.duration_minutes(text) == minutes


def test_duration_minutes_day_hour_minute_when_asked():
    assert values.duration_minutes("1:02:00", three_part="dhm") == 1440 + 120


def test_moment_reads_offsets_and_uses_the_files_zone_without_one():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    assert values.moment("2025-02-01T10:35:00+01:00", None) == dt.datetime(2025, 2, 1, 9, 35, tzinfo=dt.UTC)
    assert values.moment("2025-02-01T10:35:00Z", None) == dt.datetime(2025, 2, 1, 10, 35, tzinfo=dt.UTC)
    assert values.moment("2025-08-01T10:35:00", berlin) == dt.datetime(2025, 8, 1, 8, 35, tzinfo=dt.UTC)
    assert values.moment("not a date", berlin) is None


def test_minutes_between_times_of_one_zone_counts_the_hour_the_clocks_skip():
    """01:30 to 03:30 in Brussels on 30 March 2025 (clocks go from 02:00 to 03:00) is one hour; 01:30 to
    02:30 on 26 October (03:00 back to 02:00, the first 02:30) is one hour as well."""
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    spring = values.moment("2025-03-30T01:30:00", brussels), values.moment("2025-03-30T03:30:00", brussels)
    assert values.minutes_between(*spring) == 60
    autumn = values.moment("2025-10-26T01:30:00", brussels), values.moment("2025-10-26T02:30:00", brussels)
    assert values.minutes_between(*autumn) == 60
    assert values.minutes_between(spring[0], dt.datetime(2025, 3, 30, 3, 30)) is None  # one without a zone


def test_a_frab_session_across_the_night_the_clocks_go_forward_keeps_its_real_length():
    """A frab file that gives <end> instead of <duration> and names its zone: the session from 01:30 to
    03:30 on the night the clocks go forward lasts an hour, not two."""
    frab = b"""<?xml version="1.0" encoding="utf-8"?>
<schedule><conference><acronym>dst</acronym><title>DST Conf</title><start>2025-03-29</start>
  <end>2025-03-30</end><time_zone_name>Europe/Brussels</time_zone_name></conference>
  <day date="2025-03-30" index="2"><room name="Hall">
    <event id="1"><date>2025-03-30T01:30:00</date><start>01:30</start><end>2025-03-30T03:30:00</end>
      <room>Hall</room><title>Night owls</title></event>
  </room></day></schedule>"""

    (session,) = read_program(frab).sessions

    assert session.start == dt.datetime(2025, 3, 30, 0, 30, tzinfo=dt.UTC)
    assert session.duration_minutes == 60


BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
# Files that name no zone: 01:30 to 03:30 on 30 March 2025, the night Brussels' clocks go forward.
NIGHT_FILES = {
    "sessions-csv": b"title,start,end,room\nNight owls,2025-03-30T01:30:00,2025-03-30T03:30:00,Hall\n",
    "ical": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VEVENT\r\nUID:night-1\r\n"
    b"DTSTART:20250330T013000\r\nDTEND:20250330T033000\r\nSUMMARY:Night owls\r\nLOCATION:Hall\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n",
    "frab-xml": b"""<?xml version="1.0" encoding="utf-8"?>
<schedule><conference><acronym>dst</acronym><title>DST Conf</title></conference>
  <day date="2025-03-30" index="1"><room name="Hall">
    <event id="1"><date>2025-03-30T01:30:00</date><start>01:30</start><end>2025-03-30T03:30:00</end>
      <room>Hall</room><title>Night owls</title></event>
  </room></day></schedule>""",
    "frab-xml clock end": b"""<?xml version="1.0" encoding="utf-8"?>
<schedule><conference><acronym>dst</acronym><title>DST Conf</title></conference>
  <day date="2025-03-30" index="1"><room name="Hall">
    <event id="1"><date>2025-03-30T01:30:00</date><start>01:30</start><end>03:30</end>
      <room>Hall</room><title>Night owls</title></event>
  </room></day></schedule>""",
    "pretalx-api": b"""{"count": 1, "next": null, "results": [{"code": "NIGHT1", "title": "Night owls",
  "state": "confirmed", "slots": [{"start": "2025-03-30T01:30:00", "end": "2025-03-30T03:30:00",
  "room": {"en": "Hall"}}]}]}""",
}


@pytest.mark.parametrize("name", NIGHT_FILES)
def test_wall_clock_times_across_the_night_the_clocks_go_forward_last_their_real_length(name):
    """A file without a zone gives 01:30 to 03:30 on the night the clocks go forward: read in Brussels,
    the session lasts an hour (it was two: the length was taken on the clock face before the zone was
    known)."""
    program = read_program(NIGHT_FILES[name])
    (session,) = program.sessions
    assert session.start.tzinfo is None  # the zone is not known yet

    program.localize(BRUSSELS)

    assert session.start.astimezone(dt.UTC) == dt.datetime(2025, 3, 30, 0, 30, tzinfo=dt.UTC)
    assert session.duration_minutes == 60


def test_an_ical_duration_stays_the_real_length_it_gives():
    """DURATION is an exact length (RFC 5545): PT2H from 01:30 on that night is two hours, to 04:30."""
    program = read_program(NIGHT_FILES["ical"].replace(b"DTEND:20250330T033000", b"DURATION:PT2H"))

    program.localize(BRUSSELS)

    assert program.sessions[0].duration_minutes == 120


def test_an_import_in_the_events_zone_places_a_night_session_for_its_real_length(db):
    """Through the import service into an event in Brussels: the session ends at 03:30 local time."""
    event = factories.EventFactory(
        slug="dst", timezone="Europe/Brussels", date_from=dt.date(2025, 3, 29), date_to=dt.date(2025, 3, 30)
    )
    scheduler = factories.team_member(event, can_schedule=True, can_edit_event=True)

    report = import_program(data=NIGHT_FILES["sessions-csv"], event=event, by=scheduler)

    assert report.created
    slot = event.slots.get(proposal__title="Night owls")
    assert slot.start.astimezone(BRUSSELS).strftime("%H:%M") == "01:30"
    assert slot.end.astimezone(BRUSSELS).strftime("%H:%M") == "03:30"
    assert slot.end - slot.start == dt.timedelta(hours=1)


OLD_FRAB = b"""<?xml version="1.0" encoding="utf-8"?>
<schedule>
  <conference><acronym>night</acronym><title>Night Conf</title><start>2025-05-01</start>
    <end>2025-05-02</end><day_change>06:00</day_change><time_zone_name>Europe/Berlin</time_zone_name>
  </conference>
  <day date="2025-05-01" index="1">
    <room name="Hall">
      <event id="10"><start>23:30</start><duration>01:00</duration><room>Hall</room><title>Late</title>
        <persons><person id="1">Ann</person></persons></event>
      <event id="11"><start>01:00</start><duration>0:45:00</duration><room>Hall</room><title>After midnight</title></event>
      <event id="11"><start>03:00</start><duration>00:30</duration><room>Hall</room><title>Same id</title></event>
    </room>
  </day>
  <day date="2025-05-02" index="2"></day>
</schedule>"""


def test_frab_xml_without_timestamps_uses_day_date_and_day_change():
    program = read_program(OLD_FRAB)
    late, after, _same = program.sessions
    assert program.day_start_hour == 6
    assert late.start == dt.datetime(2025, 5, 1, 23, 30, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert after.start == dt.datetime(2025, 5, 2, 1, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Berlin"))
    assert after.duration_minutes == 45
    assert late.ref == "line 8 <event>"
    assert [p.name for p in late.persons] == ["Ann"]


def test_a_repeated_id_at_another_time_is_a_session_of_its_own(db):
    factories.OrganiserFactory()
    report = import_program(data=OLD_FRAB, by=None)
    assert report.counts["session"]["created"] == 3
    assert not report.skips
    assert "“Same id” (line 11 <event>) repeats the id of an earlier session" in report.text
    titles = sorted(Proposal.objects.filter(event__slug="night").values_list("title", flat=True))
    assert titles == ["After midnight", "Late", "Same id"]


def test_schedule_json_refs_are_json_pointers():
    data = b"""{"schedule": {"conference": {"acronym": "j", "title": "J", "days": [
      {"index": 1, "date": "2025-05-01", "rooms": {"A/B": [
        {"id": 5, "guid": "", "date": "2025-05-01T10:00:00+02:00", "start": "10:00", "duration": "00:30",
         "room": "A/B", "title": "T", "persons": [{"id": 9, "public_name": "P"}]}]}}]}}}"""
    program = read_program(data)
    assert program.format == "frab-json"
    assert program.sessions[0].ref == "/schedule/conference/days/0/rooms/A~1B/0"
    assert program.sessions[0].key == "id:5"


def test_pretalx_api_list_is_detected_and_unscheduled_submissions_are_skipped():
    data = b"""[{"code": "ABCD12", "title": "Placed", "speakers": [{"code": "SPK1", "name": "S"}],
      "submission_type": {"id": 1, "name": {"en": "Talk"}}, "track": {"id": 2, "name": {"en": "Web"}},
      "slots": [{"room": {"id": 1, "name": {"en": "R"}, "uuid": null}, "start": "2025-05-01T10:00:00+02:00",
                 "end": "2025-05-01T10:30:00+02:00"}]},
     {"code": "WXYZ98", "title": "Not placed", "speakers": [], "slots": []}]"""
    assert detect(data) == "pretalx-api"
    program = read_program(data)
    (session,) = program.sessions
    assert (session.title, session.room, session.track, session.type_name) == ("Placed", "R", "Web", "Talk")
    assert session.duration_minutes == 30
    assert program.skips[0].ref == "/1"
    assert program.events_seen == 2


def test_ical_summary_loses_the_speaker_suffix():
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:t1@x\r\nDTSTART:20250501T100000Z\r\n"
        b"DTEND:20250501T103000Z\r\nSUMMARY:Talk title - Ann Smith\r\nLOCATION:Hall\r\n"
        b'ATTENDEE;CN="Ann Smith":invalid:nomail\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'
    )
    (session,) = read_program(data).sessions
    assert (session.title, session.room, session.ref) == ("Talk title", "Hall", "UID t1@x")
    assert [p.name for p in session.persons] == ["Ann Smith"]


def test_read_program_refuses_unknown_format_override():
    with pytest.raises(ImportRefused, match="Unknown format"):
        read_program(OLD_FRAB, fmt="pdf")


def _calendar(*vevents: bytes, zone: bytes = b"X-WR-TIMEZONE:Europe/Brussels\r\n") -> bytes:
    return (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
        + zone
        + b"".join(vevents)
        + b"END:VCALENDAR\r\n"
    )


def _vevent(uid: bytes, lines: bytes, title: bytes = b"Morning stand-up") -> bytes:
    return (
        b"BEGIN:VEVENT\r\nUID:"
        + uid
        + b"\r\nSUMMARY:"
        + title
        + b"\r\nLOCATION:Hall\r\n"
        + lines
        + b"END:VEVENT\r\n"
    )


DAILY = _vevent(
    b"standup@example.org",
    b"DTSTART;TZID=Europe/Brussels:20250328T093000\r\nDTEND;TZID=Europe/Brussels:20250328T100000\r\n"
    b"RRULE:FREQ=DAILY;COUNT=4\r\n",
)


def _local(session) -> str:
    return session.start.astimezone(BRUSSELS).strftime("%d %H:%M")


def test_a_repeating_vevent_is_a_session_per_occurrence():
    """It was one session, at the first occurrence, and nothing said so. The occurrences keep their
    local time across the change to summer time (30 March), and each has a key of its own."""
    (first, *others) = sessions = read_program(_calendar(DAILY)).sessions

    assert [_local(s) for s in sessions] == ["28 09:30", "29 09:30", "30 09:30", "31 09:30"]
    assert {s.duration_minutes for s in sessions} == {30}
    assert (first.key, first.guid) == ("uid:standup@example.org", "standup@example.org")
    assert [s.key for s in others] == [
        "uid:standup@example.org|20250329T083000Z",
        "uid:standup@example.org|20250330T073000Z",
        "uid:standup@example.org|20250331T073000Z",
    ]
    assert {s.guid for s in others} == {""}  # one guid is one session


def test_excluded_replaced_and_cancelled_occurrences():
    data = _calendar(
        DAILY.replace(b"RRULE", b"EXDATE;TZID=Europe/Brussels:20250329T093000\r\nRRULE"),
        _vevent(
            b"standup@example.org",
            b"RECURRENCE-ID;TZID=Europe/Brussels:20250330T093000\r\n"
            b"DTSTART;TZID=Europe/Brussels:20250330T110000\r\nDTEND;TZID=Europe/Brussels:20250330T120000\r\n",
            title=b"Late stand-up",
        ),
        _vevent(
            b"standup@example.org",
            b"RECURRENCE-ID;TZID=Europe/Brussels:20250331T093000\r\nSTATUS:CANCELLED\r\n"
            b"DTSTART;TZID=Europe/Brussels:20250331T093000\r\nDTEND;TZID=Europe/Brussels:20250331T100000\r\n",
        ),
    )

    program = read_program(data)

    assert [(s.title, _local(s), s.duration_minutes) for s in program.sessions] == [
        ("Morning stand-up", "28 09:30", 30),
        ("Late stand-up", "30 11:00", 60),  # the occurrence of the 30th, moved: that occurrence's key
    ]
    assert program.sessions[1].key == "uid:standup@example.org|20250330T073000Z"
    assert [skip.reason for skip in program.skips] == ["it is cancelled (STATUS:CANCELLED)"]


def test_floating_occurrences_are_read_in_the_import_zone_like_any_floating_time():
    data = _calendar(
        _vevent(b"f", b"DTSTART:20250329T013000\r\nDTEND:20250329T033000\r\nRRULE:FREQ=DAILY;COUNT=2\r\n"),
        zone=b"",
    )
    program = read_program(data)

    program.localize(BRUSSELS)

    # 01:30 to 03:30 on the 29th is two hours; on the 30th, the night the clocks go forward, one
    assert [(_local(s), s.duration_minutes) for s in program.sessions] == [
        ("29 01:30", 120),
        ("30 01:30", 60),
    ]


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        (b"RRULE:FREQ=DAILY\r\n", "it repeats more than 366 times (RRULE, RDATE)"),
        (b"RRULE:FREQ=SOMETIMES\r\n", "its repetition rule (RRULE) cannot be read"),
    ],
)
def test_a_vevent_repeating_without_end_or_sense_is_skipped_saying_why(rule, reason):
    data = _calendar(
        _vevent(b"x", b"DTSTART:20250328T093000Z\r\nDTEND:20250328T100000Z\r\n" + rule),
        _vevent(b"y", b"DTSTART:20250328T110000Z\r\nDTEND:20250328T120000Z\r\n", title=b"Keynote"),
    )

    program = read_program(data)

    assert [s.title for s in program.sessions] == ["Keynote"]
    (skip,) = program.skips
    assert (skip.ref, skip.reason[: len(reason)]) == ("UID x", reason)


def test_importing_a_repeating_vevent_again_changes_nothing(db):
    event = factories.EventFactory(
        slug="rr", timezone="Europe/Brussels", date_from=dt.date(2025, 3, 28), date_to=dt.date(2025, 3, 31)
    )
    scheduler = factories.team_member(event, can_schedule=True, can_edit_event=True)

    first = import_program(data=_calendar(DAILY), event=event, by=scheduler)
    again = import_program(data=_calendar(DAILY), event=event, by=scheduler)

    assert event.slots.filter(proposal__title="Morning stand-up").count() == 4
    assert first.counts["session"]["created"] == 4
    assert (again.created, again.updated, again.counts["session"]["unchanged"]) == (0, 0, 4)


def test_a_spreadsheets_unicode_text_utf16_with_tabs_is_read():
    """Excel's "Unicode text" is UTF-16 with a byte order mark and tabs: it was refused as binary."""
    data = "title\tstart\tduration\troom\tspeakers\nCafé crème\t2025-03-29T12:00:00\t45\tSalle Écho\tZoë\n"

    (session,) = read_program(data.encode("utf-16")).sessions

    assert (session.title, session.duration_minutes, session.room) == ("Café crème", 45, "Salle Écho")
    assert [person.name for person in session.persons] == ["Zoë"]


def test_utf16_xml_with_its_declaration_is_read():
    xml = """<?xml version="1.0" encoding="UTF-16"?>
<schedule><conference><acronym>u16</acronym><title>Ünï</title><time_zone_name>Europe/Berlin</time_zone_name></conference>
  <day date="2025-03-29" index="1"><room name="Saal"><event id="1"><date>2025-03-29T10:00:00+01:00</date>
  <start>10:00</start><duration>00:30</duration><room>Saal</room><title>Grüße</title></event></room></day>
</schedule>"""

    program = read_program(codecs.BOM_UTF16_BE + xml.encode("utf-16-be"))

    assert (program.title, [s.title for s in program.sessions]) == ("Ünï", ["Grüße"])


def test_a_csv_with_carriage_returns_alone_is_read():
    """A spreadsheet saved as "CSV (Macintosh)" ends lines with CR: reading it raised csv.Error (an
    error page on upload, a traceback on the command line)."""
    data = (
        b"title,start,duration,room\rFirst,2025-03-29T10:00:00,30,Hall\rSecond,2025-03-29T11:00:00,30,Hall\r"
    )

    assert [s.title for s in read_program(data).sessions] == ["First", "Second"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b"title,start,title,duration\nA,2025-03-29T12:00:00,B,30\n",
            "names the column title more than once",
        ),
        (
            b'title,start,duration\nA,2025-03-29T12:00:00,30,"' + b"x" * 200_000 + b'"\n',
            r"The CSV file cannot be read after line 1: field larger than field limit \(131072\)",
        ),
    ],
    ids=["a column twice", "a cell over the csv module's limit"],
)
def test_a_csv_that_cannot_be_read_as_meant_is_refused_saying_why(data, message):
    with pytest.raises(ImportRefused, match=message):
        read_program(data)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # German: day first, with dots; an hour of one digit; seconds.
        (
            "Eröffnung;31.01.2027 9:00;31.01.2027 09:45\nZweiter;1.2.2027 14:30:00;1.2.2027 15:00:00",
            [(2027, 1, 31, 9, 0, 45), (2027, 2, 1, 14, 30, 30)],
        ),
        # US: month first, read off 01/31; AM and PM, 12 PM is noon and 12 AM midnight.
        (
            "Opening;01/31/2027 9:00 AM;01/31/2027 9:45 AM\nLunch talk;02/01/2027 12:00 PM;02/01/2027 12:30 PM"
            "\nMidnight;02/02/2027 12:00 AM;02/02/2027 12:30 AM",
            [(2027, 1, 31, 9, 0, 45), (2027, 2, 1, 12, 0, 30), (2027, 2, 2, 0, 0, 30)],
        ),
        # British: day first, read off 31/01 (in another row than 01/02).
        (
            "Opening;31/01/2027 09:00;31/01/2027 09:45\nSecond;01/02/2027 14:30;01/02/2027 15:00",
            [(2027, 1, 31, 9, 0, 45), (2027, 2, 1, 14, 30, 30)],
        ),
    ],
    ids=["german", "us", "british"],
)
def test_a_csv_with_dates_as_spreadsheets_write_them_is_read(rows, expected):
    """A spreadsheet saved as CSV writes its dates in the computer's language, not ISO 8601: every
    such row was skipped ("no readable start time") and the file refused."""
    data = ("title;start;end\n" + rows + "\n").encode()

    sessions = read_program(data, tz=zoneinfo.ZoneInfo("Europe/Berlin")).sessions

    got = [(*s.start.timetuple()[:5], s.duration_minutes) for s in sessions]
    assert got == expected
    assert all(s.start.tzinfo == zoneinfo.ZoneInfo("Europe/Berlin") for s in sessions)


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("A,01/02/2027 10:00,30\nB,02/03/2027 10:00,30", "none of them tells whether the day or the month"),
        ("A,13/01/2027 10:00,30\nB,01/13/2027 10:00,30", "some with the day first and some with the month"),
    ],
    ids=["no date tells", "both orders"],
)
def test_a_csv_whose_slashed_dates_do_not_tell_day_from_month_is_refused(rows, message):
    with pytest.raises(ImportRefused, match=message):
        read_program(("title,start,duration\n" + rows + "\n").encode())


def test_a_spreadsheet_date_that_is_no_date_is_skipped_not_guessed():
    data = b"title,start,duration\nA,31.02.2027 10:00,30\nB,01.03.2027 13:00 PM,30\nC,01.03.2027 10:00,30\n"

    starts = [s.start for s in read_program(data).sessions]

    assert starts == [None, None, dt.datetime(2027, 3, 1, 10, 0)]  # 31 February; 13 PM
