"""Room overlaps and repeated slots are facts of a source: sessions the file puts in one room at one
time are imported side by side and flagged, a session given twice under one guid at another time is two
sessions with derived guids, and one listed twice at the same place is imported once, with a note."""

import json
import uuid
from pathlib import Path

import pytest

from podium.interop.exporters import render
from podium.interop.services import import_program
from podium.proposals.models import Proposal
from podium.schedule.conflicts import find_conflicts
from podium.schedule.queries import latest_release
from tests import factories
from tests.program import at, place

FILE = (Path(__file__).parent / "fixtures" / "shared-rooms.schedule.xml").read_bytes()

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser(db):
    return factories.OrganiserFactory()


def places(slug: str) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for proposal in Proposal.objects.filter(event__slug=slug).select_related("slot__room"):
        slot = proposal.slot
        local = slot.start.astimezone(proposal.event.tz)
        found.setdefault(proposal.title, []).append(
            (slot.room.name, local.strftime("%H:%M"), slot.shares_room)
        )
    return {title: sorted(entries) for title, entries in found.items()}


def test_sessions_sharing_a_room_are_all_imported_side_by_side_and_flagged(organiser):
    report = import_program(data=FILE, by=None)

    assert not report.skips
    assert places("shared") == {
        "Soldering for Beginners": [("Workshop Hall", "10:00", True)],
        'Lockpicking "Table 2"': [("Workshop Hall", "10:30", True)],
        "Knitting Circuits": [("Workshop Hall", "11:00", True)],
        "Intro to the Camp Network": [("Main Stage", "14:00", False), ("Main Stage", "16:00", False)],
        "Closing": [("Main Stage", "17:00", False)],
    }
    event = Proposal.objects.filter(event__slug="shared").first().event
    shared = [c for c in find_conflicts(event) if c.kind == "room_shared"]
    assert len(shared) == 1  # one group: the three workshops run together
    assert "Soldering for Beginners" in shared[0].message
    assert "Knitting Circuits" in shared[0].message
    assert "2 sessions share a room with another at the same time" in report.text
    released = latest_release(event).sessions.filter(room_name="Workshop Hall").count()
    assert released == 3


def test_a_guid_repeated_at_another_time_gives_two_sessions_with_derived_guids(organiser):
    report = import_program(data=FILE, by=None)

    repeats = Proposal.objects.filter(event__slug="shared", title="Intro to the Camp Network")
    guids = sorted(repeats.values_list("guid", flat=True))
    assert guids == ["kV3x9QmZ2bRt7LpA1cD8eF", "kV3x9QmZ2bRt7LpA1cD8eF#2"]
    assert "repeats the id of an earlier session at another time or room" in report.text
    assert "“kV3x9QmZ2bRt7LpA1cD8eF#2” (derived from “kV3x9QmZ2bRt7LpA1cD8eF”)" in report.text
    # Each keeps a UUID of its own in the formats that need one.
    exported = json.loads(render(latest_release(repeats[0].event), "frab-json").content)
    uuids = [
        event["guid"]
        for day in exported["schedule"]["conference"]["days"]
        for talks in day["rooms"].values()
        for event in talks
        if event["title"] == "Intro to the Camp Network"
    ]
    assert len(set(uuids)) == 2
    assert all(uuid.UUID(value) for value in uuids)


def test_one_session_listed_twice_at_the_same_place_is_imported_once_with_a_note(organiser):
    report = import_program(data=FILE, by=None)

    assert Proposal.objects.filter(event__slug="shared", title="Closing").count() == 1
    assert "“Closing” (line 51 <event>) is listed twice at the same time and room under one id" in report.text


def test_importing_the_same_file_again_changes_nothing(organiser):
    import_program(data=FILE, by=None)
    before = places("shared")

    again = import_program(data=FILE, by=None)

    assert places("shared") == before
    assert again.release == ""
    assert again.counts["session"]["unchanged"] == 6
    assert Proposal.objects.filter(event__slug="shared").count() == 6


def test_a_file_session_beside_a_hand_placed_session_shares_its_room(organiser):
    import_program(data=FILE, by=None)
    event = Proposal.objects.filter(event__slug="shared").first().event
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    hand = factories.ProposalFactory(event=event, title="Organisers' hour", state="confirmed", track=None)
    place(event, hand, "Main Stage", at(event, 15), scheduler)
    moved = FILE.replace(b"T16:00:00+02:00</date><start>16:00", b"T15:00:00+02:00</date><start>15:00")

    report = import_program(data=moved, by=None, event=event)

    assert not report.skips
    assert places("shared")["Organisers' hour"] == [("Main Stage", "15:00", True)]
    assert ("Main Stage", "15:00", True) in places("shared")["Intro to the Camp Network"]
