"""Round trips on small programs: Podium reads back everything it writes, in every format, and an
export imported into its own event changes nothing (no new speakers, sessions, codes or release)."""

import datetime as dt
import re

import icalendar
import pytest

from podium.interop import exporters
from podium.interop.importers import read_program
from podium.interop.services import import_program
from podium.proposals.models import Proposal, SpeakerProfile
from podium.schedule.models import Release, Slot
from podium.schedule.queries import latest_release
from tests import factories
from tests.interop.formats import valid_json, valid_xml, vevents
from tests.interop.round_trip import (
    FORMATS,
    differences,
    export,
    into_new_event,
    into_same_event,
    program_of,
)
from tests.program import at, placed_talk, release

pytestmark = pytest.mark.django_db

SCHEDULE = """<?xml version="1.0" encoding="utf-8"?>
<schedule><version>1</version>
<conference><title>Round</title><acronym>round</acronym><time_zone_name>Europe/Berlin</time_zone_name>
</conference>
<day index="1" date="2025-05-01"><room name="Hall">
{events}
</room></day></schedule>"""
EVENT = """<event guid="{guid}" id="{ident}"><title>{title}</title><date>2025-05-01T{time}:00+02:00</date>
<start>{time}</start><duration>{duration}</duration><room>Hall</room><type>{type}</type><track>Web</track>
<language>de</language><abstract>&lt;p&gt;Some &lt;b&gt;HTML&lt;/b&gt;&lt;/p&gt;</abstract>
<persons>{persons}</persons></event>"""


def schedule(*events: str) -> bytes:
    return SCHEDULE.format(events="\n".join(events)).encode()


def event_xml(n: int, time: str, *, duration="00:30", type="lecture", persons=None, guid=None) -> str:
    persons = persons or [(n, f"Speaker {n}")]
    people = "".join(f'<person id="{ident}">{name}</person>' for ident, name in persons)
    return EVENT.format(
        guid=guid or f"talk-{n}", ident=n, title=f"Talk {n}", time=time, duration=duration, type=type,
        persons=people,
    )  # fmt: skip


@pytest.fixture
def organiser():
    return factories.OrganiserFactory()


def imported(organiser, data: bytes, slug: str = "round"):
    report = import_program(data=data, by=None, event_slug=slug, organiser_slug=organiser.slug)
    return report, organiser.events.get(slug=slug)


def state_of(event) -> tuple:
    """Everything a no-op import must leave as it is."""
    return (
        sorted(event.proposals.values_list("pk", "code", "title", "state", "session_type__name", "version")),
        sorted(Slot.objects.filter(event=event).values_list("pk", "uuid", "room_id", "start", "end")),
        sorted(SpeakerProfile.objects.filter(event=event).values_list("pk", "code", "user__name")),
        sorted(event.session_types.values_list("pk", "name")),
        Release.objects.filter(event=event).count(),
    )


# --- Session type names -------------------------------------------------------------------------------


def lecture_types(event) -> list[tuple]:
    """The imported types (a new event also has the default ones)."""
    return sorted(
        event.session_types.filter(name__startswith="lecture").values_list("name", "duration_minutes")
    )


def test_type_names_do_not_grow_on_round_trips(organiser):
    _, event = imported(organiser, schedule(event_xml(1, "10:00"), event_xml(2, "11:00", duration="00:45")))
    assert lecture_types(event) == [
        ("lecture", 30),
        ("lecture (45 min)", 45),  # one name at two lengths: the second says its length
    ]
    xml = export(event, "frab-xml")
    assert {e.findtext("type") for e in valid_xml(xml).iter("event")} == {"lecture"}

    _, copy = imported(organiser, xml, slug="copy")
    _, again = imported(organiser, export(copy, "frab-xml"), slug="again")

    assert lecture_types(again) == [
        ("lecture", 30),
        ("lecture (45 min)", 45),
    ]


def test_a_type_name_with_its_length_from_an_older_export_is_read_as_its_own_name(organiser):
    _, event = imported(organiser, schedule(event_xml(1, "10:00", type="lecture (30 min)")))

    assert lecture_types(event) == [("lecture", 30)]


