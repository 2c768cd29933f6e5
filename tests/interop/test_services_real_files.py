"""Every real schedule file in the shared test data imports with counts that add up, and survives a
round trip: import, export as frab XML, import that into a new event, and the program is the same.

Each file is imported once and its export re-imported once (the big files take a while).
"""

import pytest

from podium.interop.exporters import render
from podium.interop.services import import_program
from podium.proposals.models import Proposal
from podium.schedule.models import ReleasedSession
from podium.schedule.queries import latest_release
from tests import factories
from tests.interop.formats import valid_json, valid_xml, vevents
from tests.shared import SCHEDULE_DATA

DATA = SCHEDULE_DATA
FILES = {
    "ccc/38c3-schedule-20251206.xml": 1007,
    "fosdem/fosdem-2025.schedule.xml": 943,
    "frab/camp2019.schedule.xml": 80,
    "frab/camp2019.frab.schedule.json": 79,
    "pretalx/mrmcd2019.schedule.xml": 37,
    "pretalx/rc3-2020.pretalx.schedule.json": 48,
    "pretalx-api/pyconfr-2025.submissions-expanded.json": 93,
    "ical/kielux_2020.ics": 24,
}
# The files that name no time zone, and the zone the conference was in.
ZONES = {
    "frab/camp2019.schedule.xml": "Europe/Berlin",
    "pretalx/mrmcd2019.schedule.xml": "Europe/Berlin",
    "pretalx/rc3-2020.pretalx.schedule.json": "Europe/Berlin",
    "pretalx-api/pyconfr-2025.submissions-expanded.json": "Europe/Paris",
    "ical/kielux_2020.ics": "Europe/Berlin",
}


def program_of(event) -> list[tuple]:
    """What a visitor sees of each released session, comparable across events."""
    rows = ReleasedSession.objects.filter(release=latest_release(event), kind="session")
    return sorted(
        (
            row.title,
            tuple(speaker["name"] for speaker in row.speakers),
            row.room_name,
            row.start,
            row.end - row.start,
            row.track_name,
            row.language,
        )
        for row in rows
    )


@pytest.mark.parametrize("name", FILES)
def test_import_program_reads_real_file_and_round_trips_through_frab_xml(db, name):
    organiser = factories.OrganiserFactory()
    report = import_program(
        data=(DATA / name).read_bytes(), by=None, event_slug="imported", organiser_slug=organiser.slug,
        time_zone=ZONES.get(name),
    )  # fmt: skip
    assert report.time_zone == ZONES.get(name, report.time_zone), report.text
    sessions = report.counts["session"]
    assert report.sessions_in_file == FILES[name]
    assert sessions["created"] + sessions["skipped"] == FILES[name], report.text
    assert len([s for s in report.skips if s.kind == "session"]) == sessions["skipped"]
    event = organiser.events.get(slug="imported")
    assert Proposal.objects.filter(event=event).count() == sessions["created"]
    assert len(program_of(event)) == sessions["created"]

    release = latest_release(event)
    exported = render(release, "frab-xml")
    # What Podium exports of an imported program is as valid as what it exports of its own.
    valid_xml(exported.content)
    valid_json(render(release, "frab-json").content)
    assert len(vevents(render(release, "ical").content)) == sessions["created"]
    again = import_program(data=exported.content, by=None, event_slug="round-trip", fmt="frab-xml")

    assert again.counts["session"]["skipped"] == 0, again.text
    assert program_of(organiser.events.get(slug="round-trip")) == program_of(event)
