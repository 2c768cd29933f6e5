"""Every real schedule file in the shared test data, through every export format: import, export,
import into a new event gives the same program; the export imported into its own event changes nothing.

Each file is imported once, then each of its four exports twice (the big files take a while).
"""

import pytest

from podium.interop.services import import_program
from tests import factories
from tests.interop.round_trip import FORMATS, differences, into_new_event, into_same_event, program_of
from tests.interop.test_services_real_files import FILES, ZONES
from tests.interop.test_services_round_trip import state_of
from tests.shared import SCHEDULE_DATA


@pytest.mark.parametrize("name", FILES)
def test_real_file_round_trips_through_every_format(db, name):
    organiser = factories.OrganiserFactory()
    import_program(
        data=(SCHEDULE_DATA / name).read_bytes(), by=None, event_slug="source", organiser_slug=organiser.slug,
        time_zone=ZONES.get(name),
    )  # fmt: skip
    event = organiser.events.get(slug="source")
    found = {}
    for fmt in FORMATS:
        report, copy = into_new_event(event, fmt, slug=f"copy-{fmt}", organiser=organiser)
        found[fmt] = (len(report.skips), differences(program_of(event, fmt), program_of(copy, fmt))[:4])
    assert found == {fmt: (0, []) for fmt in FORMATS}

    before = state_of(event)
    for fmt in FORMATS:
        report = into_same_event(event, fmt)
        assert (report.created, report.updated, report.release) == (0, 0, ""), (fmt, report.text)
    assert state_of(event) == before
