"""The day-of page: sessions per room, and the two-step actions (confirm, then apply and publish)."""

import datetime as dt

import pytest
from django.urls import reverse

from podium.mail.models import OutboxMail
from podium.schedule import services
from podium.schedule.models import Slot
from podium.schedule.queries import latest_release
from tests import factories
from tests.program import at, fill_day, lunch, place, placed_talk, release, room
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event, client):
    user = factories.team_member(event, name="Schedulers", can_schedule=True)
    client.force_login(user)
    return user


@pytest.fixture
def talks(event, scheduler):
    made = [placed_talk(event, f"Talk {hour}", "Room 101", at(event, hour), scheduler) for hour in (10, 11)]
    lunch(event, scheduler)
    release(event, scheduler)
    return made


def _board(event, day=None):
    url = reverse("orga:dayof", kwargs={"event": event.slug})
    return f"{url}?day={day.isoformat()}" if day else url


def _change_url(event):
    return reverse("orga:dayof_change", kwargs={"event": event.slug})


def _start(proposal):
    return Slot.objects.get(proposal=proposal).start


def test_dayof_board_lists_the_days_sessions_per_room(client, event, talks):
    response = client.get(_board(event, event.date_from))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Talk 10" in page
    assert "Talk 11" in page
    assert "Lunch" in page
    assert [c.room.name for c in response.context["columns"]] == ["Hall A", "Room 101"]
    assert "running late" in page


def test_dayof_board_needs_the_schedule_permission(client, event, talks):
    client.force_login(factories.team_member(event, name="Reviewers", can_review=True))

    assert client.get(_board(event)).status_code in (403, 404)


