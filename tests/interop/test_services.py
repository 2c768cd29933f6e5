"""The import service: idempotence, updates in place, all or nothing, dry runs, hostile files."""

import pytest

from podium.events.models import Event
from podium.interop.importers.source import ImportRefused
from podium.interop.importing import apply
from podium.interop.models import ImportedKey
from podium.interop.services import import_program
from podium.mail.models import MailStatus, OutboxMail
from podium.proposals.models import Proposal
from podium.schedule.models import Release
from podium.schedule.queries import latest_release
from tests import factories
from tests.shared import SCHEDULE_DATA

MRMCD = SCHEDULE_DATA / "pretalx/mrmcd2019.schedule.xml"


@pytest.fixture
def organiser(db):
    return factories.OrganiserFactory()


def run(data: bytes, **kwargs):
    kwargs.setdefault("time_zone", "Europe/Berlin")  # the real files name no zone
    return import_program(data=data, by=None, event_slug="mrmcd", **kwargs)


@pytest.mark.parametrize(
    "name",
    ["pretalx/mrmcd2019.schedule.xml", "ical/kielux_2020.ics", "pretalx/rc3-2020.pretalx.schedule.json"],
)
def test_import_program_twice_changes_nothing(organiser, name):
    data = (MRMCD.parents[1] / name).read_bytes()
    run(data)
    second = run(data)
    assert (second.created, second.updated) == (0, 0)
    assert "0 created, 0 updated" in second.text
    assert "No new release" in second.text
    assert Release.objects.filter(event__slug="mrmcd").count() == 1


def test_import_program_changed_file_updates_in_place(organiser):
    data = MRMCD.read_bytes()
    run(data)
    changed = data.replace(
        b"<title>Board Games of Medieval Europe</title>", b"<title>Board Games of the Middle Ages</title>"
    ).replace(
        b"<date>2019-09-13T17:30:00+02:00</date>\n                <start>17:30</start>",
        b"<date>2019-09-13T16:00:00+02:00</date>\n                <start>16:00</start>",
    )
    report = run(changed)
    release = latest_release(Event.objects.get(slug="mrmcd"))
    assert release.version == 2
    changes = sorted((change["kind"], change["title"]) for change in release.changes)
    assert changes == [("changed", "Board Games of the Middle Ages"), ("moved", "Los")], release.changes
    assert (report.counts["session"]["moved"], report.counts["session"]["updated"]) == (1, 1)
    assert report.counts["session"]["unchanged"] == 35
    assert Proposal.objects.filter(event__slug="mrmcd").count() == 37


def test_import_program_failure_applies_nothing(organiser, monkeypatch):
    def boom(self):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(apply.Sessions, "apply", boom)
    with pytest.raises(RuntimeError):
        run(MRMCD.read_bytes())
    assert not Event.objects.filter(slug="mrmcd").exists()
    assert not Proposal.objects.exists()
    assert not ImportedKey.objects.exists()


def test_import_program_dry_run_applies_nothing(organiser):
    report = run(MRMCD.read_bytes(), dry_run=True)
    assert report.counts["session"]["created"] == 37
    assert report.text.startswith("Dry run")
    assert not Event.objects.filter(slug="mrmcd").exists()
    assert not OutboxMail.objects.exists()


def test_import_program_discards_mail_to_imported_people(organiser):
    run(MRMCD.read_bytes())
    assert not OutboxMail.objects.exclude(status=MailStatus.DISCARDED).exists()


