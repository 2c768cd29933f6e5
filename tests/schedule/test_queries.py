"""Reads of the draft and of releases."""

import datetime as dt

import pytest

from podium.schedule import queries, services
from tests import factories

pytestmark = pytest.mark.django_db


def at(event, hour, day=0):
    return dt.datetime.combine(event.date_from + dt.timedelta(days=day), dt.time(hour), tzinfo=event.tz)


def test_unscheduled_proposals_are_the_accepted_and_confirmed_without_a_place(event):
    hall = event.rooms.first()
    waiting = factories.ProposalFactory(event=event, state="accepted", title="B waiting")
    confirmed = factories.ProposalFactory(event=event, state="confirmed", title="A confirmed")
    placed = factories.ProposalFactory(event=event, state="confirmed")
    factories.ProposalFactory(event=event, state="submitted")
    services.place_session(event=event, proposal=placed, room=hall, start=at(event, 10), version=0, by=None)
    taken_off = factories.ProposalFactory(event=event, state="confirmed", title="C taken off")
    services.place_session(
        event=event, proposal=taken_off, room=hall, start=at(event, 11), version=0, by=None
    )
    services.unschedule_session(event=event, proposal=taken_off, version=1, by=None)

    assert list(queries.unscheduled_proposals(event)) == [confirmed, waiting, taken_off]


def test_placed_slots_of_a_day_follow_the_day_start_hour(event):
    hall = event.rooms.first()
    late = factories.ProposalFactory(event=event, state="confirmed")
    next_day = factories.ProposalFactory(event=event, state="confirmed")
    services.place_session(
        event=event, proposal=late, room=hall, start=at(event, 2, day=1), version=0, by=None
    )
    services.place_session(
        event=event, proposal=next_day, room=hall, start=at(event, 9, day=1), version=0, by=None
    )

    first_day = [slot.proposal for slot in queries.placed_slots(event, event.date_from)]
    second_day = [slot.proposal for slot in queries.placed_slots(event, event.days[1])]

    assert (first_day, second_day) == ([late], [next_day])


def test_released_sessions_filter_by_day_track_and_room_and_keep_breaks(event):
    hall, small = event.rooms.order_by("position")
    web, data = event.tracks.order_by("name").reverse()
    on_web = factories.ProposalFactory(event=event, state="confirmed", track=web)
    on_data = factories.ProposalFactory(event=event, state="confirmed", track=data)
    services.place_session(event=event, proposal=on_web, room=hall, start=at(event, 10), version=0, by=None)
    services.place_session(
        event=event, proposal=on_data, room=small, start=at(event, 10, day=1), version=0, by=None
    )
    services.save_break(
        event=event, by=None, title="Lunch", room=None, start=at(event, 12), end=at(event, 13)
    )
    release = services.publish_release(event=event, by=None)

    def titles(**filters):
        return [s.title for s in queries.released_sessions(release, **filters)]

    assert titles(track_id=web.pk) == [on_web.title, "Lunch"]
    assert titles(room_uuid=small.uuid) == ["Lunch", on_data.title]
    assert titles(day=event.days[1]) == [on_data.title]
    assert queries.release_days(release) == [event.date_from, event.days[1]]
    assert queries.latest_release(event) == release
