"""Sessions without a room: an iCal event without LOCATION, a frab JSON event with an empty room. They
are imported into the event's "Room not given" room (a second one only for those that overlap there),
named in the report and flagged in the editor, never skipped."""

from pathlib import Path

import pytest

from podium.events.models import Room
from podium.interop.services import import_program
from podium.proposals.models import Proposal
from podium.schedule import services as schedule
from podium.schedule.conflicts import NO_ROOM, find_conflicts
from podium.schedule.models import Slot
from tests import factories

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rooms_by_title(event_slug: str) -> dict[str, str]:
    slots = Slot.objects.filter(event__slug=event_slug, proposal__isnull=False).select_related(
        "room", "proposal"
    )
    return {slot.proposal.title: slot.room.name for slot in slots if slot.start is not None}


def test_ical_events_without_location_go_to_the_room_not_given(db):
    factories.OrganiserFactory()

    report = import_program(data=fixture("no-room.ics"), by=None, event_slug="roomless")

    assert not [skip for skip in report.skips if skip.kind == "session"], report.text
    assert rooms_by_title("roomless") == {
        "Talk in the Aula": "Aula",
        "Opening without a room": NO_ROOM,
        "Workshop without a room": f"{NO_ROOM} 2",  # overlaps the opening: never skipped for it
    }
    assert report.release
    assert "2 sessions have no room in the file" in report.text
    assert "“Opening without a room”" in report.text
    assert "“Workshop without a room”" in report.text


def test_frab_json_sessions_with_an_empty_room_go_to_one_room_not_given(db):
    factories.OrganiserFactory()

    report = import_program(data=fixture("no-room.schedule.json"), by=None, event_slug="roomless")

    assert rooms_by_title("roomless") == {
        "Talk in Sala 1": "Sala 1",
        "Talk with an empty room": NO_ROOM,
        "Talk with a blank room": NO_ROOM,
    }
    assert sorted(Room.objects.filter(event__slug="roomless").values_list("name", flat=True)) == [
        NO_ROOM,
        "Sala 1",
    ]
    assert "2 sessions have no room in the file" in report.text


@pytest.mark.parametrize("name", ["no-room.ics", "no-room.schedule.json"])
def test_reimporting_a_file_with_roomless_sessions_changes_nothing(db, name):
    factories.OrganiserFactory()
    import_program(data=fixture(name), by=None, event_slug="roomless")
    rooms = set(Room.objects.filter(event__slug="roomless").values_list("pk", flat=True))
    placed = rooms_by_title("roomless")

    again = import_program(data=fixture(name), by=None, event_slug="roomless")

    assert (again.created, again.updated) == (0, 0), again.text
    assert not again.release
    assert set(Room.objects.filter(event__slug="roomless").values_list("pk", flat=True)) == rooms
    assert rooms_by_title("roomless") == placed


def test_a_room_the_organiser_gave_is_kept_when_the_file_still_names_none(db):
    factories.OrganiserFactory()
    import_program(data=fixture("no-room.schedule.json"), by=None, event_slug="roomless")
    event = Proposal.objects.get(title="Talk with an empty room").event
    hall = Room.objects.create(event=event, name="Hall B", position=5)
    slot = Slot.objects.get(proposal__title="Talk with an empty room")
    schedule.place_session(
        event=event, proposal=slot.proposal, room=hall, start=slot.start, version=slot.version, by=None
    )

    again = import_program(data=fixture("no-room.schedule.json"), by=None, event_slug="roomless")

    assert (again.created, again.updated) == (0, 0), again.text
    assert rooms_by_title("roomless")["Talk with an empty room"] == "Hall B"
    assert "1 session has no room in the file" in again.text


def test_no_placeholder_room_when_every_session_has_a_room(db):
    factories.OrganiserFactory()

    report = import_program(
        data=fixture("floating.ics"), by=None, event_slug="floating", time_zone="Europe/Berlin"
    )

    assert list(Room.objects.filter(event__slug="floating").values_list("name", flat=True)) == ["Aula"]
    assert "no room in the file" not in report.text


def test_roomless_sessions_do_not_count_as_skipped_for_the_partial_import_refusal(db):
    """Two of the three sessions have no room: before, skipping them refused the import (more than half)."""
    factories.OrganiserFactory()

    report = import_program(data=fixture("no-room.ics"), by=None, event_slug="roomless")

    assert report.counts["session"]["created"] == 3
    assert report.counts["session"]["skipped"] == 0


def test_the_editor_warns_about_sessions_in_the_room_not_given(db):
    factories.OrganiserFactory()
    import_program(data=fixture("no-room.schedule.json"), by=None, event_slug="roomless")
    event = Proposal.objects.get(title="Talk with an empty room").event

    flagged = [c for c in find_conflicts(event) if c.kind == "room_not_given"]

    assert {c.severity for c in flagged} == {"warning"}
    codes = {code for c in flagged for code in c.codes}
    assert codes == set(
        Proposal.objects.filter(title__in=["Talk with an empty room", "Talk with a blank room"]).values_list(
            "code", flat=True
        )
    )
