"""The schedule editor, its drop endpoints, the per-session form, breaks and the release page."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from podium.attendance.models import Star
from podium.base.bidi import isolated
from podium.base.models import AuditEntry
from podium.mail.models import OutboxMail
from podium.schedule import services
from podium.schedule.models import Release, Slot
from tests import factories
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

FRAGMENT = {"HTTP_X_PODIUM_FRAGMENT": "1"}  # what the editor's script sends (podium.orga.fragments)


def _url(name, event, **kwargs):
    return reverse(f"orga:{name}", kwargs={"event": event.slug, **kwargs})


def _at(event, hour, minute=0, day=0) -> dt.datetime:
    """A wall-clock time on one of the event's days, in the event's time zone."""
    return dt.datetime.combine(event.days[day], dt.time(hour, minute), tzinfo=event.tz)


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _talk(event, **kwargs):
    kwargs.setdefault("state", "confirmed")
    return factories.ProposalFactory(event=event, **kwargs)


def _rooms(event):
    return list(event.rooms.order_by("position"))


def _place(event, proposal, room, start) -> Slot:
    """Place (or move) a session as another organiser would, whatever its current version."""
    slot = event.slots.filter(proposal=proposal).first()
    return services.place_session(
        event=event, proposal=proposal, room=room, start=start, version=slot.version if slot else 0, by=None
    )


def _slot(proposal) -> Slot | None:
    return Slot.objects.filter(proposal=proposal).first()


def _text(response) -> str:
    return html.unescape(response.content.decode())


def _drop(client, event, proposal, room, start, *, version=0, fragment=True, **extra):
    data = {"code": proposal.code, "version": version, "room": room.pk, "start": _iso(start), **extra}
    return client.post(_url("schedule_place", event), data, **(FRAGMENT if fragment else {}))


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def scheduler_client(client, scheduler):
    client.force_login(scheduler)
    return client


@pytest.fixture
def lunch(event):
    return services.save_break(
        event=event, by=None, title="Lunch", room=None, start=_at(event, 12), end=_at(event, 13)
    )


# --- Who may reach the pages ------------------------------------------------------------------------

PAGES = ["schedule", "schedule_slot", "schedule_break_new", "schedule_break_edit", "schedule_release"]
POSTS = ["schedule_place", "schedule_unschedule", "schedule_pin", "schedule_break_delete"]


def _page_url(name, event, proposal, lunch):
    if name == "schedule_slot":
        return _url(name, event, code=proposal.code)
    if "break" in name and name != "schedule_break_new":
        return _url(name, event, pk=lunch.pk)
    return _url(name, event)


@pytest.mark.parametrize("name", PAGES)
def test_schedule_page_renders_for_a_scheduler(scheduler_client, event, proposal, lunch, name):
    response = scheduler_client.get(_page_url(name, event, proposal, lunch))

    assert response.status_code == 200


@pytest.mark.parametrize("name", PAGES + POSTS)
def test_schedule_page_sends_an_anonymous_visitor_to_log_in(client, event, proposal, lunch, name):
    url = _page_url(name, event, proposal, lunch)

    response = client.post(url) if name in POSTS else client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PAGES + POSTS)
def test_schedule_page_refused_for_a_team_member_without_the_flag(
    client, event, organiser_user, proposal, lunch, name
):
    client.force_login(organiser_user)  # an administrator of the event, but not a scheduler
    url = _page_url(name, event, proposal, lunch)

    response = client.post(url, {"version": lunch.version}) if name in POSTS else client.get(url)

    assert response.status_code == 403
    assert Slot.objects.filter(pk=lunch.pk).exists()


@pytest.mark.parametrize("name", PAGES + POSTS)
def test_schedule_page_refused_for_another_events_scheduler(client, event, proposal, lunch, name):
    other = factories.EventFactory()
    client.force_login(factories.team_member(other, is_admin=True, can_schedule=True))
    url = _page_url(name, event, proposal, lunch)

    response = client.post(url) if name in POSTS else client.get(url)

    assert response.status_code == 403


def test_schedule_navigation_links_for_schedulers_only(client, event, scheduler, reviewer):
    url = _url("event", event)

    client.force_login(scheduler)
    scheduler_page = client.get(url).content.decode()
    client.force_login(reviewer)
    reviewer_page = client.get(url).content.decode()

    assert _url("schedule", event) in scheduler_page
    assert _url("schedule_release", event) in scheduler_page
    assert _url("schedule", event) not in reviewer_page


def test_place_rejects_a_get_request(scheduler_client, event):
    response = scheduler_client.get(_url("schedule_place", event))

    assert response.status_code == 405


# --- The editor page ---------------------------------------------------------------------------------


def test_editor_shows_the_grid_the_unscheduled_sessions_and_breaks(scheduler_client, event, lunch):
    hall, _ = _rooms(event)
    ada = factories.UserFactory(name="Ada Lovelace")
    placed = _talk(event, title="Placed talk", speakers=[ada])
    waiting = _talk(event, title="Waiting talk", speakers=[factories.UserFactory(name="Grace Hopper")])
    _place(event, placed, hall, _at(event, 10))
    for _ in range(2):
        Star.objects.create(event=event, user=factories.UserFactory(), proposal=placed)

    response = scheduler_client.get(_url("schedule", event))
    page = _text(response)

    cell = re.search(rf'<td[^>]*data-code="{placed.code}"[^>]*>(.*?)</td>', page, re.S)
    assert cell is not None
    assert "Ada Lovelace" in cell.group(1)
    assert "2 stars" in cell.group(1)
    assert "10:00–10:30 · 30 min" in cell.group(1)
    assert f"track-{placed.track_id}" in cell.group(0)
    assert 'data-version="1"' in cell.group(0)
    assert 'rowspan="2"' in cell.group(0)
    entry = re.search(rf'<li[^>]*data-code="{waiting.code}"[^>]*>(.*?)</li>', page, re.S)
    assert entry is not None
    assert 'data-version="0"' in entry.group(0)
    assert 'draggable="true"' in entry.group(0)
    assert "Grace Hopper" in entry.group(1)
    assert "Talk, 30 min" in entry.group(1)
    assert "<bdi>Hall A</bdi><br><small>500 seats</small>" in page
    assert re.search(
        r'<td[^>]*colspan="2"[^>]*class="break-cell"[^>]*><div class="cell-body">\s*<strong dir="auto">Lunch</strong>',
        page,
    )


def test_editor_empty_cells_are_drop_targets_with_room_and_utc_start(scheduler_client, event):
    hall, room_101 = _rooms(event)

    page = scheduler_client.get(_url("schedule", event)).content.decode()

    assert f'data-room="{hall.pk}" data-start="{_iso(_at(event, 8))}"' in page
    assert f'data-room="{room_101.pk}" data-start="{_iso(_at(event, 19, 45))}"' in page


def test_editor_grid_widens_to_sessions_outside_the_working_day(scheduler_client, event):
    hall, room_101 = _rooms(event)
    _place(event, _talk(event), hall, _at(event, 7))
    _place(event, _talk(event), hall, _at(event, 20, 30))

    page = scheduler_client.get(_url("schedule", event)).content.decode()
    starts = re.findall(rf'data-room="{room_101.pk}" data-start="([^"]+)"', page)

    assert (starts[0], starts[-1]) == (_iso(_at(event, 7)), _iso(_at(event, 20, 45)))


def test_editor_grid_starts_with_the_conference_day(scheduler_client, event):
    event.day_start_hour = 10
    event.save()
    hall, _ = _rooms(event)

    page = scheduler_client.get(_url("schedule", event)).content.decode()
    starts = re.findall(rf'data-room="{hall.pk}" data-start="([^"]+)"', page)

    assert (starts[0], starts[-1]) == (_iso(_at(event, 10)), _iso(_at(event, 19, 45)))


def test_editor_shows_the_chosen_day_only(scheduler_client, event):
    hall, _ = _rooms(event)
    friday = _talk(event, title="Second day talk")
    _place(event, friday, hall, _at(event, 9, day=1))

    first = scheduler_client.get(_url("schedule", event)).content.decode()
    second = scheduler_client.get(_url("schedule", event) + f"?day={event.days[1]}").content.decode()

    assert f'data-code="{friday.code}"' not in first
    assert f'data-code="{friday.code}"' in second
    assert 'aria-current="page">' + event.days[1].strftime("%a") in second


@pytest.mark.parametrize("day", ["garbage", "2001-01-01", "2031-02-30"])
def test_editor_unknown_day_shows_the_first_day_with_a_message(scheduler_client, event, day):
    response = scheduler_client.get(_url("schedule", event) + f"?day={day}")

    assert response.status_code == 200
    assert response.context["day"] == event.days[0]
    assert f"The event has no day “{day}”" in _text(response)


def test_editor_shows_conflicts_and_marks_the_sessions_involved(scheduler_client, event):
    hall, room_101 = _rooms(event)
    busy = factories.UserFactory(name="Busy Speaker")
    first = _talk(event, title="First talk", speakers=[busy])
    # Another track than the first talk's, so the only conflict is the speaker's.
    second = _talk(event, title="Second talk", speakers=[busy], track=event.tracks.get(name="Web"))
    calm = _talk(event, title="Calm talk")
    _place(event, first, hall, _at(event, 10))
    _place(event, second, room_101, _at(event, 10, 15))
    _place(event, calm, hall, _at(event, 14))

    page = _text(scheduler_client.get(_url("schedule", event)))

    assert "Conflicts (1)" in page
    assert "<summary>Errors (1)</summary>" in page
    assert "Busy Speaker speaks in “First talk” (Hall A, " in page
    for talk in (first, second):
        assert re.search(rf'<td[^>]*data-code="{talk.code}"[^>]*data-conflict="error"', page)
    assert not re.search(rf'<td[^>]*data-code="{calm.code}"[^>]*data-conflict=', page)


def test_editor_draws_sessions_sharing_a_room_side_by_side(scheduler_client, event):
    hall, _ = _rooms(event)
    workshops = [_talk(event, title="First workshop"), _talk(event, title="Second workshop")]
    for workshop, start in zip(workshops, (_at(event, 10), _at(event, 10, 30)), strict=True):
        end = start + dt.timedelta(hours=1)
        Slot.objects.create(event=event, proposal=workshop, room=hall, start=start, end=end, shares_room=True)

    page = _text(scheduler_client.get(_url("schedule", event)))

    grid = re.search(r'<table class="schedule-grid".*?</table>', page, re.S).group(0)
    assert '<th scope="col" colspan="2"><bdi>Hall A</bdi><br>' in grid
    for workshop in workshops:
        assert re.search(
            rf'<td[^>]*data-code="{workshop.code}"[^>]*><div class="cell-body">\s*<strong><bdi>{workshop.title}</bdi></strong>',
            grid,
        )
    assert 'id="overflow-heading"' not in page
    assert f'data-room="{hall.pk}" data-start="{_iso(_at(event, 10))}"' in grid  # the free lane beside


# --- Placing by drag and drop ------------------------------------------------------------------------


def test_place_answers_the_editor_fragment_with_the_session_placed(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event, title="Dropped talk")

    response = _drop(scheduler_client, event, talk, hall, _at(event, 10), day=event.days[0])
    page = _text(response)

    assert response.status_code == 200
    assert page.startswith('<div id="schedule-editor"')
    assert "<html" not in page
    assert "“Dropped talk” is now in Hall A, " in page
    assert re.search(rf'<td[^>]*data-code="{talk.code}"[^>]*data-version="1"', page)
    slot = _slot(talk)
    assert (slot.room, slot.start, slot.end) == (hall, _at(event, 10), _at(event, 10, 30))


def test_place_without_the_script_redirects_to_the_editor_with_a_message(scheduler_client, event):
    _, room_101 = _rooms(event)
    talk = _talk(event, title="Form talk")

    response = _drop(scheduler_client, event, talk, room_101, _at(event, 9, day=2), fragment=False)
    followed = scheduler_client.get(response.url)

    assert response.status_code == 302
    assert response.url == _url("schedule", event) + f"?day={event.days[2]}"
    assert "“Form talk” is now in Room 101, " in _text(followed)
    assert _slot(talk).start == _at(event, 9, day=2)


def test_place_moves_a_placed_session(scheduler_client, event):
    hall, room_101 = _rooms(event)
    talk = _talk(event)
    slot = _place(event, talk, hall, _at(event, 10))

    response = _drop(scheduler_client, event, talk, room_101, _at(event, 15), version=slot.version)

    assert response.status_code == 200
    moved = _slot(talk)
    assert (moved.pk, moved.room, moved.start, moved.version) == (slot.pk, room_101, _at(event, 15), 2)


def test_place_refuses_a_taken_room_and_shows_the_schedule_as_it_is(scheduler_client, event):
    hall, _ = _rooms(event)
    blocker = _talk(event, title="Blocker")
    _place(event, blocker, hall, _at(event, 10))
    talk = _talk(event, title="Latecomer")

    response = _drop(scheduler_client, event, talk, hall, _at(event, 9, 45))
    page = _text(response)

    assert response.status_code == 409
    alert = re.search(r'<div class="editor-alert" role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert alert is not None
    assert "Hall A is taken" in alert.group(1)
    assert "“Blocker”" in alert.group(1)
    assert f'data-code="{blocker.code}"' in page
    assert re.search(rf'<li[^>]*data-code="{talk.code}"', page)
    assert _slot(talk) is None


def test_place_refuses_a_stale_version_and_shows_where_the_session_is_now(scheduler_client, event):
    hall, room_101 = _rooms(event)
    talk = _talk(event, title="Contested talk")
    seen = _place(event, talk, hall, _at(event, 10))
    _place(event, talk, room_101, _at(event, 11))  # another organiser moved it meanwhile

    response = _drop(scheduler_client, event, talk, hall, _at(event, 16), version=seen.version)
    page = _text(response)

    assert response.status_code == 409
    assert "Someone else changed “Contested talk”" in page
    assert "it is now in Room 101, " in page
    assert re.search(rf'<td[^>]*data-code="{talk.code}"[^>]*data-version="2"', page)
    slot = _slot(talk)
    assert (slot.room, slot.start) == (room_101, _at(event, 11))


@pytest.mark.parametrize("state", ["submitted", "rejected", "withdrawn"])
def test_place_refuses_a_proposal_that_is_not_accepted(scheduler_client, event, state):
    hall, _ = _rooms(event)
    talk = _talk(event, state=state)

    response = _drop(scheduler_client, event, talk, hall, _at(event, 10))

    assert response.status_code == 409
    assert "only accepted and confirmed sessions go on the schedule" in _text(response)
    assert _slot(talk) is None


def test_place_of_another_events_proposal_is_not_found(scheduler_client, event):
    hall, _ = _rooms(event)
    foreign = _talk(factories.EventFactory())

    response = _drop(scheduler_client, event, foreign, hall, _at(event, 10))

    assert response.status_code == 404
    assert _slot(foreign) is None


def test_place_refuses_a_room_of_another_event(scheduler_client, event):
    other_room = _rooms(factories.EventFactory())[0]
    talk = _talk(event)

    response = _drop(scheduler_client, event, talk, other_room, _at(event, 10))

    assert response.status_code == 400
    assert "Choose a room of this event." in _text(response)
    assert _slot(talk) is None


@pytest.mark.parametrize("start", ["tomorrow", "", "2031-13-45T10:00", "10:00"])
def test_place_refuses_a_start_that_is_not_a_time(scheduler_client, event, start):
    hall, _ = _rooms(event)
    talk = _talk(event)
    data = {"code": talk.code, "version": 0, "room": hall.pk, "start": start}

    response = scheduler_client.post(_url("schedule_place", event), data, **FRAGMENT)

    assert response.status_code == 400
    assert re.search(r'role="alert"[^>]*>\s*<p><strong>Not changed:</strong> .*start time', _text(response))
    assert _slot(talk) is None


@pytest.mark.parametrize(
    ("room", "message"),
    [
        ("abc", "Choose a room of this event."),
        ("999999", "Choose a room of this event."),
        ("", "Choose a room."),
    ],
)
def test_place_refuses_a_room_that_is_not_a_room(scheduler_client, event, room, message):
    talk = _talk(event)
    data = {"code": talk.code, "version": 0, "room": room, "start": _iso(_at(event, 10))}

    response = scheduler_client.post(_url("schedule_place", event), data, **FRAGMENT)

    assert response.status_code == 400
    assert f"<p><strong>Not changed:</strong> {message}</p>" in _text(response)
    assert _slot(talk) is None


def test_place_without_the_script_shows_a_refusal_as_an_error(scheduler_client, event):
    hall, _ = _rooms(event)
    _place(event, _talk(event, title="Blocker"), hall, _at(event, 10))
    talk = _talk(event)

    response = _drop(scheduler_client, event, talk, hall, _at(event, 10), fragment=False)
    followed = scheduler_client.get(response.url)

    assert response.status_code == 302
    assert "Hall A is taken" in _text(followed)
    assert _slot(talk) is None


@pytest.mark.parametrize("header", ["HTTP_HX_REQUEST", "HTTP_X_PODIUM_EDITOR"])
def test_place_answers_a_fragment_only_to_the_fragment_header(scheduler_client, event, header):
    hall, _ = _rooms(event)
    talk = _talk(event)
    data = {"code": talk.code, "version": 0, "room": hall.pk, "start": _iso(_at(event, 10))}

    other = scheduler_client.post(_url("schedule_place", event), data, **{header: "1"})
    ours = scheduler_client.post(
        _url("schedule_place", event), {**data, "version": _slot(talk).version}, **FRAGMENT
    )

    assert (other.status_code, other.url) == (302, f"{_url('schedule', event)}?day={event.days[0]}")
    assert ours.status_code == 200
    assert ('id="schedule-editor"' in _text(ours), "<html" in _text(ours)) == (True, False)


def test_place_reads_a_start_without_a_zone_as_the_events_time(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event)
    data = {"code": talk.code, "version": 0, "room": hall.pk, "start": f"{event.days[0]}T10:00"}

    scheduler_client.post(_url("schedule_place", event), data, **FRAGMENT)

    assert _slot(talk).start == _at(event, 10)


def test_unschedule_takes_a_session_off_the_grid(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event, title="Going back")
    slot = _place(event, talk, hall, _at(event, 10))

    response = scheduler_client.post(
        _url("schedule_unschedule", event), {"code": talk.code, "version": slot.version}, **FRAGMENT
    )
    page = _text(response)

    assert response.status_code == 200
    assert f"“{isolated('Going back')}” is off the schedule." in page
    assert re.search(rf'<li[^>]*data-code="{talk.code}" data-version="2"', page)
    assert _slot(talk).start is None


def test_unschedule_refuses_a_stale_version(scheduler_client, event):
    hall, room_101 = _rooms(event)
    talk = _talk(event, title="Moved away")
    seen = _place(event, talk, hall, _at(event, 10))
    _place(event, talk, room_101, _at(event, 11))

    response = scheduler_client.post(
        _url("schedule_unschedule", event), {"code": talk.code, "version": seen.version}, **FRAGMENT
    )

    assert response.status_code == 409
    assert "it is now in Room 101, " in _text(response)
    assert _slot(talk).room == room_101


def test_unschedule_without_the_script_redirects_with_a_message(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event, title="Going back")
    slot = _place(event, talk, hall, _at(event, 10))

    response = scheduler_client.post(
        _url("schedule_unschedule", event),
        {"code": talk.code, "version": slot.version, "day": event.days[1].isoformat()},
    )

    assert response.status_code == 302
    assert response.url == _url("schedule", event) + f"?day={event.days[1]}"
    assert f"“{isolated('Going back')}” is off the schedule." in _text(scheduler_client.get(response.url))


# --- The form per session (keyboard, no script) ------------------------------------------------------


def _slot_form(event, room, *, time, day=0, version=0, **extra):
    return {"room": room.pk, "day": event.days[day].isoformat(), "time": time, "version": version, **extra}


def test_slot_form_places_a_session(scheduler_client, event):
    _, room_101 = _rooms(event)
    talk = _talk(event, title="Typed talk")

    response = scheduler_client.post(
        _url("schedule_slot", event, code=talk.code), _slot_form(event, room_101, time="10:30", day=1)
    )

    assert response.status_code == 302
    assert response.url == _url("schedule", event) + f"?day={event.days[1]}"
    slot = _slot(talk)
    assert (slot.room, slot.start) == (room_101, _at(event, 10, 30, day=1))


def test_slot_form_shows_the_current_place(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event)
    slot = _place(event, talk, hall, _at(event, 14, 15))

    page = _text(scheduler_client.get(_url("schedule_slot", event, code=talk.code)))

    assert "Now: <strong>Hall A, " in page
    assert 'value="14:15"' in page
    assert f'name="version" value="{slot.version}"' in page
    assert "Remove from the schedule" in page


def test_slot_form_after_midnight_belongs_to_the_day_before(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event)

    scheduler_client.post(
        _url("schedule_slot", event, code=talk.code), _slot_form(event, hall, time="01:00", day=0)
    )

    assert _slot(talk).start == _at(event, 1, day=1)


@pytest.mark.parametrize("time", ["25:99", "noon", "10h30"])
def test_slot_form_keeps_what_was_typed_on_an_invalid_time(scheduler_client, event, time):
    _, room_101 = _rooms(event)
    talk = _talk(event)

    response = scheduler_client.post(
        _url("schedule_slot", event, code=talk.code), _slot_form(event, room_101, time=time)
    )
    page = _text(response)

    assert response.status_code == 200
    assert "Write the time as HH:MM, e.g. 10:30." in page
    assert f'value="{time}"' in page
    assert f'<option value="{room_101.pk}" selected>' in page
    assert _slot(talk) is None


def test_slot_form_shows_a_taken_room_on_the_time(scheduler_client, event):
    hall, _ = _rooms(event)
    _place(event, _talk(event, title="Blocker"), hall, _at(event, 10))
    talk = _talk(event)

    response = scheduler_client.post(
        _url("schedule_slot", event, code=talk.code), _slot_form(event, hall, time="10:15")
    )

    assert response.status_code == 200
    assert "Hall A is taken" in _text(response)
    assert response.context["form"].errors["time"]
    assert _slot(talk) is None


def test_slot_form_stale_shows_the_current_place_and_version(scheduler_client, event):
    hall, room_101 = _rooms(event)
    talk = _talk(event, title="Contested talk")
    seen = _place(event, talk, hall, _at(event, 10))
    _place(event, talk, room_101, _at(event, 11, 30))

    response = scheduler_client.post(
        _url("schedule_slot", event, code=talk.code),
        _slot_form(event, hall, time="16:00", version=seen.version),
    )
    page = _text(response)

    assert response.status_code == 200
    assert "Someone else changed “Contested talk”" in page
    assert "Now: <strong>Room 101, " in page
    assert 'name="version" value="2"' in page
    assert 'value="11:30"' in page
    assert f'<option value="{room_101.pk}" selected>' in page
    assert _slot(talk).start == _at(event, 11, 30)


def test_slot_form_refuses_a_proposal_that_is_not_accepted(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event, state="submitted")

    response = scheduler_client.post(
        _url("schedule_slot", event, code=talk.code), _slot_form(event, hall, time="10:00")
    )

    assert response.status_code == 200
    assert "only accepted and confirmed sessions go on the schedule" in _text(response)
    assert _slot(talk) is None


def test_slot_form_removes_a_session(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event)
    slot = _place(event, talk, hall, _at(event, 10))

    response = scheduler_client.post(
        _url("schedule_slot", event, code=talk.code),
        _slot_form(event, hall, time="10:00", version=slot.version, remove="1"),
    )

    assert response.status_code == 302
    assert _slot(talk).start is None


def test_slot_form_remove_refuses_a_stale_version(scheduler_client, event):
    hall, room_101 = _rooms(event)
    talk = _talk(event)
    seen = _place(event, talk, hall, _at(event, 10))
    _place(event, talk, room_101, _at(event, 11))

    response = scheduler_client.post(
        _url("schedule_slot", event, code=talk.code),
        _slot_form(event, hall, time="10:00", version=seen.version, remove="1"),
    )

    assert response.status_code == 200
    assert "it is now in Room 101, " in _text(response)
    assert _slot(talk).room == room_101


def test_slot_form_of_another_events_proposal_is_not_found(scheduler_client, event):
    foreign = _talk(factories.EventFactory())

    response = scheduler_client.get(_url("schedule_slot", event, code=foreign.code))

    assert response.status_code == 404


# --- Breaks ------------------------------------------------------------------------------------------


def _break_form(event, *, title="Coffee", room="", day=0, start="15:00", end="15:30", **extra):
    return {
        "title": title,
        "room": room,
        "day": event.days[day].isoformat(),
        "start": start,
        "end": end,
        **extra,
    }


def test_break_new_in_one_room(scheduler_client, event):
    _, room_101 = _rooms(event)

    response = scheduler_client.post(_url("schedule_break_new", event), _break_form(event, room=room_101.pk))

    assert response.status_code == 302
    coffee = event.slots.get(kind="break")
    assert (coffee.title, coffee.room, coffee.start, coffee.end) == (
        "Coffee",
        room_101,
        _at(event, 15),
        _at(event, 15, 30),
    )


def test_break_new_in_every_room(scheduler_client, event):
    response = scheduler_client.post(_url("schedule_break_new", event), _break_form(event, day=2))
    followed = scheduler_client.get(response.url)

    coffee = event.slots.get(kind="break")
    assert (coffee.room, coffee.start) == (None, _at(event, 15, day=2))
    assert "The break “Coffee” is saved: every room, " in _text(followed)


def test_break_new_keeps_the_input_when_it_ends_before_it_starts(scheduler_client, event):
    response = scheduler_client.post(
        _url("schedule_break_new", event), _break_form(event, title="Backwards", start="15:00", end="14:00")
    )

    assert response.status_code == 200
    assert "A break ends after it starts." in _text(response)
    assert 'value="Backwards"' in _text(response)
    assert not event.slots.exists()


def test_break_in_every_room_refused_when_it_covers_a_session(scheduler_client, event):
    hall, _ = _rooms(event)
    _place(event, _talk(event, title="Covered talk"), hall, _at(event, 15, 15))

    response = scheduler_client.post(_url("schedule_break_new", event), _break_form(event))

    assert response.status_code == 200
    assert "“Covered talk” is on the schedule at that time; a break in every room cannot cover it." in _text(
        response
    )
    assert not event.slots.filter(kind="break").exists()


def test_break_edit_changes_the_break(scheduler_client, event, lunch):
    hall, _ = _rooms(event)

    response = scheduler_client.post(
        _url("schedule_break_edit", event, pk=lunch.pk),
        _break_form(
            event, title="Long lunch", room=hall.pk, start="12:00", end="13:30", version=lunch.version
        ),
    )

    assert response.status_code == 302
    lunch.refresh_from_db()
    assert (lunch.title, lunch.room, lunch.end, lunch.version) == ("Long lunch", hall, _at(event, 13, 30), 2)


def test_break_edit_stale_shows_the_stored_break(scheduler_client, event, lunch):
    seen = lunch.version
    services.save_break(
        event=event,
        by=None,
        title="Lunch",
        room=None,
        start=_at(event, 12, 30),
        end=_at(event, 13, 30),
        slot=lunch,
        version=lunch.version,
    )

    response = scheduler_client.post(
        _url("schedule_break_edit", event, pk=lunch.pk),
        _break_form(event, title="Brunch", start="11:00", end="12:00", version=seen),
    )
    page = _text(response)

    assert response.status_code == 200
    assert "Someone else changed “Lunch”" in page
    assert 'value="12:30"' in page
    assert 'name="version" value="2"' in page
    lunch.refresh_from_db()
    assert (lunch.title, lunch.start) == ("Lunch", _at(event, 12, 30))


def test_break_delete_removes_it(scheduler_client, event, lunch):
    response = scheduler_client.post(
        _url("schedule_break_delete", event, pk=lunch.pk), {"version": lunch.version}
    )

    assert response.status_code == 302
    assert f"The break “{isolated('Lunch')}” was deleted." in _text(scheduler_client.get(response.url))
    assert not Slot.objects.filter(pk=lunch.pk).exists()


@pytest.mark.parametrize("version", ["0", "garbage", ""])
def test_break_delete_refuses_a_stale_version(scheduler_client, event, lunch, version):
    response = scheduler_client.post(_url("schedule_break_delete", event, pk=lunch.pk), {"version": version})

    assert response.status_code == 302
    assert "Someone else changed “Lunch”" in _text(scheduler_client.get(response.url))
    assert Slot.objects.filter(pk=lunch.pk).exists()


def test_break_of_another_event_is_not_found(scheduler_client, event):
    other = factories.EventFactory()
    foreign = services.save_break(
        event=other, by=None, title="Elsewhere", room=None, start=_at(other, 12), end=_at(other, 13)
    )

    edit = scheduler_client.get(_url("schedule_break_edit", event, pk=foreign.pk))
    delete = scheduler_client.post(
        _url("schedule_break_delete", event, pk=foreign.pk), {"version": foreign.version}
    )

    assert (edit.status_code, delete.status_code) == (404, 404)
    assert Slot.objects.filter(pk=foreign.pk).exists()


def test_break_pages_do_not_load_a_session_slot(scheduler_client, event):
    hall, _ = _rooms(event)
    slot = _place(event, _talk(event), hall, _at(event, 10))

    response = scheduler_client.get(_url("schedule_break_edit", event, pk=slot.pk))

    assert response.status_code == 404


# --- The release page --------------------------------------------------------------------------------


def test_release_page_previews_new_sessions(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event, title="Fresh talk")
    _place(event, talk, hall, _at(event, 10))

    page = _text(scheduler_client.get(_url("schedule_release", event)))

    assert "1 new" in page
    assert "0 moved" in page
    row = re.search(r'<tr class="change-new">(.*?)</tr>', page, re.S)
    assert row is not None
    assert "Fresh talk" in row.group(1)
    assert (
        f"<bdi>Hall A</bdi>, {event.days[0]:%a} {event.days[0].day} {event.days[0]:%b} 10:00–10:30"
        in row.group(1)
    )
    assert 'placeholder="v1"' in page


def test_release_page_names_the_zones_of_a_move_by_the_hour_the_clocks_repeat(client):
    """The first 02:30 to the second, in Brussels on 26 October 2025: the preview read 02:30 twice."""
    event = factories.EventFactory(
        timezone="Europe/Brussels", date_from=dt.date(2025, 10, 25), date_to=dt.date(2025, 10, 26),
        day_start_hour=5,
    )  # fmt: skip
    scheduler = factories.team_member(event, name="Schedulers", can_schedule=True)
    client.force_login(scheduler)
    hall = _rooms(event)[0]
    talk = _talk(event, title="Night talk")
    _place(event, talk, hall, dt.datetime(2025, 10, 26, 0, 30, tzinfo=dt.UTC))
    services.publish_release(event=event, by=scheduler)
    _place(event, talk, hall, dt.datetime(2025, 10, 26, 1, 30, tzinfo=dt.UTC))

    page = _text(client.get(_url("schedule_release", event)))

    row = re.search(r'<tr class="change-moved">(.*?)</tr>', page, re.S)
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert "<bdi>Hall A</bdi>, Sun 26 Oct 02:30 CEST–02:00 CET" in cells[1]
    assert "<bdi>Hall A</bdi>, Sun 26 Oct 02:30 CET–03:00 CET" in cells[2]


def test_release_page_previews_a_move_with_old_and_new_place(scheduler_client, event, scheduler):
    hall, room_101 = _rooms(event)
    talk = _talk(event, title="Wandering talk")
    _place(event, talk, hall, _at(event, 10))
    services.publish_release(event=event, by=scheduler)
    _place(event, talk, room_101, _at(event, 11))

    page = _text(scheduler_client.get(_url("schedule_release", event)))

    row = re.search(r'<tr class="change-moved">(.*?)</tr>', page, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    assert "<bdi>Hall A</bdi>, " in cells[1]
    assert "10:00–10:30" in cells[1]
    assert "<bdi>Room 101</bdi>, " in cells[2]
    assert "11:00–11:30" in cells[2]
    assert 'placeholder="v2"' in page


def test_release_publish_creates_a_release_and_queues_speaker_mails(scheduler_client, event, scheduler):
    hall, room_101 = _rooms(event)
    duo = _talk(event, speakers=[factories.UserFactory(), factories.UserFactory()])
    solo = _talk(event)
    _place(event, duo, hall, _at(event, 10))
    _place(event, solo, room_101, _at(event, 10))

    response = scheduler_client.post(_url("schedule_release", event), {"name": "", "comment": "Hello"})
    followed = scheduler_client.get(response.url)

    release = Release.objects.get(event=event)
    assert (release.version, release.name, release.comment, release.published_by) == (
        1,
        "v1",
        "Hello",
        scheduler,
    )
    assert OutboxMail.objects.filter(event=event, about=f"release:{release.pk}").count() == 3
    assert response.url == _url("schedule_release", event)
    assert "Release v1 published: 2 new, 0 moved, 0 changed, 0 cancelled. 3 speaker notices queued." in _text(
        followed
    )


def test_release_publish_twice_without_changes_is_refused(scheduler_client, event):
    hall, _ = _rooms(event)
    _place(event, _talk(event), hall, _at(event, 10))
    scheduler_client.post(_url("schedule_release", event), {"name": ""})

    response = scheduler_client.post(_url("schedule_release", event), {"name": "", "comment": "Again"})

    assert response.status_code == 200
    assert re.search(r'role="alert"><p>Nothing public changed since release v1.</p>', _text(response))
    assert re.search(r'<textarea name="comment"[^>]*>\s*Again</textarea>', _text(response))
    assert Release.objects.filter(event=event).count() == 1


def test_release_page_says_when_nothing_changed(scheduler_client, event, scheduler):
    hall, _ = _rooms(event)
    _place(event, _talk(event), hall, _at(event, 10))
    services.publish_release(event=event, by=scheduler)

    page = _text(scheduler_client.get(_url("schedule_release", event)))

    assert "Nothing public changed since release v1: there is nothing to publish." in page


def test_release_duplicate_name_is_refused(scheduler_client, event, scheduler):
    hall, room_101 = _rooms(event)
    talk = _talk(event)
    _place(event, talk, hall, _at(event, 10))
    services.publish_release(event=event, by=scheduler, name="Final")
    _place(event, talk, room_101, _at(event, 10))

    response = scheduler_client.post(_url("schedule_release", event), {"name": "Final"})

    assert response.status_code == 200
    assert "A release is already named “Final”; choose another name." in _text(response)
    assert response.context["form"].errors["name"]
    assert Release.objects.filter(event=event).count() == 1


def test_release_page_lists_past_releases(scheduler_client, event):
    publisher = factories.team_member(
        event, user=factories.UserFactory(name="Pat Publisher"), can_schedule=True
    )
    hall, _ = _rooms(event)
    _place(event, _talk(event), hall, _at(event, 10))
    services.publish_release(event=event, by=publisher, name="Preview", comment="First look")

    page = _text(scheduler_client.get(_url("schedule_release", event)))

    row = re.search(r"<tr>\s*<td>1</td>(.*?)</tr>", page, re.S)
    assert row is not None
    assert "Preview" in row.group(1)
    assert "First look" in row.group(1)
    assert "Pat Publisher" in row.group(1)
    assert re.findall(r"<td>(\d+)</td>", row.group(1)) == ["1", "0", "0", "0"]


def test_release_page_warns_about_errors_but_allows_publishing(scheduler_client, event):
    hall, room_101 = _rooms(event)
    busy = factories.UserFactory(name="Busy Speaker")
    _place(event, _talk(event, speakers=[busy]), hall, _at(event, 10))
    _place(event, _talk(event, speakers=[busy]), room_101, _at(event, 10))

    page = _text(scheduler_client.get(_url("schedule_release", event)))
    response = scheduler_client.post(_url("schedule_release", event), {"name": ""})

    assert re.search(r'role="alert">\s*<p><strong>The draft has 1 error\.</strong>', page)
    assert "Busy Speaker speaks in" in page
    assert response.status_code == 302
    assert Release.objects.filter(event=event).count() == 1


# --- Query counts ------------------------------------------------------------------------------------


def _grower(event, *, place: bool, publish_by=None):
    """`grow(n)` adds n talks with two speakers and a star each (placed on day one when `place`),
    plus a break; with `publish_by`, a release after each growth."""
    rooms = _rooms(event)
    fan = factories.UserFactory()
    added = []

    def grow(count):
        for _ in range(count):
            index = len(added)
            talk = _talk(event, speakers=[factories.UserFactory(), factories.UserFactory()])
            Star.objects.create(event=event, user=fan, proposal=talk)
            if place:
                start = _at(event, 8) + dt.timedelta(minutes=30 * (index // 2))
                _place(event, talk, rooms[index % 2], start)
            added.append(talk)
        breaks = event.slots.filter(kind="break").count()
        start = _at(event, 17) + dt.timedelta(hours=breaks)
        services.save_break(
            event=event,
            by=None,
            title="Break",
            room=rooms[0],
            start=start,
            end=start + dt.timedelta(minutes=30),
        )
        if publish_by is not None:
            services.publish_release(event=event, by=publish_by)

    return grow


def test_editor_query_count_does_not_grow_with_placed_sessions(scheduler_client, event):
    assert_constant_queries(scheduler_client, _url("schedule", event), _grower(event, place=True))


def test_editor_query_count_does_not_grow_with_unscheduled_sessions(scheduler_client, event):
    assert_constant_queries(scheduler_client, _url("schedule", event), _grower(event, place=False))


def test_release_page_query_count_does_not_grow(scheduler_client, event, scheduler):
    grow = _grower(event, place=True, publish_by=scheduler)
    pending = []

    def grow_and_change(count):
        grow(count)
        # Something to preview: one more session after the latest release.
        talk = _talk(event)
        _place(event, talk, _rooms(event)[0], _at(event, 9, day=1) + dt.timedelta(hours=len(pending)))
        pending.append(talk)

    assert_constant_queries(scheduler_client, _url("schedule_release", event), grow_and_change)


# --- Conflicts named on the card, rows proportional to time -------------------------------------------


def test_editor_card_names_its_conflict_instead_of_see_above(scheduler_client, event):
    hall, room_101 = _rooms(event)
    busy = factories.UserFactory(name="Busy Speaker")
    first = _talk(event, title="First talk", speakers=[busy])
    second = _talk(event, title="Second talk", speakers=[busy], track=event.tracks.get(name="Web"))
    _place(event, first, hall, _at(event, 10))
    _place(event, second, room_101, _at(event, 10, 15))

    page = _text(scheduler_client.get(_url("schedule", event)))

    assert "see above" not in page
    cards = {
        talk.code: re.search(rf'<td[^>]*data-code="{talk.code}".*?</td>', page, re.S).group(0)
        for talk in (first, second)
    }
    assert "Conflict: speaker double-booked with “Second talk”" in cards[first.code]
    assert "Conflict: speaker double-booked with “First talk”" in cards[second.code]


def test_editor_card_names_capacity_and_availability(scheduler_client, event):
    _, room_101 = _rooms(event)
    room_101.capacity = 1
    room_101.save()
    crowded = _talk(event, title="Crowded")
    for _ in range(2):
        Star.objects.create(event=event, user=factories.UserFactory(), proposal=crowded)
    _place(event, crowded, room_101, _at(event, 10))

    page = _text(scheduler_client.get(_url("schedule", event)))

    card = re.search(rf'<td[^>]*data-code="{crowded.code}".*?</td>', page, re.S).group(0)
    assert "Note: room capacity: more stars than seats" in card


def test_editor_rows_carry_their_length_so_the_grid_is_proportional_to_time(scheduler_client, event):
    hall, _ = _rooms(event)
    odd = _talk(event, title="Odd start")
    _place(event, odd, hall, _at(event, 10, 10))  # rows 10:00-10:10 and 10:10-10:15, then 15 minutes each

    page = _text(scheduler_client.get(_url("schedule", event)))

    rows = re.findall(r'<tr class="m-(\d+) [^"]*">\s*<th scope="row">(\d\d:\d\d)</th>', page)
    lengths = {time: int(minutes) for minutes, time in rows}
    assert (lengths["09:45"], lengths["10:00"], lengths["10:10"], lengths["10:15"]) == (15, 10, 5, 15)
    assert re.search(rf'<td rowspan="\d+"[^>]*data-code="{odd.code}"[^>]*data-minutes="30"', page)


# --- Pins ---------------------------------------------------------------------------------------------


def _pin(client, event, proposal, *, pinned, version, fragment=True):
    data = {"code": proposal.code, "version": version, "pinned": "1" if pinned else "0"}
    return client.post(_url("schedule_pin", event), data, **(FRAGMENT if fragment else {}))


def test_editor_cards_offer_pin_and_the_side_panel_lists_pins(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event, title="Keynote-ish")
    slot = _place(event, talk, hall, _at(event, 10))

    page = _text(scheduler_client.get(_url("schedule", event)))

    card = re.search(rf'<td[^>]*data-code="{talk.code}".*?</td>', page, re.S).group(0)
    assert f'action="{_url("schedule_pin", event)}"' in card
    assert f'name="version" value="{slot.version}"' in card
    assert 'name="pinned" value="1"' in card
    assert "Pinned (0)" in page


def test_pin_answers_the_editor_with_the_session_pinned(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event, title="Stay here")
    slot = _place(event, talk, hall, _at(event, 10))

    response = _pin(scheduler_client, event, talk, pinned=True, version=slot.version)
    page = _text(response)

    assert response.status_code == 200
    assert page.startswith('<div id="schedule-editor"')
    assert "“Stay here” is pinned: automatic scheduling leaves it where it is." in page
    card = re.search(rf'<td[^>]*data-code="{talk.code}".*?</td>', page, re.S).group(0)
    assert 'data-pinned="1"' in card
    assert '<span class="pin-mark">Pinned</span>' in card
    assert f'data-version="{slot.version + 1}"' in card
    assert 'name="pinned" value="0"' in card  # the button now unpins
    assert "Pinned (1)" in page
    assert _slot(talk).pinned
    assert AuditEntry.objects.filter(action="slot.pinned", object_id=str(talk.pk)).exists()


def test_unpin_without_the_script_redirects_with_a_message(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event, title="Free again")
    slot = _place(event, talk, hall, _at(event, 10))
    slot = services.set_pinned(event=event, proposal=talk, pinned=True, version=slot.version, by=None)

    response = _pin(scheduler_client, event, talk, pinned=False, version=slot.version, fragment=False)

    assert response.status_code == 302
    page = _text(scheduler_client.get(response.url))
    assert f"“{isolated('Free again')}” is unpinned" in page
    assert not _slot(talk).pinned


def test_pin_refuses_a_stale_version_and_shows_the_schedule_as_it_is(scheduler_client, event):
    hall, room_101 = _rooms(event)
    talk = _talk(event, title="Moved meanwhile")
    seen = _place(event, talk, hall, _at(event, 10))
    _place(event, talk, room_101, _at(event, 11))

    response = _pin(scheduler_client, event, talk, pinned=True, version=seen.version)

    assert response.status_code == 409
    assert "it is now in Room 101, " in _text(response)
    assert not _slot(talk).pinned


def test_pin_refuses_a_session_not_on_the_schedule(scheduler_client, event):
    talk = _talk(event, title="Not placed")

    response = _pin(scheduler_client, event, talk, pinned=True, version=0)

    assert response.status_code == 409
    assert "“Not placed” is not on the schedule" in _text(response)
    assert not Slot.objects.filter(proposal=talk).exists()


@pytest.mark.parametrize("pinned", ["", "maybe"])
def test_pin_refuses_a_bad_request(scheduler_client, event, pinned):
    hall, _ = _rooms(event)
    talk = _talk(event)
    slot = _place(event, talk, hall, _at(event, 10))

    response = scheduler_client.post(
        _url("schedule_pin", event),
        {"code": talk.code, "version": slot.version, "pinned": pinned},
        **FRAGMENT,
    )

    assert response.status_code == 400
    assert not _slot(talk).pinned


def test_slot_form_pins_and_unpins(scheduler_client, event):
    hall, _ = _rooms(event)
    talk = _talk(event, title="Form pinned")
    slot = _place(event, talk, hall, _at(event, 10))
    url = _url("schedule_slot", event, code=talk.code)

    page = _text(scheduler_client.get(url))
    assert "Not pinned" in page
    assert "Pin here" in page

    response = scheduler_client.post(url, {"version": slot.version, "pinned": "1"})
    assert response.status_code == 302
    assert response.url == url
    page = _text(scheduler_client.get(url))
    assert "“Form pinned” is pinned" in page
    assert "Pinned</strong> here" in page
    assert "Unpin" in page
    assert _slot(talk).pinned

    response = scheduler_client.post(url, {"version": slot.version + 1, "pinned": "0"})
    assert response.status_code == 302
    assert not _slot(talk).pinned
    assert _slot(talk).start == _at(event, 10)  # the place stays


def test_slot_form_pin_refuses_a_stale_version(scheduler_client, event):
    hall, room_101 = _rooms(event)
    talk = _talk(event, title="Stale pin")
    seen = _place(event, talk, hall, _at(event, 10))
    _place(event, talk, room_101, _at(event, 11))

    response = scheduler_client.post(
        _url("schedule_slot", event, code=talk.code), {"version": seen.version, "pinned": "1"}
    )

    assert response.status_code == 200
    page = _text(response)
    assert "it is now in Room 101, " in page
    assert not _slot(talk).pinned


def test_the_editor_grid_across_the_night_the_clocks_go_back_shows_both_hours(client):
    """Brussels, 26 October 2025: 03:00 becomes 02:00 again. Two sessions in one room at 02:00, one in
    each of the two hours, follow each other in the grid (they were drawn side by side, as if they
    collided, with every row of the room split in two), its rows follow each other in time, and each row
    is drawn for the minutes it lasts."""
    event = factories.EventFactory(
        timezone="Europe/Brussels", date_from=dt.date(2025, 10, 25), date_to=dt.date(2025, 10, 26),
        day_start_hour=5,
    )  # fmt: skip
    client.force_login(factories.team_member(event, name="Schedulers", can_schedule=True))
    room = _rooms(event)[0]
    first = _talk(event, title="First two o'clock")
    second = _talk(event, title="Second two o'clock")
    _place(event, first, room, dt.datetime(2025, 10, 26, 0, 0, tzinfo=dt.UTC))  # 02:00 summer time
    _place(event, second, room, dt.datetime(2025, 10, 26, 1, 0, tzinfo=dt.UTC))  # 02:00 winter time

    page = _text(client.get(_url("schedule", event) + "?day=2025-10-25"))

    grid = page[page.index("<table") : page.index("</table>")]
    assert "First two o'clock" in grid
    assert "Second two o'clock" in grid
    cells = re.findall(r'data-room="(\d+)" data-start="([^"]+)"', grid)
    starts = [dt.datetime.fromisoformat(iso) for room_pk, iso in cells if room_pk == str(room.pk)]
    assert starts == sorted(set(starts))  # the room's empty cells, each at a moment of its own, in order
    assert re.findall(r'<th scope="row">(\d\d:\d\d)</th>', grid)[-8:] == [
        "01:30", "01:45", "02:00", "02:15", "02:30", "02:45", "02:00", "02:15"
    ]  # fmt: skip
    assert 'class="m-1 ' not in grid
