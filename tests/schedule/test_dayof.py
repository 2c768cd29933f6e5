"""Day-of changes: a room running late, a session moved or cancelled, published in one transaction."""

import pytest

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.mail.models import OutboxMail
from podium.schedule import dayof, services
from podium.schedule.models import Slot
from podium.schedule.queries import latest_release
from tests import factories
from tests.program import at, lunch, place, placed_talk, release, room

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def morning(event, scheduler):
    """Three talks in Room 101 at 10:00, 10:30 and 11:00, one in Hall A at 10:00, lunch at 12:00; released."""
    talks = [
        placed_talk(event, f"Talk {hour}:{minute:02d}", "Room 101", at(event, hour, minute), scheduler)
        for hour, minute in ((10, 0), (10, 30), (11, 0))
    ]
    other = placed_talk(event, "Hall talk", "Hall A", at(event, 10), scheduler)
    lunch(event, scheduler)
    release(event, scheduler)
    return talks, other


def _start(proposal):
    return Slot.objects.get(proposal=proposal).start


def _delay(event, minutes, **kwargs):
    return dayof.RoomDelay(room=room(event, "Room 101"), day=event.date_from, minutes=minutes, **kwargs)


def test_room_delay_shifts_the_remaining_sessions_from_now(event, scheduler, morning):
    talks, other = morning

    dayof.apply_and_publish(event=event, by=scheduler, change=_delay(event, 15, now=at(event, 10, 10)))

    assert [_start(p) for p in talks] == [at(event, 10), at(event, 10, 45), at(event, 11, 15)]
    assert _start(other) == at(event, 10)


def test_room_delay_shifts_from_a_chosen_session_and_publishes_a_release(event, scheduler, morning):
    talks, _ = morning

    published = dayof.apply_and_publish(
        event=event, by=scheduler, change=_delay(event, 15, from_code=talks[0].code)
    )

    assert [_start(p) for p in talks] == [at(event, 10, 15), at(event, 10, 45), at(event, 11, 15)]
    assert published.version == 2
    assert published.comment == "Room 101 running 15 minutes late."
    assert sorted(c["code"] for c in published.changes if c["kind"] == "moved") == sorted(
        p.code for p in talks
    )


def _breaks(event):
    return sorted(
        (slot.room.name if slot.room_id else "every room", slot.start, slot.end)
        for slot in Slot.objects.filter(event=event, kind="break")
    )


def test_room_delay_into_the_lunch_break_shortens_the_break_in_that_room_only(event, scheduler, morning):
    """Refused before ("would start at … is the break"): the break absorbs the delay instead."""
    talks, other = morning
    change = _delay(event, 45, from_code=talks[0].code)

    assert change.explain(event) == (
        "Shifts “Talk 10:00” to 10:45, “Talk 10:30” to 11:15, “Talk 11:00” to 11:45; the break “Lunch” "
        "in Room 101 now runs 12:15\u201313:00. The break “Lunch” absorbs the delay."
    )
    published = dayof.apply_and_publish(event=event, by=scheduler, change=change)

    assert [_start(p) for p in talks] == [at(event, 10, 45), at(event, 11, 15), at(event, 11, 45)]
    assert _start(other) == at(event, 10)
    assert _breaks(event) == [
        ("Hall A", at(event, 12), at(event, 13)),
        ("Room 101", at(event, 12, 15), at(event, 13)),
    ]
    assert sorted(c["code"] for c in published.changes if c["kind"] == "moved") == sorted(
        p.code for p in talks
    )


def test_room_delay_longer_than_a_break_continues_after_it(event, scheduler):
    """A 15-minute coffee break keeps 5 minutes; the other 10 of a 20-minute delay push what follows."""
    before = placed_talk(event, "Before coffee", "Room 101", at(event, 10), scheduler)
    services.save_break(
        event=event, by=scheduler, title="Coffee", room=room(event, "Room 101"),
        start=at(event, 10, 30), end=at(event, 10, 45),
    )  # fmt: skip
    after = [
        placed_talk(event, "After coffee", "Room 101", at(event, 10, 45), scheduler),
        placed_talk(event, "Next", "Room 101", at(event, 11, 15), scheduler),
        placed_talk(event, "Later", "Room 101", at(event, 12), scheduler),
    ]
    release(event, scheduler)
    change = _delay(event, 20, from_code=before.code)

    assert "The end of the day absorbs the delay." in change.explain(event)
    dayof.apply_and_publish(event=event, by=scheduler, change=change)

    assert _start(before) == at(event, 10, 20)
    assert _breaks(event) == [("Room 101", at(event, 10, 50), at(event, 10, 55))]
    assert [_start(p) for p in after] == [at(event, 10, 55), at(event, 11, 25), at(event, 12, 10)]


def test_room_delay_at_the_end_of_the_day_shifts_the_last_sessions(event, scheduler, morning):
    talks, _ = morning
    late = placed_talk(event, "Last talk", "Room 101", at(event, 17), scheduler)

    dayof.apply_and_publish(event=event, by=scheduler, change=_delay(event, 30, from_code=late.code))

    assert _start(late) == at(event, 17, 30)
    assert [_start(p) for p in talks] == [at(event, 10), at(event, 10, 30), at(event, 11)]