# --- Export, then import into the same event -----------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_imported_event_reimporting_its_own_export_changes_nothing(organiser, fmt):
    # Person ids of the source collide with speaker profile ids; guids are not UUIDs.
    data = schedule(
        event_xml(1, "10:00", persons=[(1, "Ada Lovelace"), (2, "Bob Babbage")]),
        event_xml(2, "11:00", duration="00:45", persons=[(2, "Bob Babbage")]),
        event_xml(3, "12:00", persons=[(3, "Smith, Jane; Jr.")]),
    )
    _, event = imported(organiser, data)
    before, program = state_of(event), program_of(event, fmt)

    report = into_same_event(event, fmt)

    assert (report.created, report.updated, report.release) == (0, 0, ""), report.text
    assert "nothing changed" in report.text
    assert state_of(event) == before
    assert program_of(event, fmt) == program


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_podium_event_reimporting_its_own_export_changes_nothing(small_program, fmt):
    event = small_program["event"]
    before = state_of(event)

    report = into_same_event(event, fmt)

    assert (report.created, report.updated, report.release) == (0, 0, ""), report.text
    assert "nothing changed" in report.text
    assert state_of(event) == before


def test_reimport_after_a_change_in_podium_puts_the_file_back_in_place(small_program):
    event, by, alpha = small_program["event"], small_program["by"], small_program["alpha"]
    exported = export(event, "frab-json")
    placed_talk(event, "Delta talk", "Room 101", at(event, 15), by)
    speakers = SpeakerProfile.objects.filter(event=event).count()
    release(event, by, name="v2")
    alpha.title = "Alpha talk, renamed"
    alpha.save(update_fields=["title"])

    report = import_program(data=exported, by=None, event=event, fmt="frab-json")

    alpha.refresh_from_db()
    assert alpha.title == "Alpha talk"  # matched by its guid, not created again
    assert report.counts["session"]["created"] == 0
    assert event.proposals.filter(title__startswith="Alpha").count() == 1
    assert SpeakerProfile.objects.filter(event=event).count() == speakers
    assert event.proposals.get(title="Delta talk").slot.start == at(event, 15)  # not the file's: kept


def test_sessions_without_keys_match_by_title_and_start(small_program):
    event = small_program["event"]
    start = at(event, 10).isoformat()
    data = f"title,start,duration,room,speakers\nAlpha talk,{start},30,Hall A,Ada Lovelace; Bob Babbage\n"

    report = import_program(data=data.encode(), by=None, event=event, fmt="sessions-csv", allow_partial=True)

    assert report.counts["session"]["created"] == 0, report.text
    assert event.proposals.filter(title="Alpha talk").count() == 1
    assert SpeakerProfile.objects.filter(event=event).count() == 2  # matched by name: no new speaker


# --- Into a new event: the same program -------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_round_trips_into_a_new_event(organiser, fmt):
    data = schedule(
        event_xml(1, "10:00", persons=[(1, "Ada Lovelace"), (2, "Bob Babbage")]),
        event_xml(2, "11:00", duration="00:45", persons=[(2, "Bob Babbage")]),
        event_xml(3, "12:00", persons=[(3, "Smith, Jane; Jr."), (4, "smith, jane; jr.")]),
    )
    _, event = imported(organiser, data)

    report, copy = into_new_event(event, fmt, slug="copy", organiser=organiser)

    assert report.skips == []
    assert copy.timezone == "Europe/Berlin"
    assert differences(program_of(event, fmt), program_of(copy, fmt)) == []
    assert SpeakerProfile.objects.filter(event=copy).count() == 4  # two people, one name spelt two ways


# --- iCal: what apps show, what Podium reads back ------------------------------------------------------


def test_ical_summary_is_the_title_and_speakers_track_and_zone_have_their_own_properties(small_program):
    event, alpha = small_program["event"], small_program["alpha"]
    content = exporters.render(small_program["release"], "ical").content
    calendar = icalendar.Calendar.from_ical(content)
    feed = {str(v["SUMMARY"]): v for v in vevents(content)}
    codes = dict(SpeakerProfile.objects.filter(event=event).values_list("user__name", "code"))

    vevent = feed["Alpha talk"]
    speakers = vevent.get("X-PODIUM-SPEAKER")
    assert [(str(s), s.params["X-PODIUM-CODE"]) for s in speakers] == [
        ("Ada Lovelace", codes["Ada Lovelace"]),
        ("Bob Babbage", codes["Bob Babbage"]),
    ]
    assert vevent["SUMMARY"].params["LANGUAGE"] == alpha.language
    assert vevent["CATEGORIES"].cats == ["Web"]
    assert str(vevent["DESCRIPTION"]).startswith("Speakers: Ada Lovelace, Bob Babbage")
    assert str(calendar["X-WR-TIMEZONE"]) == "America/Chicago"
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["America/Chicago"]


