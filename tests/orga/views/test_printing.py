"""Organiser printing pages: the index, door signs, speaker sheets and the program as PDF."""

import pytest
from django.urls import reverse

from podium.events.models import Room
from tests import factories
from tests.pdf import media_boxes, pdf_text
from tests.program import at, placed_talk, release, speaker_code
from tests.querycount import queries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(event):
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    ada = factories.UserFactory(name="Ada Lovelace")
    alpha = placed_talk(event, "Alpha talk", "Hall A", at(event, 10), scheduler, speakers=[ada])
    placed_talk(event, "Beta talk", "Room 101", at(event, 11), scheduler)
    release(event, scheduler, name="v1")
    return {"event": event, "scheduler": scheduler, "alpha": alpha}


def url(name: str, event, query: str = "", **kwargs) -> str:
    return reverse(f"orga:{name}", kwargs={"event": event.slug, **kwargs}) + query


def hall(event) -> Room:
    return event.rooms.get(name="Hall A")


def test_printing_index_links_every_download(client, released):
    event = released["event"]
    client.force_login(released["scheduler"])

    html = client.get(url("printing", event)).content.decode()

    day = event.date_from.isoformat()
    assert url("printing_program", event) + "?paper=a4" in html
    assert url("printing_door_signs", event) + f"?day={day}&amp;paper=a4" in html
    assert url("printing_door_sign", event, room=hall(event).uuid) + f"?day={day}&amp;paper=a4" in html
    assert url("printing_speaker", event, speaker=speaker_code(released["alpha"])) + "?paper=a4" in html
    assert "Ada Lovelace" in html


def test_printing_index_keeps_the_chosen_paper(client, released):
    client.force_login(released["scheduler"])

    html = client.get(url("printing", released["event"], "?paper=letter")).content.decode()

    assert "?paper=letter" in html
    assert "?paper=a4" not in html.replace('href="?paper=a4"', "")


def test_printing_nav_link_for_schedulers(client, released):
    client.force_login(released["scheduler"])

    html = client.get(url("printing", released["event"])).content.decode()

    assert f'href="{url("printing", released["event"])}">Print</a>' in html


def test_door_sign_is_an_inline_pdf_of_the_room(client, released):
    event = released["event"]
    client.force_login(released["scheduler"])

    response = client.get(url("printing_door_sign", event, f"?day={event.date_from}", room=hall(event).uuid))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    text = pdf_text(response.content)
    assert "Hall A" in text
    assert "Alpha talk" in text
    assert "Beta talk" not in text


def test_door_sign_without_day_prints_the_first_day(client, released):
    event = released["event"]
    client.force_login(released["scheduler"])

    response = client.get(url("printing_door_sign", event, room=hall(event).uuid))

    assert "Alpha talk" in pdf_text(response.content)


def test_door_sign_paper_letter_and_a4(client, released):
    event = released["event"]
    client.force_login(released["scheduler"])
    sign = url("printing_door_sign", event, room=hall(event).uuid)

    a4 = client.get(sign + "?paper=a4").content
    us = client.get(sign + "?paper=letter").content

    assert set(media_boxes(a4)) == {(595, 842)}
    assert set(media_boxes(us)) == {(612, 792)}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?paper=a3", "Unknown paper"),
        ("?day=someday", "is not a day"),
        ("?day=1999-01-01", "no sessions on 1999-01-01"),
    ],
)
def test_door_sign_bad_query_is_a_404_that_says_why(client, released, query, message):
    event = released["event"]
    client.force_login(released["scheduler"])

    response = client.get(url("printing_door_sign", event, query, room=hall(event).uuid))

    assert response.status_code == 404
    assert message in response.content.decode()


def test_door_sign_of_another_events_room_is_404(client, released):
    event = released["event"]
    client.force_login(released["scheduler"])
    stranger = factories.EventFactory().rooms.first()

    response = client.get(url("printing_door_sign", event, room=stranger.uuid))

    assert response.status_code == 404
    assert "has no room" in response.content.decode()


def test_door_signs_of_a_day_hold_every_room(client, released):
    event = released["event"]
    client.force_login(released["scheduler"])

    text = pdf_text(client.get(url("printing_door_signs", event)).content)

    assert "Alpha talk" in text
    assert "Beta talk" in text


def test_speaker_sheet_and_unknown_speaker(client, released):
    event = released["event"]
    client.force_login(released["scheduler"])

    ok = client.get(url("printing_speaker", event, speaker=speaker_code(released["alpha"]).lower()))
    missing = client.get(url("printing_speaker", event, speaker="NOSUCH"))

    assert "Alpha talk" in pdf_text(ok.content)
    assert missing.status_code == 404
    assert "has no speaker" in missing.content.decode()


def test_program_pdf_is_landscape(client, released):
    client.force_login(released["scheduler"])

    response = client.get(url("printing_program", released["event"], "?paper=letter"))

    assert set(media_boxes(response.content)) == {(792, 612)}
    assert "Beta talk" in pdf_text(response.content)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("printing", {}),
        ("printing_program", {}),
        ("printing_door_signs", {}),
        ("printing_speaker", {"speaker": "X"}),
    ],
)
def test_printing_before_the_first_release_is_a_clear_404(client, event, name, kwargs):
    client.force_login(factories.team_member(event, can_schedule=True))

    response = client.get(url(name, event, **kwargs))

    assert response.status_code == 404
    assert "Nothing is released yet" in response.content.decode()


@pytest.mark.parametrize("name", ["printing", "printing_program", "printing_door_signs"])
def test_printing_is_refused_to_reviewers_and_strangers(client, released, name):
    event = released["event"]
    client.force_login(factories.team_member(event, name="Reviewers", can_review=True))
    assert client.get(url(name, event)).status_code == 403
    client.force_login(factories.UserFactory())
    assert client.get(url(name, event)).status_code == 403


@pytest.mark.parametrize("name", ["printing", "printing_program", "printing_door_signs"])
def test_printing_queries_do_not_grow_with_the_program(client, released, name):
    event, scheduler = released["event"], released["scheduler"]
    client.force_login(scheduler)
    small = queries_for(client, url(name, event))
    for index in range(8):
        Room.objects.create(event=event, name=f"Extra {index}", position=10 + index)
        placed_talk(event, f"Extra talk {index}", f"Extra {index}", at(event, 10), scheduler)
    release(event, scheduler)

    assert queries_for(client, url(name, event)) == small