def test_room_delay_refuses_a_real_clash_with_a_speaker_elsewhere(event, scheduler, morning):
    talks, _ = morning
    hall = placed_talk(event, "Hall at 11:30", "Hall A", at(event, 11, 30), scheduler)
    hall.speakers.add(talks[2].speakers.first())  # the 11:00 speaker speaks again at 11:30 in Hall A

    with pytest.raises(
        ServiceError, match=r"cannot run 15 minutes late: “Talk 11:00” would start at 11:15, when"
    ):
        dayof.apply_and_publish(event=event, by=scheduler, change=_delay(event, 15, from_code=talks[0].code))

    assert [_start(p) for p in talks] == [at(event, 10), at(event, 10, 30), at(event, 11)]
    assert _breaks(event) == [("every room", at(event, 12), at(event, 13))]


def test_room_delay_with_a_stale_version_is_refused(event, scheduler, morning):
    talks, _ = morning
    seen = {slot.pk: slot.version for slot in Slot.objects.filter(proposal__in=talks)}
    place(event, talks[2], "Room 101", at(event, 11, 5), scheduler)  # someone else moved it meanwhile

    with pytest.raises(StaleEdit, match="Your change was not applied"):
        dayof.apply_and_publish(
            event=event, by=scheduler, change=_delay(event, 10, from_code=talks[0].code, versions=seen)
        )

    assert _start(talks[0]) == at(event, 10)


def test_room_delay_refuses_an_unreasonable_delay(event, scheduler, morning):
    with pytest.raises(ServiceError, match="between 1 and 240"):
        dayof.apply_and_publish(event=event, by=scheduler, change=_delay(event, 0, now=at(event, 9)))


def test_room_delay_with_nothing_left_to_shift_is_refused(event, scheduler, morning):
    with pytest.raises(ServiceError, match="no more sessions"):
        dayof.apply_and_publish(event=event, by=scheduler, change=_delay(event, 5, now=at(event, 18)))


def test_session_move_goes_through_the_room_checks(event, scheduler, morning):
    talks, _ = morning
    version = Slot.objects.get(proposal=talks[0]).version

    with pytest.raises(ServiceError, match="Hall A is taken"):
        dayof.apply_and_publish(
            event=event,
            by=scheduler,
            change=dayof.SessionMove(
                proposal=talks[0], room=room(event, "Hall A"), start=at(event, 10), version=version
            ),
        )
    published = dayof.apply_and_publish(
        event=event,
        by=scheduler,
        change=dayof.SessionMove(
            proposal=talks[0], room=room(event, "Hall A"), start=at(event, 14), version=version
        ),
    )

    assert Slot.objects.get(proposal=talks[0]).room.name == "Hall A"
    assert [c["kind"] for c in published.changes] == ["moved"]


def test_session_cancel_keeps_the_slot_and_publishes_it_as_cancelled(event, scheduler, morning):
    talks, _ = morning
    talks[1].refresh_from_db()

    published = dayof.apply_and_publish(
        event=event, by=scheduler, change=dayof.SessionCancel(proposal=talks[1], version=talks[1].version)
    )

    talks[1].refresh_from_db()
    assert talks[1].state == "cancelled"
    assert Slot.objects.get(proposal=talks[1]).start == at(event, 10, 30)
    assert [(c["kind"], c["code"]) for c in published.changes] == [("cancelled", talks[1].code)]


def test_session_cancel_with_a_stale_version_is_refused(event, scheduler, morning):
    talks, _ = morning
    talks[1].refresh_from_db()

    with pytest.raises(StaleEdit):
        dayof.apply_and_publish(
            event=event,
            by=scheduler,
            change=dayof.SessionCancel(proposal=talks[1], version=talks[1].version - 1),
        )


def test_apply_and_publish_rolls_the_change_back_when_publishing_fails(
    event, scheduler, morning, monkeypatch
):
    talks, _ = morning

    def broken(**kwargs):
        raise ServiceError("The release could not be written.")

    monkeypatch.setattr("podium.schedule.services.publish_release", broken)
    with pytest.raises(ServiceError, match="could not be written"):
        dayof.apply_and_publish(event=event, by=scheduler, change=_delay(event, 10, from_code=talks[0].code))

    assert [_start(p) for p in talks] == [at(event, 10), at(event, 10, 30), at(event, 11)]


def test_preview_change_shows_the_changelog_and_writes_nothing(event, scheduler, morning):
    talks, _ = morning
    mails = OutboxMail.objects.count()

    preview = dayof.preview_change(
        event=event, by=scheduler, change=_delay(event, 10, from_code=talks[1].code)
    )

    assert preview.changed
    assert sorted(c["code"] for c in preview.changes) == sorted([talks[1].code, talks[2].code])
    assert [_start(p) for p in talks] == [at(event, 10), at(event, 10, 30), at(event, 11)]
    assert latest_release(event).version == 1
    assert OutboxMail.objects.count() == mails


def test_preview_change_lists_the_conflicts_the_change_adds(event, scheduler, morning):
    talks, other = morning
    other.speakers.add(talks[2].speakers.first())  # the 11:00 speaker also gives the Hall A talk
    version = Slot.objects.get(proposal=other).version

    preview = dayof.preview_change(
        event=event,
        by=scheduler,
        change=dayof.SessionMove(
            proposal=other, room=room(event, "Hall A"), start=at(event, 11), version=version
        ),
    )

    # Both talks are in the same track too, so it now runs against itself at 11:00.
    assert [c.kind for c in preview.new_conflicts] == ["speaker_twice", "track_clash"]
    assert _start(other) == at(event, 10)


def test_dayof_changes_need_the_schedule_permission(event, morning):
    talks, _ = morning
    outsider = factories.UserFactory()

    with pytest.raises(NotAllowed):
        dayof.preview_change(event=event, by=outsider, change=_delay(event, 10, from_code=talks[0].code))
    with pytest.raises(NotAllowed):
        dayof.apply_and_publish(event=event, by=outsider, change=_delay(event, 10, from_code=talks[0].code))
