"""The printed program carries the event's branding: its logo at the top of every page and a band of its
primary colour; without branding, neither."""

import pytest

from podium.events import branding
from podium.interop import printing
from tests import factories
from tests.pdf import page_count
from tests.program import at, placed_talk, release, speaker_code
from tests.sponsoring import png

pytestmark = pytest.mark.django_db

# 0x1b/255, 0x5e/255, 0x20/255 as reportlab writes a fill colour (the "rg" operator).
COLOUR_FILL = b".105882 .368627 .12549 rg"


@pytest.fixture
def printed(event):
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    ada = factories.UserFactory(name="Ada Lovelace")
    talk = placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler, speakers=[ada])
    return {"release": release(event, scheduler), "speaker": speaker_code(talk)}


def _all(printed) -> list[bytes]:
    release = printed["release"]
    day = release.sessions.first().day
    room = release.rooms[0]["uuid"]
    return [
        printing.speaker_sheet(release, speaker_code=printed["speaker"], compress=False),
        printing.door_sign(release, room_uuid=room, day=day, compress=False),
        printing.door_signs(release, day=day, compress=False),
        printing.program_grid(release, compress=False),
    ]


def test_pdfs_show_the_logo_and_the_colour(event, printed):
    editor = factories.team_member(event, name="Setup", can_edit_event=True)
    branding.save_branding(event=event, by=editor, colour="#1b5e20", logo=png(size=(120, 40)))
    printed["release"].event.refresh_from_db()
    for pdf in _all(printed):
        assert page_count(pdf) >= 1
        assert pdf.count(b"/Subtype /Image") >= 1
        assert COLOUR_FILL in pdf


def test_pdfs_without_branding_have_neither(printed):
    for pdf in _all(printed):
        assert b"/Subtype /Image" not in pdf
        assert COLOUR_FILL not in pdf