def test_dayof_delay_shows_a_preview_first_and_changes_nothing(client, event, talks):
    data = {"action": "delay", "day": event.date_from.isoformat(), "room": room(event, "Room 101").pk}
    data |= {"minutes": "15", "from_code": talks[0].code}

    response = client.post(_change_url(event), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Room 101 running 15 minutes late" in page
    assert "Apply and publish" in page
    assert sorted(c["code"] for c in response.context["changes"]) == sorted(t.code for t in talks)
    assert _start(talks[0]) == at(event, 10)
    assert latest_release(event).version == 1


def test_dayof_delay_apply_moves_and_publishes(client, event, talks):
    preview = client.post(
        _change_url(event),
        {
            "action": "delay",
            "day": event.date_from.isoformat(),
            "room": room(event, "Room 101").pk,
            "minutes": "15",
            "from_code": talks[0].code,
        },
    )
    fields = {name: str(value) for name, value in preview.context["fields"].items()}

    response = client.post(_change_url(event), {**fields, "apply": "1"}, follow=True)

    assert [_start(t) for t in talks] == [at(event, 10, 15), at(event, 11, 15)]
    published = latest_release(event)
    assert (published.version, published.comment) == (2, "Room 101 running 15 minutes late.")
    assert "Published v2" in response.content.decode()
    assert OutboxMail.objects.filter(about=f"release:{published.pk}").count() == 2


def test_dayof_apply_with_a_stale_version_is_refused(client, event, scheduler, talks):
    preview = client.post(
        _change_url(event),
        {
            "action": "delay",
            "day": event.date_from.isoformat(),
            "room": room(event, "Room 101").pk,
            "minutes": "15",
            "from_code": talks[0].code,
        },
    )
    fields = {name: str(value) for name, value in preview.context["fields"].items()}
    place(event, talks[1], "Room 101", at(event, 11, 5), scheduler)  # another organiser, meanwhile

    response = client.post(_change_url(event), {**fields, "apply": "1"}, follow=True)

    assert "Your change was not applied" in response.content.decode()
    assert _start(talks[0]) == at(event, 10)
    assert latest_release(event).version == 1


def test_dayof_delay_into_lunch_shortens_lunch_and_says_what_it_shifted(client, event, talks):
    """Refused before ("would start at 12:00 … is the break"); the break absorbs the delay now."""
    data = {"action": "delay", "day": event.date_from.isoformat(), "room": room(event, "Room 101").pk}
    data |= {"minutes": "60", "from_code": talks[0].code}

    preview = client.post(_change_url(event), data)

    assert preview.status_code == 200
    detail = (
        "Shifts “Talk 10” to 11:00, “Talk 11” to 12:00; the break “Lunch” in Room 101 now runs "
        "12:30\u201313:00. The break “Lunch” absorbs the delay."
    )
    assert detail in preview.content.decode()
    fields = {name: str(value) for name, value in preview.context["fields"].items()}

    response = client.post(_change_url(event), {**fields, "apply": "1"}, follow=True)

    assert [_start(t) for t in talks] == [at(event, 11), at(event, 12)]
    assert detail in response.content.decode()
    assert latest_release(event).version == 2


def test_dayof_delay_with_a_real_clash_is_refused_with_a_clear_message(client, event, scheduler, talks):
    hall = placed_talk(event, "Hall talk", "Hall A", at(event, 11, 30), scheduler)
    hall.speakers.add(talks[1].speakers.first())
    data = {"action": "delay", "day": event.date_from.isoformat(), "room": room(event, "Room 101").pk}
    data |= {"minutes": "30", "from_code": talks[0].code}

    response = client.post(_change_url(event), data, follow=True)

    assert "cannot run 30 minutes late: “Talk 11” would start at 11:30, when" in response.content.decode()
    assert _start(talks[1]) == at(event, 11)


def test_dayof_move_and_cancel(client, event, talks):
    slot = Slot.objects.get(proposal=talks[0])
    move = {
        "action": "move",
        "day": event.date_from.isoformat(),
        "code": talks[0].code,
        "room": room(event, "Hall A").pk,
        "time": "14:00",
        "version": slot.version,
    }
    client.post(_change_url(event), {**move, "apply": "1"})
    talks[1].refresh_from_db()
    cancel = {"action": "cancel", "code": talks[1].code, "version": talks[1].version}
    client.post(_change_url(event), {**cancel, "apply": "1"})

    assert (Slot.objects.get(proposal=talks[0]).room.name, _start(talks[0])) == ("Hall A", at(event, 14))
    talks[1].refresh_from_db()
    assert talks[1].state == "cancelled"
    assert latest_release(event).version == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "explode"}, "Choose one of"),
        ({"action": "delay", "room": "999999", "minutes": "5"}, "Choose a room"),
        ({"action": "delay", "room": "x", "minutes": "5"}, "Choose a room"),
        ({"action": "move", "code": "NOPE"}, "Choose a session"),
        ({"action": "delay", "room": "ROOM", "minutes": "soon"}, "whole number"),
        ({"action": "delay", "room": "ROOM", "minutes": "5", "versions": "12:x"}, "form is damaged"),
    ],
)
def test_dayof_bad_input_gets_a_clear_error(client, event, talks, data, message):
    if data.get("room") == "ROOM":
        data = {**data, "room": room(event, "Room 101").pk}

    response = client.post(_change_url(event), data, follow=True)

    assert message in response.content.decode()
    assert latest_release(event).version == 1


def test_dayof_board_get_only_for_change(client, event, talks):
    assert client.get(_change_url(event)).status_code == 405


def test_dayof_board_query_count_does_not_grow(client, event, scheduler, django_assert_max_num_queries):
    url = _board(event, event.date_from)
    breaks = []

    def grow(count):
        fill_day(event, scheduler, count)
        start = at(event, 17) + dt.timedelta(hours=len(breaks))
        breaks.append(
            services.save_break(
                event=event,
                by=scheduler,
                title="Break",
                room=room(event, "Hall A"),
                start=start,
                end=start + dt.timedelta(minutes=30),
            )
        )

    assert_constant_queries(client, url, grow, small=3, large=30)

    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert sum(len(column.slots) for column in response.context["columns"]) == 32