def test_ical_is_read_back_without_speakers_in_titles(small_program):
    program = read_program(exporters.render(small_program["release"], "ical").content)

    alpha = next(session for session in program.sessions if session.title == "Alpha talk")
    assert {session.title for session in program.sessions} == {"Alpha talk", "Beta talk", "Gamma late talk"}
    assert [person.name for person in alpha.persons] == ["Ada Lovelace", "Bob Babbage"]
    assert all(person.code for person in alpha.persons)
    assert (alpha.track, alpha.language, program.time_zone) == ("Web", "en", "America/Chicago")
    assert not alpha.abstract.startswith("Speakers:")


def test_a_cancelled_vevent_is_skipped_not_imported(small_program):
    event, by = small_program["event"], small_program["by"]
    beta = small_program["beta"]
    beta.state = "cancelled"
    beta.save(update_fields=["state"])
    feed = exporters.render(release(event, by, name="v2"), "ical").content

    program = read_program(feed)

    assert "Beta talk" not in {session.title for session in program.sessions}
    assert [skip.reason for skip in program.skips] == ["it is cancelled (STATUS:CANCELLED)"]


def test_an_ical_export_without_sessions_is_still_a_valid_calendar(small_program):
    content = exporters.render(small_program["release"], "ical", codes=set()).content
    calendar = icalendar.Calendar.from_ical(content)

    assert calendar.walk("VEVENT") == []
    assert len(calendar.subcomponents) >= 1  # RFC 5545: at least one component
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "America/Chicago"


# --- schedule.json persons and schedule.xml's head ----------------------------------------------------


def test_schedule_json_persons_carry_public_name_and_name(small_program):
    document = valid_json(exporters.render(small_program["release"], "frab-json").content)
    persons = [
        person
        for day in document["schedule"]["conference"]["days"]
        for events in day["rooms"].values()
        for event in events
        for person in event["persons"]
    ]

    assert persons
    assert all(person["public_name"] == person["name"] for person in persons)
    assert all(person["guid"] for person in persons)


def test_schedule_xml_first_day_is_within_5_kb_with_many_tracks(event, scheduler):
    for n in range(80):
        name = f"Track number {n} about open source hardware and friends"
        factories.TrackFactory(event=event, name=name)
        placed_talk(event, f"Talk {n}", "Hall A", at(event, 9) + dt.timedelta(minutes=30 * n), scheduler,
                    track_name=name)  # fmt: skip
    content = exporters.render(release(event, scheduler, name="v1"), "frab-xml").content

    valid_xml(content)
    assert content.index(b"<day ") < 5 * 1024
    assert re.search(rb"<conference>", content[:1024])


def test_schedule_xml_keeps_a_short_track_list(small_program):
    conference = valid_xml(exporters.render(small_program["release"], "frab-xml").content).find("conference")

    assert {track.get("name") for track in conference.findall("track")} == {"Web", "Data"}


def test_release_of_a_reimport_is_not_published_when_nothing_changed(organiser):
    _, event = imported(organiser, schedule(event_xml(1, "10:00")))
    versions = Release.objects.filter(event=event).count()

    for fmt in FORMATS:
        into_same_event(event, fmt)

    assert Release.objects.filter(event=event).count() == versions
    assert latest_release(event).version == 1
    assert Proposal.objects.filter(event=event).count() == 1


def test_a_feed_that_lengthens_a_session_gives_it_a_type_of_that_length(organiser):
    _, event = imported(organiser, schedule(event_xml(1, "10:00"), event_xml(2, "11:00")))
    feed = export(event, "ical").decode()
    talk = event.proposals.get(title="Talk 1")
    end = talk.slot.end.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    longer = (talk.slot.end + dt.timedelta(minutes=15)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert feed.count(f"DTEND:{end}") == 1

    report = import_program(
        data=feed.replace(f"DTEND:{end}", f"DTEND:{longer}").encode(), by=None, event=event
    )

    talk.refresh_from_db()
    assert report.counts["session"]["moved"] == 1, report.text
    assert (talk.session_type.name, talk.session_type.duration_minutes) == ("lecture (45 min)", 45)
    assert talk.slot.end - talk.slot.start == dt.timedelta(minutes=45)
