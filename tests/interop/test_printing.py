"""Printed program (door signs, speaker sheets, program grid): PDFs drawn from the latest release."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reportlab.graphics.shapes import Drawing

from podium.base.pdf import QrCode
from podium.events.models import Room
from podium.interop import printing
from podium.schedule.queries import released_sessions
from tests import factories
from tests.pdf import fonts, media_boxes, page_count, pdf_text
from tests.program import at, lunch, placed_talk, release, rename, speaker_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def program(event, scheduler):
    """Alpha (Hall A, 10:00, Ada), Beta (Room 101, 10:00, Bob), lunch in every room, Gamma (Hall A, day two)."""
    ada = factories.UserFactory(name="Ada Lovelace")
    bob = factories.UserFactory(name="Bob Babbage")
    alpha = placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler, speakers=[ada])
    beta = placed_talk(event, "Beta talk", "Room 101", at(event, 10), scheduler, speakers=[bob])
    lunch(event, scheduler)
    gamma = placed_talk(event, "Gamma talk", "Hall A", at(event, 10, day=1), scheduler, speakers=[ada])
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "release": release(event, scheduler)}


def hall(event) -> Room:
    return event.rooms.get(name="Hall A")


# --- The room's live address and its QR code -------------------------------------------------------


def test_room_live_url_is_the_absolute_room_now_address(event, settings):
    settings.BASE_URL = "https://program.example.org"
    room = hall(event)

    url = printing.room_live_url(event, str(room.uuid))

    assert url == f"https://program.example.org/{event.slug}/rooms/{room.uuid}/now"


def _qr_values(flowables) -> list[str]:
    """The values of the QR codes among `flowables` (and inside their tables)."""
    found = []
    for item in flowables:
        if isinstance(item, Drawing):
            found += [item.value] if isinstance(item, QrCode) else []
        elif isinstance(item, list):
            found += _qr_values(item)
        elif hasattr(item, "_cellvalues"):
            found += _qr_values([cell for row in item._cellvalues for cell in row])
    return found


def test_door_sign_qr_code_opens_the_rooms_live_page(event, program, settings):
    settings.BASE_URL = "https://program.example.org"
    release_ = program["release"]
    room = release_.rooms[0]
    sessions = list(released_sessions(release_, day=event.date_from, room_uuid=room["uuid"]))

    story = printing.door_sign_story(release_, room, event.date_from, sessions, width=500)

    assert _qr_values(story) == [f"https://program.example.org/{event.slug}/rooms/{room['uuid']}/now"]


# --- Door signs ------------------------------------------------------------------------------------


def test_door_sign_shows_room_day_and_the_rooms_sessions(event, program):
    pdf = printing.door_sign(
        program["release"], room_uuid=hall(event).uuid, day=event.date_from, compress=False
    )

    text = pdf_text(pdf)
    assert "Hall A" in text
    assert f"{event.date_from:%A}" in text
    assert "Alpha talk" in text
    assert "Ada Lovelace" in text
    assert "10:00–10:30" in text
    assert "Lunch" in text  # a break in every room is on every door
    assert "Beta talk" not in text  # another room
    assert "Gamma talk" not in text  # another day


def test_door_sign_reads_the_release_not_the_draft(event, program, scheduler):
    rename(program["alpha"], "Alpha, renamed in the draft", scheduler)

    text = pdf_text(
        printing.door_sign(
            program["release"], room_uuid=hall(event).uuid, day=event.date_from, compress=False
        )
    )

    assert "Alpha talk" in text
    assert "renamed" not in text


def test_door_sign_a4_and_letter_page_sizes_differ(event, program):
    kwargs = {"room_uuid": hall(event).uuid, "day": event.date_from}

    a4 = media_boxes(printing.door_sign(program["release"], paper="a4", **kwargs))
    us = media_boxes(printing.door_sign(program["release"], paper="letter", **kwargs))

    assert set(a4) == {(595, 842)}
    assert set(us) == {(612, 792)}


def test_door_sign_unknown_paper_is_refused(event, program):
    with pytest.raises(printing.UnknownPaper, match="a4, letter"):
        printing.door_sign(program["release"], room_uuid=hall(event).uuid, day=event.date_from, paper="a3")


def test_door_sign_unknown_room_is_a_lookup_error(event, program):
    other = factories.EventFactory().rooms.first()

    with pytest.raises(LookupError, match="has no room"):
        printing.door_sign(program["release"], room_uuid=other.uuid, day=event.date_from)


def test_door_sign_long_day_flows_onto_a_second_page_and_long_titles_wrap(event, scheduler):
    long_title = "A very long title about " + " ".join(["distributed consensus"] * 8)
    for index in range(24):
        title = f"Session {index:02d}" if index else long_title
        placed_talk(event, title, "Hall A", at(event, 8) + index * dt.timedelta(minutes=30), scheduler)
    release_ = release(event, scheduler)

    pdf = printing.door_sign(release_, room_uuid=hall(event).uuid, day=event.date_from, compress=False)

    text = pdf_text(pdf)
    assert page_count(pdf) >= 2
    assert "Session 23" in text
    assert long_title not in text.split("\n")  # wrapped over several lines
    assert "A very long title about" in text


def test_door_signs_of_a_day_put_every_used_room_in_one_pdf(event, program):
    pdf = printing.door_signs(program["release"], day=event.date_from, compress=False)

    text = pdf_text(pdf)
    assert page_count(pdf) == 2
    assert "Alpha talk" in text
    assert "Beta talk" in text
    assert "Gamma talk" not in text


def test_door_signs_queries_do_not_grow_with_rooms(event, scheduler):
    placed_talk(event, "One", "Hall A", at(event, 10), scheduler)
    small = release(event, scheduler)
    with CaptureQueriesContext(connection) as before:
        printing.door_signs(small, day=event.date_from)
    for index in range(6):
        Room.objects.create(event=event, name=f"Extra {index}", position=10 + index)
        placed_talk(event, f"Extra talk {index}", f"Extra {index}", at(event, 11), scheduler)
    large = release(event, scheduler)

    with CaptureQueriesContext(connection) as after:
        printing.door_signs(large, day=event.date_from)

    assert len(after) == len(before)


# --- Speakers --------------------------------------------------------------------------------------


def test_speaker_sheet_lists_their_sessions_with_time_and_room(event, program):
    pdf = printing.speaker_sheet(
        program["release"], speaker_code=speaker_code(program["alpha"]), compress=False
    )

    text = pdf_text(pdf)
    assert "Ada Lovelace" in text
    assert "Alpha talk" in text
    assert "Gamma talk" in text
    assert "Hall A" in text
    assert "10:00–10:30" in text
    assert "Beta talk" not in text


def test_speaker_sheet_unknown_speaker_is_a_lookup_error(program):
    with pytest.raises(LookupError, match="has no speaker"):
        printing.speaker_sheet(program["release"], speaker_code="NOSUCH")


def test_speaker_sheet_escapes_markup_in_titles(event, scheduler):
    ada = factories.UserFactory(name="Ada <b>Lovelace</b>")
    talk = placed_talk(event, "Fish & <chips>", "Hall A", at(event, 10), scheduler, speakers=[ada])
    release_ = release(event, scheduler)

    text = pdf_text(printing.speaker_sheet(release_, speaker_code=speaker_code(talk), compress=False))

    text = text.replace("\n", "")  # an escaped character starts a new string in the page
    assert "Fish & <chips>" in text
    assert "Ada <b>Lovelace</b>" in text


# --- The full program ------------------------------------------------------------------------------


def test_program_grid_is_landscape_with_a_page_per_day(event, program):
    pdf = printing.program_grid(program["release"], compress=False)

    text = pdf_text(pdf)
    assert set(media_boxes(pdf)) == {(842, 595)}
    assert page_count(pdf) == 2
    assert all(title in text for title in ("Alpha talk", "Beta talk", "Gamma talk", "Hall A", "Room 101"))


def test_program_grid_spreads_many_rooms_over_pages(event, scheduler):
    for index in range(10):
        Room.objects.create(event=event, name=f"Room X{index}", position=10 + index)
        placed_talk(event, f"Talk in X{index}", f"Room X{index}", at(event, 10), scheduler)
    release_ = release(event, scheduler)

    pdf = printing.program_grid(release_, paper="letter", rooms_per_page=8, compress=False)

    text = pdf_text(pdf)
    assert page_count(pdf) == 2
    assert set(media_boxes(pdf)) == {(792, 612)}
    assert "Talk in X0" in text
    assert "Talk in X9" in text
    assert "Hall A" not in text  # no session there: no column
    assert "rooms 1–8 of 10" in text
    assert "rooms 9–10 of 10" in text


def test_chinese_and_japanese_names_print_in_a_cjk_font_footer_included(event, scheduler):
    """DejaVu Sans has no CJK letters: titles, names, rooms and the footer's event name are set in a
    CJK font where they have them (not as empty boxes)."""
    event.name = "PyCon 中国"
    event.save()
    speaker = factories.UserFactory(name="山田 やまだ")
    talk = placed_talk(event, "王小明的演讲", "Hall A", at(event, 10), scheduler, speakers=[speaker])
    Room.objects.filter(pk=hall(event).pk).update(name="会议室 A")
    release_ = release(event, scheduler)

    document = printing.speaker_sheet(release_, speaker_code=speaker_code(talk), compress=False)

    text = pdf_text(document).replace(" ", "")
    for shown in ("PyCon中国", "山田やまだ", "王小明的演讲", "会议室A"):
        assert shown in text
    assert {"STSong-Light", "HeiseiKakuGo-W5"} <= fonts(document)
    assert "PyCon中国·releasev1" in "".join(pdf_text(document).split())  # the footer


def test_a_long_hebrew_title_on_a_door_sign_reads_from_the_top_line_down(event, scheduler):
    """reportlab wrapped the title after turning it round for drawing: its last words came out on the
    top line. (A reader may give a Hebrew word's letters back in either order.)"""
    title = " ".join(["ראשונה", *["באמצע"] * 30, "אחרונה"])
    placed_talk(event, title, "Hall A", at(event, 10), scheduler)
    release_ = release(event, scheduler)

    pdf = printing.door_sign(release_, room_uuid=hall(event).uuid, day=event.date_from, compress=False)

    lines = pdf_text(pdf).split("\n")

    def line_of(word: str) -> int:
        return next(n for n, line in enumerate(lines) if word in line or word[::-1] in line)

    assert line_of("ראשונה") < line_of("אחרונה")