def test_import_program_never_merges_people_with_different_ids(organiser):
    xml = b"""<schedule><conference><acronym>twins</acronym><title>Twins</title>
    <time_zone_name>Europe/Berlin</time_zone_name></conference>
    <day date="2025-05-01" index="1"><room name="A">
      <event id="1"><date>2025-05-01T10:00:00+02:00</date><duration>00:30</duration><room>A</room>
        <title>One</title><persons><person id="7">Alex Doe</person></persons></event>
      <event id="2"><date>2025-05-01T11:00:00+02:00</date><duration>0:30:00</duration><room>A</room>
        <title>Two</title><persons><person id="8">Alex Doe</person></persons></event>
    </room></day></schedule>"""
    report = import_program(data=xml, by=None)
    assert report.counts["speaker"]["created"] == 2
    one, two = (Proposal.objects.get(event__slug="twins", title=t) for t in ("One", "Two"))
    assert one.speakers.get().email.endswith("@imported.invalid")
    assert one.speakers.get() != two.speakers.get()
    assert not one.speakers.get().has_usable_password()


def test_import_program_keeps_sessions_that_share_a_room_and_reports_them(organiser):
    xml = b"""<schedule><conference><acronym>clash</acronym><title>Clash</title></conference>
    <day date="2025-05-01" index="1"><room name="A">
      <event guid="6f1f4c6e-0000-4000-8000-000000000001"><date>2025-05-01T10:00:00+00:00</date>
        <duration>01:00</duration><room>A</room><title>First</title></event>
      <event guid="6f1f4c6e-0000-4000-8000-000000000002"><date>2025-05-01T10:30:00+00:00</date>
        <duration>00:30</duration><room>A</room><title>Second</title></event>
      <event><date>2025-05-01T12:00:00+00:00</date><duration>00:30</duration><room>A</room></event>
    </room></day></schedule>"""
    report = import_program(data=xml, by=None, time_zone="UTC")
    assert report.counts["session"]["created"] == 2
    assert report.counts["session"]["skipped"] == 1
    assert "line 7 <event>" in report.text
    assert "no title" in report.text
    assert "1 session shares a room with another at the same time, as the file has them" in report.text
    assert "“Second” with “First” in A" in report.text
    slots = {p.title: p.slot for p in Proposal.objects.filter(event__slug="clash").select_related("slot")}
    assert str(slots["First"].uuid) == "6f1f4c6e-0000-4000-8000-000000000001"
    assert str(slots["Second"].uuid) == "6f1f4c6e-0000-4000-8000-000000000002"
    assert slots["First"].shares_room
    assert slots["Second"].shares_room
    assert slots["First"].room_id == slots["Second"].room_id


def test_import_program_needs_an_organiser_choice(db):
    factories.OrganiserFactory(slug="one")
    factories.OrganiserFactory(slug="two")
    with pytest.raises(ImportRefused, match="one, two"):
        run(MRMCD.read_bytes())


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<schedule><conference><acronym>lol</acronym></conference><day date="2025-01-01"><room name="A">
<event id="1"><title>&lol3;</title><date>2025-01-01T10:00:00+00:00</date><duration>00:30</duration></event>
</room></day></schedule>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE schedule [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<schedule><conference><acronym>xxe</acronym></conference><day date="2025-01-01"><room name="A">
<event id="1"><title>&xxe;</title><date>2025-01-01T10:00:00+00:00</date><duration>00:30</duration></event>
</room></day></schedule>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (BILLION_LAUGHS, "entities"),
        (EXTERNAL_ENTITY, "entities"),
        (b"\x00\x01\x02garbage" * 100, "binary"),
        (b"\xff\xfe\xfa not text at all", "not UTF-8"),
        (b"hello, this is not a schedule", "not recognised"),
        (b"<schedule><conference>", "not well-formed"),
    ],
)
def test_import_program_refuses_hostile_or_broken_files(organiser, data, message):
    with pytest.raises(ImportRefused, match=message):
        import_program(data=data, by=None, event_slug="hostile")
    assert not Event.objects.filter(slug__in=["hostile", "lol", "xxe"]).exists()
    assert not Proposal.objects.exists()


def test_import_program_refuses_oversize_files(organiser, settings):
    settings.PODIUM_IMPORT_MAX_BYTES = 1000
    with pytest.raises(ImportRefused, match="limited to"):
        run(MRMCD.read_bytes())
    assert not Event.objects.filter(slug="mrmcd").exists()
