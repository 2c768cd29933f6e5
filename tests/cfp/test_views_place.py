"""The speaker's own proposal page says when and where they speak, from the latest release."""

import pytest
from django.urls import reverse

from tests import factories
from tests.program import at, place, placed_talk, release

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def ada(client):
    user = factories.UserFactory(name="Ada Lovelace")
    client.force_login(user)
    return user


def _page(client, proposal) -> str:
    url = reverse("cfp:proposal", kwargs={"event": proposal.event.slug, "code": proposal.code})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_confirmed_speaker_sees_day_time_room_and_links(client, event, scheduler, ada):
    talk = placed_talk(event, "Engines", "Room 101", at(event, 14, 30), scheduler, speakers=[ada])
    release(event, scheduler)

    page = _page(client, talk)

    assert "When and where you speak" in page
    assert f"{at(event, 14, 30):%A} {event.date_from.day} {event.date_from:%B %Y}, 14:30–15:00" in page
    assert "Room 101" in page
    assert reverse("site:talk", kwargs={"event": event.slug, "code": talk.code}) in page
    assert reverse("site:export_talk_ics", kwargs={"event": event.slug, "code": talk.code}) in page
    assert "not published yet" not in page


def test_a_draft_move_shows_only_once_released(client, event, scheduler, ada):
    talk = placed_talk(event, "Engines", "Room 101", at(event, 14, 30), scheduler, speakers=[ada])
    release(event, scheduler)
    place(event, talk, "Hall A", at(event, 16), scheduler)

    page = _page(client, talk)

    assert "14:30–15:00" in page
    assert "Room 101" in page
    assert "16:00" not in page
    assert "a change to this session's time or room that is not published yet" in page

    release(event, scheduler)
    page = _page(client, talk)

    assert "16:00–16:30" in page
    assert "Hall A" in page
    assert "not published yet" not in page


def test_before_the_first_release_the_page_says_so(client, event, scheduler, ada):
    talk = placed_talk(event, "Engines", "Room 101", at(event, 14, 30), scheduler, speakers=[ada])

    page = _page(client, talk)

    assert "The schedule is not published yet" in page
    assert "14:30" not in page


def test_an_unconfirmed_speaker_learns_the_session_waits_for_confirmation(client, event, scheduler, ada):
    talk = placed_talk(
        event, "Engines", "Room 101", at(event, 14, 30), scheduler, speakers=[ada], state="accepted"
    )
    release(event, scheduler)

    page = _page(client, talk)

    assert "published only once you confirm it" in page
