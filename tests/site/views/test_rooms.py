"""Room screens: now and next in one room, and in every room (lobby), from the latest release."""

import datetime as dt
import re
import types
import uuid
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.schedule import changelog
from podium.schedule.queries import latest_release
from podium.site.views.rooms import release_moves
from tests import factories
from tests.program import at, place, release


def _isolated(value: str) -> str:
    """A title or room inside a screen's sentence, isolated in its own direction (a Hebrew room name in
    an English sentence reads right to left and leaves the sentence's order alone)."""
    return f"\N{FIRST STRONG ISOLATE}{value}\N{POP DIRECTIONAL ISOLATE}"


@pytest.fixture
def frozen(monkeypatch):
    """Set the clock the pages read."""

    def freeze(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return freeze


def _room_uuid(event, name):
    return event.rooms.get(name=name).uuid


def _text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _panel(response, slot: str, room=None) -> str:
    """The text of the `slot` panel ("current" or "next"), of one room's row on the lobby."""
    html = response.content.decode()
    if room is not None:
        html = html[html.index(f'data-room="{room}"') :]
    start = html.index(f'data-slot="{slot}"')
    end = html.index("</section>" if room is None else "</td>", start)
    chunk = re.sub(r'<div class="slot-body" data-filled hidden>.*?</div>', " ", html[start:end], flags=re.S)
    chunk = re.sub(r"<p [^>]* hidden>.*?</p>", " ", chunk, flags=re.S)  # what the screen hides
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", chunk.split(">", 1)[1])).strip()


def test_room_now_shows_current_session_speakers_and_time_left(client, program, frozen):
    event = program["event"]
    frozen(at(event, 10, 12))

    response = client.get(
        reverse("site:room_now", kwargs={"event": event.slug, "room": _room_uuid(event, "Hall A")})
    )

    assert response.status_code == 200
    current = _panel(response, "current")
    assert "Alpha talk" in current
    assert "Ada Lovelace" in current
    assert "10:00–10:30" in current
    assert "18 min left" in current
    upcoming = _panel(response, "next")
    assert "Lunch" in upcoming
    assert "12:00–13:00" in upcoming
    assert "in 108 min" in upcoming
    assert '<h1 dir="auto">Hall A</h1>' in response.content.decode()


def test_room_now_between_sessions_says_nothing_on_and_names_the_next(client, program, frozen):
    event = program["event"]
    frozen(at(event, 11))

    response = client.get(
        reverse("site:room_now", kwargs={"event": event.slug, "room": _room_uuid(event, "Room 101")})
    )

    assert "Nothing on right now" in _panel(response, "current")
    assert "Lunch" in _panel(response, "next")


def test_room_now_names_the_next_day_after_the_last_session(client, program, frozen):
    event = program["event"]
    frozen(at(event, 18))

    response = client.get(
        reverse("site:room_now", kwargs={"event": event.slug, "room": _room_uuid(event, "Hall A")})
    )

    upcoming = _panel(response, "next")
    assert "Gamma talk" in upcoming
    assert at(event, 10, day=1).strftime("%A %-d %B") in upcoming  # the date, not only the weekday


def test_room_now_after_the_program_has_nothing_next(client, program, frozen):
    event = program["event"]
    frozen(at(event, 23, day=2))

    response = client.get(
        reverse("site:room_now", kwargs={"event": event.slug, "room": _room_uuid(event, "Room 101")})
    )

    assert "Nothing more in this room" in _panel(response, "next")


def test_room_now_says_running_late_when_the_release_moved_the_session_later(client, program, frozen):
    event = program["event"]
    place(event, program["alpha"], "Hall A", at(event, 10, 30), program["scheduler"])
    release(event, program["scheduler"], comment="Running 30 minutes late")
    frozen(at(event, 10, 5))

    response = client.get(
        reverse("site:room_now", kwargs={"event": event.slug, "room": _room_uuid(event, "Hall A")})
    )

    upcoming = _panel(response, "next")
    assert "Alpha talk" in upcoming
    assert "Running late: was 10:00" in upcoming
    assert "Nothing on right now" in _panel(response, "current")


def _screen(client, event, room_name):
    return client.get(
        reverse("site:room_now", kwargs={"event": event.slug, "room": _room_uuid(event, room_name)})
    )


def _moved_away(response) -> list[str]:
    """The notices of sessions moved out of the room that the screen shows."""
    items = re.findall(r"<li [^>]*data-until[^>]*>(.*?)</li>", response.content.decode(), flags=re.S)
    return [re.sub(r"\s+", " ", item).strip() for item in items]


def test_room_screens_say_where_a_session_moved_to_and_from(client, program, frozen):
    event = program["event"]
    place(event, program["alpha"], "Room 101", at(event, 10, 40), program["scheduler"])
    release(event, program["scheduler"])
    frozen(at(event, 10, 5))

    new_room, old_room = _screen(client, event, "Room 101"), _screen(client, event, "Hall A")

    upcoming = _panel(new_room, "next")
    assert "Alpha talk" in upcoming
    assert f"Moved here from {_isolated('Hall A')} (was 10:00)" in upcoming
    assert "Running late" not in new_room.content.decode()
    assert _moved_away(old_room) == [
        f"“{_isolated('Alpha talk')}” (10:00) moved to {_isolated('Room 101')}, 10:40"
    ]
    assert _moved_away(new_room) == []
    lobby = client.get(reverse("site:rooms_now", kwargs={"event": event.slug})).content.decode()
    assert f"“{_isolated('Alpha talk')}” (10:00) moved to {_isolated('Room 101')}, 10:40" in lobby


def test_room_screens_name_only_the_room_when_the_time_stays(client, program, frozen):
    event = program["event"]
    place(event, program["gamma"], "Room 101", at(event, 10, day=1), program["scheduler"])
    release(event, program["scheduler"])
    frozen(at(event, 9, day=1))

    upcoming = _panel(_screen(client, event, "Room 101"), "next")

    assert f"Moved here from {_isolated('Hall A')}" in upcoming
    assert "(was" not in upcoming
    assert _moved_away(_screen(client, event, "Hall A")) == [
        f"“{_isolated('Gamma talk')}” (10:00) moved to {_isolated('Room 101')}"
    ]


def test_room_screens_forget_a_moved_session_after_its_old_time(client, program, frozen):
    event = program["event"]
    place(event, program["alpha"], "Room 101", at(event, 10, 40), program["scheduler"])
    release(event, program["scheduler"])
    frozen(at(event, 10, 30))

    assert _moved_away(_screen(client, event, "Hall A")) == []


def test_room_screen_says_moved_to_for_an_earlier_time_in_the_same_room(client, program, frozen):
    event = program["event"]
    place(event, program["alpha"], "Hall A", at(event, 9, 30), program["scheduler"])
    release(event, program["scheduler"])
    frozen(at(event, 9))

    response = _screen(client, event, "Hall A")

    assert "Moved to 09:30 (was 10:00)" in _panel(response, "next")
    assert _moved_away(response) == []


def test_room_screen_shows_the_date(client, program, frozen):
    event = program["event"]
    frozen(at(event, 9))

    html = _screen(client, event, "Hall A").content.decode()

    assert f"data-today>{at(event, 9).strftime('%A %-d %B')}</span>" in html


def test_room_now_embeds_the_rooms_sessions_for_the_clock_and_the_live_stream(client, program, frozen):
    event = program["event"]
    frozen(at(event, 10))

    html = client.get(
        reverse("site:room_now", kwargs={"event": event.slug, "room": _room_uuid(event, "Hall A")})
    ).content.decode()

    assert 'id="room-screen-data"' in html
    assert f'data-live-url="/{event.slug}/live"' in html
    assert f'data-live-version="{latest_release(event).version}"' in html
    assert html.count('"title": "') == 3  # Alpha, Lunch, Gamma: Beta is in Room 101


def test_room_now_reads_the_latest_release_not_the_draft(client, program, frozen):
    event = program["event"]
    place(event, program["alpha"], "Room 101", at(event, 14), program["scheduler"])  # not released
    frozen(at(event, 10, 10))

    response = client.get(
        reverse("site:room_now", kwargs={"event": event.slug, "room": _room_uuid(event, "Hall A")})
    )

    assert "Alpha talk" in _panel(response, "current")


def test_room_now_is_404_for_unknown_rooms_events_and_unpublished_programs(client, program, event):
    slug = program["event"].slug
    other = factories.EventFactory()

    assert (
        client.get(reverse("site:room_now", kwargs={"event": slug, "room": uuid.uuid4()})).status_code == 404
    )
    assert (
        client.get(
            reverse("site:room_now", kwargs={"event": slug, "room": _room_uuid(other, "Hall A")})
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("site:rooms_now", kwargs={"event": other.slug})).status_code == 404
    )  # no release
    event.is_public = False
    event.save()
    assert (
        client.get(
            reverse("site:room_now", kwargs={"event": slug, "room": _room_uuid(event, "Hall A")})
        ).status_code
        == 404
    )
    assert client.get(reverse("site:rooms_now", kwargs={"event": slug})).status_code == 404


def test_rooms_now_lists_every_room_with_now_and_next(client, program, frozen):
    event = program["event"]
    frozen(at(event, 10, 20))

    response = client.get(reverse("site:rooms_now", kwargs={"event": event.slug}))

    hall, small = _room_uuid(event, "Hall A"), _room_uuid(event, "Room 101")
    assert response.status_code == 200
    assert "Alpha talk" in _panel(response, "current", room=hall)
    assert "10 min left" in _panel(response, "current", room=hall)
    assert "Beta talk" in _panel(response, "current", room=small)
    assert "Bob Babbage" in _panel(response, "current", room=small)
    assert "Lunch" in _panel(response, "next", room=small)
    assert f'href="/{event.slug}/rooms/{hall}/now"' in response.content.decode()
    assert _text(response).index("Hall A") < _text(response).index("Room 101")


def test_rooms_now_reads_sessions_in_a_fixed_number_of_queries(
    client, program, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        client.get(reverse("site:rooms_now", kwargs={"event": program["event"].slug}))


def test_room_screens_take_notices_only_from_the_latest_release(client, program, frozen):
    """A move an older release announced is not announced again once a newer release is out."""
    event, scheduler = program["event"], program["scheduler"]
    place(event, program["alpha"], "Room 101", at(event, 10, 40), scheduler)
    release(event, scheduler)  # v2: Alpha moved from Hall A to Room 101
    place(event, program["gamma"], "Hall A", at(event, 11, day=1), scheduler)
    release(event, scheduler)  # v3: only Gamma moved, on the second day
    frozen(at(event, 10, 5))

    small, hall = _screen(client, event, "Room 101"), _screen(client, event, "Hall A")
    lobby = client.get(reverse("site:rooms_now", kwargs={"event": event.slug}))

    assert "Alpha talk" in _panel(small, "next")
    assert "Moved here" not in _text(small)
    assert _moved_away(hall) == []
    assert "Moved here" not in _text(lobby)
    assert "moved to" not in lobby.content.decode()


def test_a_move_by_the_hour_the_clocks_repeat_is_a_move_later():
    """Brussels, 26 October 2025: a session moved from the first 02:30 to the second (an hour later, in
    the same room) is running late; compared on the clock face, it had not moved ("Moved to 02:30 (was
    02:30)")."""

    def where(utc_hour):
        start = dt.datetime(2025, 10, 26, utc_hour, 30, tzinfo=dt.UTC)
        return {"start": start.isoformat(), "end": (start + dt.timedelta(minutes=30)).isoformat(),
                "room": "Hall", "room_uuid": "4f1c2b9e-0000-4000-8000-000000000001"}  # fmt: skip

    change = {
        "kind": changelog.MOVED,
        "code": "NIGHT",
        "title": "Night owls",
        "old": where(0),
        "new": where(1),
    }
    release = types.SimpleNamespace(changes=[change])

    moves = release_moves(release, zoneinfo.ZoneInfo("Europe/Brussels"))

    assert moves.notices == {"NIGHT": "Running late: was 02:30"}
