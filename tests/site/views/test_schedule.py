"""The public schedule: reads the latest release only, grid and list views, filters, stars."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from podium.attendance.services import set_star
from podium.schedule.models import Slot
from tests import factories
from tests.program import at, fill_day, place, placed_talk, release, rename, room, speaker_code, talk, track
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def schedule_url(event, query: str = "") -> str:
    return reverse("site:schedule", kwargs={"event": event.slug}) + query


def titles(response) -> list[str]:
    return [session.title for session in response.context["sessions"]]


# --- The release, never the draft ------------------------------------------------------------------


def test_schedule_shows_the_release_and_not_later_draft_changes(client, program):
    event, scheduler = program["event"], program["scheduler"]
    place(event, program["alpha"], "Hall A", at(event, 15), scheduler)
    rename(program["beta"], "Beta renamed in the draft", scheduler)
    placed_talk(event, "Delta draft-only talk", "Hall A", at(event, 11), scheduler)

    response = client.get(schedule_url(event, "?view=list"))

    html = response.content.decode()
    assert [(s.title, s.start) for s in response.context["sessions"]] == [
        ("Alpha talk", at(event, 10)),
        ("Beta talk", at(event, 10)),
        ("Lunch", at(event, 12)),
    ]
    assert "Beta renamed in the draft" not in html
    assert "Delta draft-only talk" not in html


def test_schedule_shows_the_draft_changes_once_released(client, program):
    event, scheduler = program["event"], program["scheduler"]
    place(event, program["alpha"], "Hall A", at(event, 15), scheduler)
    rename(program["beta"], "Beta renamed", scheduler)
    placed_talk(event, "Delta talk", "Hall A", at(event, 11), scheduler)
    release(event, scheduler, name="v2")

    response = client.get(schedule_url(event, "?view=list"))

    assert [(s.title, s.start) for s in response.context["sessions"]] == [
        ("Beta renamed", at(event, 10)),
        ("Delta talk", at(event, 11)),
        ("Lunch", at(event, 12)),
        ("Alpha talk", at(event, 15)),
    ]
    assert "Release <a" in response.content.decode()
    assert response.context["release"].name == "v2"


def test_schedule_before_the_first_release_says_it_is_not_out_yet(client, event, scheduler):
    placed_talk(event, "Placed but unreleased", "Hall A", at(event, 10), scheduler)

    response = client.get(schedule_url(event))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The schedule is not out yet." in html
    assert "Placed but unreleased" not in html
    assert reverse("site:talks", kwargs={"event": event.slug}) not in html


def test_schedule_before_the_first_release_links_to_the_accepted_talks_when_they_are_public(client, event):
    event.show_accepted_talks = True
    event.save()

    response = client.get(schedule_url(event))

    assert (
        'href="{}">browse the accepted talks'.format(reverse("site:talks", kwargs={"event": event.slug}))
        in response.content.decode()
    )


def test_schedule_of_a_release_without_sessions_says_nothing_matches(client, event, scheduler):
    release(event, scheduler)

    response = client.get(schedule_url(event, "?day=2030-01-01&view=list"))

    assert response.status_code == 200
    assert response.context["sessions"] == []
    assert "No sessions match." in response.content.decode()


def test_schedule_of_a_non_public_event_is_404(client, program):
    program["event"].is_public = False
    program["event"].save()

    assert client.get(schedule_url(program["event"])).status_code == 404


# --- Grid and list ---------------------------------------------------------------------------------


def test_schedule_grid_lays_out_rooms_sessions_speakers_and_tracks(client, program):
    event = program["event"]

    response = client.get(schedule_url(event))

    html = response.content.decode()
    hall, small = room(event, "Hall A"), room(event, "Room 101")
    assert response.context["filters"].day == event.date_from
    assert response.context["grid"].columns == [hall.pk, small.pk]
    assert titles(response) == ["Alpha talk", "Beta talk", "Lunch"]
    assert '<th scope="col" dir="auto">Hall A</th><th scope="col" dir="auto">Room 101</th>' in html
    talk_url = reverse("site:talk", kwargs={"event": event.slug, "code": program["alpha"].code})
    assert f'<a href="{talk_url}">Alpha talk</a>' in html
    speaker_url = reverse(
        "site:speaker", kwargs={"event": event.slug, "speaker": speaker_code(program["alpha"])}
    )
    assert f'<a href="{speaker_url}" dir="auto">Ada Lovelace</a>' in html
    assert f"slot session track-{track(event, 'Web').pk}" in html
    assert f"slot session track-{track(event, 'Data').pk}" in html
    assert 'colspan="2" class="slot break"' in html  # lunch in every room
    assert 'class="schedule-scroll" tabindex="0" role="region" aria-label=' in html


def test_schedule_grid_draws_sessions_sharing_a_room_side_by_side(client, event, scheduler):
    hall = room(event, "Hall A")
    for title, start in (("First workshop", at(event, 10)), ("Second workshop", at(event, 10, 30))):
        end = start + dt.timedelta(hours=1)
        Slot.objects.create(
            event=event, proposal=talk(event, title), room=hall, start=start, end=end, shares_room=True
        )
    release(event, scheduler)

    html = client.get(schedule_url(event)).content.decode()

    grid = html[html.index('<table class="schedule-grid') : html.index("</table>")]
    assert '<table class="schedule-grid rooms-2 lanes-3">' in grid
    assert (
        '<th scope="col" colspan="2" dir="auto">Hall A</th><th scope="col" dir="auto">Room 101</th>' in grid
    )
    assert ">First workshop</a>" in grid
    assert ">Second workshop</a>" in grid
    assert "Also at this time" not in html


def test_schedule_grid_shows_times_in_the_event_time_zone(client, program):
    response = client.get(schedule_url(program["event"]))

    # 10:00 in Chicago is 15:00 or 16:00 UTC; the page shows the local time.
    assert ">10:00</time>–<time" in response.content.decode()
    assert ">15:00</time>" not in response.content.decode()


def test_schedule_list_groups_sessions_by_start_time(client, program):
    event = program["event"]

    response = client.get(schedule_url(event, "?view=list"))

    groups = [(start, [s.title for s in sessions]) for start, sessions in response.context["groups"]]
    assert groups == [(at(event, 10), ["Alpha talk", "Beta talk"]), (at(event, 12), ["Lunch"])]
    html = response.content.decode()
    assert '<span class="room" dir="auto">Room 101</span>' in html
    assert '<span class="room" dir="auto">All rooms</span>' in html
    ada = reverse("site:speaker", kwargs={"event": event.slug, "speaker": speaker_code(program["alpha"])})
    assert f'<a href="{ada}" dir="auto">Ada Lovelace</a>' in html
    assert f'<span class="track-mark track-{track(event, "Data").pk}"></span>Data</p>' in html
    assert "grid" not in response.context


def test_schedule_day_parameter_picks_the_day(client, program):
    event = program["event"]

    response = client.get(schedule_url(event, f"?day={event.date_from + dt.timedelta(days=1)}"))

    assert titles(response) == ["Gamma talk"]


def test_schedule_defaults_to_today_while_the_event_runs(client, program, monkeypatch):
    event = program["event"]
    monkeypatch.setattr(timezone, "now", lambda: at(event, 11, day=1))

    response = client.get(schedule_url(event))

    assert titles(response) == ["Gamma talk"]


def test_schedule_day_tabs_keep_the_other_filters(client, program):
    event = program["event"]
    web = track(event, "Web").pk

    response = client.get(schedule_url(event, f"?view=list&track={web}"))

    second = event.date_from + dt.timedelta(days=1)
    assert f'href="?day={second}&amp;view=list&amp;track={web}"' in response.content.decode()


# --- Filters ---------------------------------------------------------------------------------------


def test_schedule_track_filter_leaves_out_other_tracks(client, program):
    event = program["event"]

    response = client.get(schedule_url(event, f"?track={track(event, 'Web').pk}"))

    assert titles(response) == ["Alpha talk", "Lunch"]
    assert "Beta talk" not in response.content.decode()


def test_schedule_room_filter_shows_one_room(client, program):
    event = program["event"]
    small = room(event, "Room 101")

    response = client.get(schedule_url(event, f"?room={small.uuid}"))

    assert titles(response) == ["Beta talk", "Lunch"]
    assert response.context["grid"].columns == [small.pk]
    assert '<th scope="col">Hall A</th>' not in response.content.decode()


def test_schedule_starred_filter_shows_a_logged_in_visitors_stars(client, program):
    event, visitor = program["event"], factories.UserFactory()
    set_star(event=event, user=visitor, code=program["beta"].code, starred=True)
    client.force_login(visitor)

    response = client.get(schedule_url(event, "?starred=1"))

    assert titles(response) == ["Beta talk", "Lunch"]
    assert "Alpha talk" not in response.content.decode()


def test_schedule_starred_filter_for_anonymous_visitors_is_left_to_the_browser(client, program):
    response = client.get(schedule_url(program["event"], "?starred=1"))

    assert titles(response) == ["Alpha talk", "Beta talk", "Lunch"]
    assert 'data-starred-filter="1"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?day=2024-99-99",
        "?day=tomorrow",
        "?day=1999-01-01",
        "?track=abc",
        "?track=999999999",
        "?track=-1",
        "?room=not-a-uuid",
        f"?room={uuid.UUID(int=7)}",
        "?view=table",
        "?starred=yes",
        "?day=&track=&room=&view=",
        "?track=1e9999",
    ],
)
def test_schedule_ignores_bad_parameters(client, program, query):
    response = client.get(schedule_url(program["event"], query))

    assert response.status_code == 200
    assert titles(response) == ["Alpha talk", "Beta talk", "Lunch"]


def test_schedule_ignores_another_events_track_and_room(client, program):
    other = factories.EventFactory()

    response = client.get(
        schedule_url(program["event"], f"?track={other.tracks.first().pk}&room={other.rooms.first().uuid}")
    )

    assert titles(response) == ["Alpha talk", "Beta talk", "Lunch"]


def test_schedule_filter_form_has_labelled_controls(client, program):
    html = client.get(schedule_url(program["event"])).content.decode()

    assert '<label>Track\n    <select name="track">' in html
    assert '<label>Room\n    <select name="room">' in html
    assert 'name="starred" value="1"> Only my starred sessions</label>' in html


# --- Stars and escaping ----------------------------------------------------------------------------


def test_schedule_marks_a_logged_in_visitors_stars(client, program):
    event, visitor = program["event"], factories.UserFactory()
    set_star(event=event, user=visitor, code=program["alpha"].code, starred=True)
    client.force_login(visitor)

    html = client.get(schedule_url(event)).content.decode()

    web = track(event, "Web").pk
    assert f'class="slot session track-{web} starred" data-session="{program["alpha"].code}"' in html
    assert f'data-star="{program["alpha"].code}" aria-pressed="true" aria-label="Star “Alpha talk”">★' in html
    assert f'data-star="{program["beta"].code}" aria-pressed="false" aria-label="Star “Beta talk”">☆' in html


def test_schedule_star_buttons_for_anonymous_visitors_ask_the_star_url(client, program):
    event, alpha = program["event"], program["alpha"]

    html = client.get(schedule_url(event)).content.decode()

    # Without JavaScript the star page sends them to log in and back; no token: the page is shared.
    star_url = reverse("site:star", kwargs={"event": event.slug, "code": alpha.code})
    assert (
        f'<form method="get" action="{star_url}" class="star-form"><input type="hidden" name="next"' in html
    )
    assert f'data-star="{alpha.code}" aria-pressed="false"' in html
    assert f'data-stars-event="{event.slug}"' in html
    assert 'data-logged-in="0"' in html


def test_schedule_escapes_titles(client, event, scheduler):
    placed_talk(event, "<script>alert('x')</script>", "Hall A", at(event, 10), scheduler)
    release(event, scheduler)

    html = client.get(schedule_url(event)).content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


# --- Query counts ----------------------------------------------------------------------------------


def _growing_release(event, scheduler):
    def grow(n):
        fill_day(event, scheduler, n)
        release(event, scheduler)

    return grow


@pytest.mark.parametrize("query", ["", "?view=list"])
def test_schedule_query_count_is_constant(client, event, scheduler, query):
    visitor = factories.UserFactory()
    client.force_login(visitor)
    grow = _growing_release(event, scheduler)

    def grow_and_star(n):
        grow(n)
        for slot in Slot.objects.filter(event=event).select_related("proposal")[:n]:
            set_star(event=event, user=visitor, code=slot.proposal.code, starred=True)

    assert_constant_queries(client, schedule_url(event, query), grow_and_star)
