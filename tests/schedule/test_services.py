"""Schedule use cases: placing, moving and unscheduling sessions, breaks, and publishing releases."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.mail.models import OutboxMail
from podium.proposals.models import Proposal
from podium.schedule import services
from podium.schedule.models import ReleasedSession, ReleasedSpeaker, Slot
from tests import factories
from tests.program import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def scheduler(event):
    return factories.team_member(event, name="Schedulers", can_schedule=True)


@pytest.fixture
def rooms(event):
    return list(event.rooms.order_by("position"))


def talk(event, **kwargs):
    return factories.ProposalFactory(event=event, state=kwargs.pop("state", "confirmed"), **kwargs)


def place(event, proposal, room, start, by, version=0):
    return services.place_session(
        event=event, proposal=proposal, room=room, start=start, version=version, by=by
    )


# --- Placing and moving ----------------------------------------------------------------------------


def test_place_session_puts_it_in_the_room_for_its_duration(event, scheduler, rooms):
    proposal = talk(event)

    slot = place(event, proposal, rooms[0], at(event, 10, 0), scheduler)

    assert (slot.room, slot.start, slot.end, slot.version) == (
        rooms[0],
        at(event, 10),
        at(event, 10, 30),
        1,
    )
    assert AuditEntry.objects.filter(action="slot.placed", object_id=str(proposal.pk)).count() == 1


def test_place_session_drops_seconds(event, scheduler, rooms):
    slot = place(event, talk(event), rooms[0], at(event, 10, 0) + dt.timedelta(seconds=42), scheduler)

    assert slot.start == at(event, 10)


def test_move_session_keeps_its_slot_identity_and_raises_the_version(event, scheduler, rooms):
    proposal = talk(event)
    first = place(event, proposal, rooms[0], at(event, 10), scheduler)

    moved = place(event, proposal, rooms[1], at(event, 14), scheduler, version=1)

    assert (moved.pk, moved.uuid, moved.room, moved.start, moved.version) == (
        first.pk,
        first.uuid,
        rooms[1],
        at(event, 14),
        2,
    )


def test_move_session_with_a_stale_version_is_refused_and_says_where_it_is(event, scheduler, rooms):
    proposal = talk(event, title="Async all the way")
    place(event, proposal, rooms[0], at(event, 10), scheduler)
    place(event, proposal, rooms[1], at(event, 11), scheduler, version=1)  # someone else's move

    with pytest.raises(StaleEdit) as refused:
        place(event, proposal, rooms[0], at(event, 15), scheduler, version=1)

    assert "Async all the way" in refused.value.message
    assert "it is now in Room 101" in refused.value.message
    assert "11:00" in refused.value.message
    slot = Slot.objects.get(proposal=proposal)
    assert (slot.room, slot.start, slot.version) == (rooms[1], at(event, 11), 2)


def test_place_session_that_someone_else_placed_first_is_refused(event, scheduler, rooms):
    proposal = talk(event)
    place(event, proposal, rooms[0], at(event, 10), scheduler)

    with pytest.raises(StaleEdit):
        place(event, proposal, rooms[1], at(event, 12), scheduler, version=0)


def test_place_session_in_a_taken_room_is_refused_with_the_other_session(event, scheduler, rooms):
    place(event, talk(event, title="First talk"), rooms[0], at(event, 10), scheduler)
    second = talk(event)

    with pytest.raises(ServiceError) as refused:
        place(event, second, rooms[0], at(event, 10, 15), scheduler)

    day = at(event, 10).strftime("%a")
    assert refused.value.message == f"Hall A is taken {day} 10:00–10:30 by “First talk”."
    assert not Slot.objects.filter(proposal=second).exists()


def test_place_session_right_after_another_is_allowed(event, scheduler, rooms):
    place(event, talk(event), rooms[0], at(event, 10), scheduler)

    slot = place(event, talk(event), rooms[0], at(event, 10, 30), scheduler)

    assert slot.start == at(event, 10, 30)


def test_place_session_during_a_break_in_every_room_is_refused(event, scheduler, rooms):
    services.save_break(
        event=event, by=scheduler, title="Lunch", room=None, start=at(event, 12), end=at(event, 13)
    )

    with pytest.raises(ServiceError, match="the break “Lunch” in every room"):
        place(event, talk(event), rooms[1], at(event, 12, 15), scheduler)


@pytest.mark.parametrize("state", ["submitted", "rejected", "withdrawn", "cancelled"])
def test_place_session_refuses_what_is_not_accepted_or_confirmed(event, scheduler, rooms, state):
    proposal = talk(event, state=state)

    with pytest.raises(ServiceError, match="only accepted and confirmed sessions"):
        place(event, proposal, rooms[0], at(event, 10), scheduler)


def test_place_session_accepts_an_accepted_but_unconfirmed_session(event, scheduler, rooms):
    slot = place(event, talk(event, state="accepted"), rooms[0], at(event, 10), scheduler)

    assert slot.room == rooms[0]


def test_place_session_refuses_another_events_room_and_proposal(event, scheduler, rooms):
    other = factories.EventFactory()

    with pytest.raises(ServiceError, match="room of this event"):
        place(event, talk(event), other.rooms.first(), at(event, 10), scheduler)
    with pytest.raises(ServiceError, match="session of this event"):
        place(event, talk(other), rooms[0], at(event, 10), scheduler)


def test_place_session_refuses_a_naive_time(event, scheduler, rooms):
    with pytest.raises(ServiceError, match="time zone"):
        place(event, talk(event), rooms[0], dt.datetime(2031, 1, 1, 10), scheduler)


def test_place_session_needs_the_schedule_permission(event, organiser_user, rooms):
    with pytest.raises(NotAllowed):
        place(event, talk(event), rooms[0], at(event, 10), organiser_user)


def test_place_session_by_an_operator_without_a_user_is_allowed(event, rooms):
    slot = place(event, talk(event), rooms[0], at(event, 10), None)

    assert slot.room == rooms[0]


def test_place_session_frees_the_place_of_a_cancelled_session(event, scheduler, rooms):
    cancelled = talk(event)
    place(event, cancelled, rooms[0], at(event, 10), scheduler)
    Proposal.objects.filter(pk=cancelled.pk).update(state="cancelled")

    slot = place(event, talk(event), rooms[0], at(event, 10), scheduler)

    assert slot.start == at(event, 10)
    assert Slot.objects.get(proposal=cancelled).start is None


def test_unschedule_session_clears_the_place_and_keeps_the_slot(event, scheduler, rooms):
    proposal = talk(event)
    placed = place(event, proposal, rooms[0], at(event, 10), scheduler)

    slot = services.unschedule_session(event=event, proposal=proposal, version=1, by=scheduler)

    assert (slot.pk, slot.room, slot.start, slot.end, slot.version) == (placed.pk, None, None, None, 2)


def test_unschedule_session_with_a_stale_version_is_refused(event, scheduler, rooms):
    proposal = talk(event)
    place(event, proposal, rooms[0], at(event, 10), scheduler)
    place(event, proposal, rooms[0], at(event, 11), scheduler, version=1)

    with pytest.raises(StaleEdit):
        services.unschedule_session(event=event, proposal=proposal, version=1, by=scheduler)
    assert Slot.objects.get(proposal=proposal).start == at(event, 11)


# --- The database's own rule -----------------------------------------------------------------------


def test_database_refuses_two_slots_in_one_room_at_once(event, scheduler, rooms):
    place(event, talk(event), rooms[0], at(event, 10), scheduler)

    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.create(
            event=event,
            kind="break",
            title="Sneaky",
            room=rooms[0],
            start=at(event, 10, 20),
            end=at(event, 11),
        )


def test_database_refuses_moving_a_slot_onto_another(event, scheduler, rooms):
    place(event, talk(event), rooms[0], at(event, 10), scheduler)
    other = place(event, talk(event), rooms[1], at(event, 10), scheduler)

    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=other.pk).update(room=rooms[0])


def test_database_allows_back_to_back_slots_and_other_rooms(event, scheduler, rooms):
    place(event, talk(event), rooms[0], at(event, 10), scheduler)

    Slot.objects.create(
        event=event, kind="break", title="A", room=rooms[0], start=at(event, 10, 30), end=at(event, 11)
    )
    Slot.objects.create(
        event=event, kind="break", title="B", room=rooms[1], start=at(event, 10), end=at(event, 11)
    )

    assert event.slots.count() == 3


# --- Breaks ----------------------------------------------------------------------------------------


def test_save_break_in_one_room_and_in_every_room(event, scheduler, rooms):
    coffee = services.save_break(
        event=event, by=scheduler, title="Coffee", room=rooms[1], start=at(event, 10), end=at(event, 10, 30)
    )
    lunch = services.save_break(
        event=event, by=scheduler, title=" Lunch ", room=None, start=at(event, 12), end=at(event, 13)
    )

    assert (coffee.kind, coffee.room, coffee.title) == ("break", rooms[1], "Coffee")
    assert (lunch.room, lunch.title, lunch.end) == (None, "Lunch", at(event, 13))


def test_save_break_edits_with_the_version_and_refuses_a_stale_one(event, scheduler, rooms):
    lunch = services.save_break(
        event=event, by=scheduler, title="Lunch", room=None, start=at(event, 12), end=at(event, 13)
    )

    edited = services.save_break(
        event=event, by=scheduler, slot=lunch, version=1, title="Long lunch", room=None,
        start=at(event, 12), end=at(event, 14),
    )  # fmt: skip
    with pytest.raises(StaleEdit):
        services.save_break(
            event=event, by=scheduler, slot=lunch, version=1, title="Short", room=None,
            start=at(event, 12), end=at(event, 12, 30),
        )  # fmt: skip

    lunch.refresh_from_db()
    assert (edited.version, lunch.title, lunch.end) == (2, "Long lunch", at(event, 14))


def test_save_break_in_every_room_refuses_to_cover_a_session(event, scheduler, rooms):
    place(event, talk(event, title="Keep me"), rooms[1], at(event, 12, 30), scheduler)

    with pytest.raises(ServiceError, match="“Keep me” is on the schedule"):
        services.save_break(
            event=event, by=scheduler, title="Lunch", room=None, start=at(event, 12), end=at(event, 13)
        )
    assert not event.slots.filter(kind="break").exists()


def test_save_break_in_a_taken_room_is_refused(event, scheduler, rooms):
    place(event, talk(event, title="Busy"), rooms[0], at(event, 10), scheduler)

    with pytest.raises(ServiceError, match="Hall A is taken"):
        services.save_break(
            event=event, by=scheduler, title="Coffee", room=rooms[0], start=at(event, 10), end=at(event, 11)
        )


@pytest.mark.parametrize(
    ("title", "start", "end", "message"),
    [
        ("", (10, 0), (11, 0), "title"),
        ("Lunch", (11, 0), (10, 0), "ends after it starts"),
        ("Lunch", (11, 0), (11, 0), "ends after it starts"),
    ],
)
def test_save_break_refuses_bad_input(event, scheduler, title, start, end, message):
    with pytest.raises(ServiceError, match=message):
        services.save_break(
            event=event, by=scheduler, title=title, room=None, start=at(event, *start), end=at(event, *end)
        )


def test_save_break_refuses_more_than_a_day(event, scheduler):
    with pytest.raises(ServiceError, match="at most a day"):
        services.save_break(
            event=event, by=scheduler, title="Nap", room=None, start=at(event, 10), end=at(event, 11, day=1)
        )


def test_delete_break_with_the_version(event, scheduler):
    lunch = services.save_break(
        event=event, by=scheduler, title="Lunch", room=None, start=at(event, 12), end=at(event, 13)
    )

    with pytest.raises(StaleEdit):
        services.delete_break(event=event, slot=lunch, version=7, by=scheduler)
    services.delete_break(event=event, slot=lunch, version=1, by=scheduler)

    assert not event.slots.exists()


def test_delete_break_refuses_a_session_slot(event, scheduler, rooms):
    slot = place(event, talk(event), rooms[0], at(event, 10), scheduler)

    with pytest.raises(ServiceError, match="break of this event"):
        services.delete_break(event=event, slot=slot, version=1, by=scheduler)


# --- Releases --------------------------------------------------------------------------------------


def test_publish_release_snapshots_the_placed_sessions_and_breaks(event, scheduler, rooms):
    speaker = factories.UserFactory(name="Ada Lovelace")
    proposal = talk(event, title="Engines", speakers=[speaker])
    place(event, proposal, rooms[0], at(event, 10), scheduler)
    talk(event, title="Not placed")
    talk(event, title="Rejected one", state="rejected")
    services.save_break(
        event=event, by=scheduler, title="Lunch", room=None, start=at(event, 12), end=at(event, 13)
    )

    release = services.publish_release(event=event, by=scheduler, comment=" First! ")

    assert (release.version, release.name, release.comment) == (1, "v1", "First!")
    titles = sorted(release.sessions.values_list("title", flat=True))
    assert titles == ["Engines", "Lunch"]
    released = release.sessions.get(code=proposal.code)
    profile = event.speaker_profiles.get(user=speaker)
    assert released.speakers == [{"code": profile.code, "name": "Ada Lovelace"}]
    assert (released.room_name, released.start, released.day) == ("Hall A", at(event, 10), event.date_from)
    assert list(release.speakers.values_list("name", "session_codes")) == [("Ada Lovelace", [proposal.code])]
    assert [room["name"] for room in release.rooms] == ["Hall A", "Room 101"]
    assert [change["kind"] for change in release.changes] == ["new"]


def test_publish_release_is_immutable_when_the_draft_changes(event, scheduler, rooms):
    proposal = talk(event, title="Original")
    place(event, proposal, rooms[0], at(event, 10), scheduler)
    release = services.publish_release(event=event, by=scheduler)

    Proposal.objects.filter(pk=proposal.pk).update(title="Renamed")
    place(event, proposal, rooms[1], at(event, 15), scheduler, version=1)

    released = ReleasedSession.objects.get(release=release, code=proposal.code)
    assert (released.title, released.room_name, released.start) == ("Original", "Hall A", at(event, 10))


def test_publish_release_refuses_when_nothing_changed_unless_forced(event, scheduler, rooms):
    place(event, talk(event), rooms[0], at(event, 10), scheduler)
    services.publish_release(event=event, by=scheduler)

    with pytest.raises(ServiceError, match="Nothing public changed since release v1"):
        services.publish_release(event=event, by=scheduler)
    forced = services.publish_release(event=event, by=scheduler, force=True)

    assert (forced.version, forced.name, forced.changes) == (2, "v2", [])


def test_publish_release_counts_a_moved_break_as_a_change_without_changelog_entries(event, scheduler):
    lunch = services.save_break(
        event=event, by=scheduler, title="Lunch", room=None, start=at(event, 12), end=at(event, 13)
    )
    services.publish_release(event=event, by=scheduler)
    services.save_break(
        event=event, by=scheduler, slot=lunch, version=1, title="Lunch", room=None,
        start=at(event, 12, 30), end=at(event, 13, 30),
    )  # fmt: skip

    release = services.publish_release(event=event, by=scheduler)

    assert (release.version, release.changes) == (2, [])


def test_publish_release_changelog_has_new_moved_changed_and_cancelled(event, scheduler, rooms):
    moved, renamed, cancelled, dropped = (
        talk(event, title=t) for t in ["Moved", "Renamed", "Cancelled", "Dropped"]
    )
    for hour, proposal in zip((9, 10, 11, 13), (moved, renamed, cancelled, dropped), strict=True):
        place(event, proposal, rooms[0], at(event, hour), scheduler)
    services.publish_release(event=event, by=scheduler)
    place(event, moved, rooms[1], at(event, 16), scheduler, version=1)
    Proposal.objects.filter(pk=renamed.pk).update(title="Renamed for real")
    Proposal.objects.filter(pk=cancelled.pk).update(state="cancelled")
    services.unschedule_session(event=event, proposal=dropped, version=1, by=scheduler)
    fresh = talk(event, title="Fresh")
    place(event, fresh, rooms[1], at(event, 9), scheduler)

    release = services.publish_release(event=event, by=scheduler, name="Friday update")

    summary = [(c["kind"], c["code"], c["fields"]) for c in release.changes]
    assert summary == [
        ("new", fresh.code, []),
        ("moved", moved.code, []),
        ("changed", renamed.code, ["title"]),
        ("cancelled", cancelled.code, []),
        ("cancelled", dropped.code, []),
    ]
    move = release.changes[1]
    assert (move["old"]["room"], move["new"]["room"]) == ("Hall A", "Room 101")
    assert move["new"]["start"] == at(event, 16).astimezone(dt.UTC).isoformat()
    assert release.name == "Friday update"
    assert release.counts() == {"new": 1, "moved": 1, "changed": 1, "cancelled": 2}


def test_publish_release_mails_each_affected_speaker_once(event, scheduler, rooms):
    ada, bob = factories.UserFactory(name="Ada"), factories.UserFactory(name="Bob")
    first = talk(event, title="First", speakers=[ada])
    second = talk(event, title="Second", speakers=[ada, bob])
    place(event, first, rooms[0], at(event, 10), scheduler)
    place(event, second, rooms[1], at(event, 10), scheduler)

    release = services.publish_release(event=event, by=scheduler)

    mails = {mail.to: mail for mail in OutboxMail.objects.filter(about=f"release:{release.pk}")}
    assert sorted(mails) == sorted([ada.email, bob.email])
    assert "2 changes to your sessions" in mails[ada.email].subject
    assert "“First”" not in mails[bob.email].body
    assert '"Second"' in mails[bob.email].body
    assert "10:00" in mails[bob.email].body  # the event's local time
    assert {mail.status for mail in mails.values()} == {"queued"}


def test_publish_release_mails_speakers_about_text_edits_too(event, scheduler, rooms):
    speaker = factories.UserFactory()
    proposal = talk(event, title="Before", speakers=[speaker])
    place(event, proposal, rooms[0], at(event, 10), scheduler)
    services.publish_release(event=event, by=scheduler)
    Proposal.objects.filter(pk=proposal.pk).update(title="After", abstract="New abstract")

    release = services.publish_release(event=event, by=scheduler)

    assert release.changes[0]["fields"] == ["title", "abstract"]
    mail = OutboxMail.objects.get(about=f"release:{release.pk}")
    assert mail.to == speaker.email
    assert "After" in mail.subject


def test_publish_release_mails_about_a_moved_session_with_old_and_new_place(event, scheduler, rooms):
    speaker = factories.UserFactory()
    proposal = talk(event, title="Wanderer", speakers=[speaker])
    place(event, proposal, rooms[0], at(event, 10), scheduler)
    services.publish_release(event=event, by=scheduler)
    place(event, proposal, rooms[1], at(event, 15), scheduler, version=1)

    release = services.publish_release(event=event, by=scheduler)

    mail = OutboxMail.objects.get(about=f"release:{release.pk}")
    assert mail.subject.startswith(f"{event.name}: Moved: Wanderer")
    assert "now:  " in mail.body
    assert "15:00–15:30, Room 101" in mail.body
    assert "was:  " in mail.body
    assert "10:00–10:30, Hall A" in mail.body


def test_publish_release_refuses_a_name_in_use(event, scheduler, rooms):
    place(event, talk(event), rooms[0], at(event, 10), scheduler)
    services.publish_release(event=event, by=scheduler, name="Final")
    place(event, talk(event), rooms[1], at(event, 10), scheduler)

    with pytest.raises(ServiceError, match="already named “Final”"):
        services.publish_release(event=event, by=scheduler, name="Final")
    assert event.releases.count() == 1


def test_publish_release_needs_the_schedule_permission(event, organiser_user):
    with pytest.raises(NotAllowed):
        services.publish_release(event=event, by=organiser_user)


def test_publish_release_gives_a_speaker_without_a_profile_one(event, scheduler, rooms):
    speaker = factories.UserFactory(name="No Profile")
    proposal = talk(event, speakers=[speaker])
    event.speaker_profiles.filter(user=speaker).delete()
    place(event, proposal, rooms[0], at(event, 10), scheduler)

    release = services.publish_release(event=event, by=scheduler)

    profile = event.speaker_profiles.get(user=speaker)
    assert ReleasedSpeaker.objects.get(release=release).code == profile.code != ""


# --- Pins ------------------------------------------------------------------------------------------


def test_set_pinned_pins_a_placed_session_and_records_it(event, scheduler, rooms):
    proposal = talk(event)
    placed = place(event, proposal, rooms[0], at(event, 10), scheduler)

    slot = services.set_pinned(
        event=event, proposal=proposal, pinned=True, version=placed.version, by=scheduler
    )

    assert (slot.pinned, slot.version, slot.room, slot.start) == (
        True,
        placed.version + 1,
        rooms[0],
        at(event, 10),
    )
    entry = AuditEntry.objects.get(action="slot.pinned", object_id=str(proposal.pk))
    assert entry.actor == scheduler
    assert "Room" in entry.data["place"] or rooms[0].name in entry.data["place"]


def test_set_pinned_unpins(event, scheduler, rooms):
    proposal = talk(event)
    placed = place(event, proposal, rooms[0], at(event, 10), scheduler)
    pinned = services.set_pinned(
        event=event, proposal=proposal, pinned=True, version=placed.version, by=scheduler
    )

    slot = services.set_pinned(
        event=event, proposal=proposal, pinned=False, version=pinned.version, by=scheduler
    )

    assert (slot.pinned, slot.version) == (False, pinned.version + 1)
    assert AuditEntry.objects.filter(action="slot.unpinned").count() == 1


def test_set_pinned_as_it_is_changes_nothing(event, scheduler, rooms):
    proposal = talk(event)
    placed = place(event, proposal, rooms[0], at(event, 10), scheduler)

    slot = services.set_pinned(
        event=event, proposal=proposal, pinned=False, version=placed.version, by=scheduler
    )

    assert slot.version == placed.version
    assert not AuditEntry.objects.filter(action__in=["slot.pinned", "slot.unpinned"]).exists()


def test_set_pinned_refuses_a_stale_version_and_says_where_it_is(event, scheduler, rooms):
    proposal = talk(event, title="Moving target")
    seen = place(event, proposal, rooms[0], at(event, 10), scheduler)
    place(event, proposal, rooms[1], at(event, 11), scheduler, version=seen.version)

    with pytest.raises(StaleEdit, match=f"it is now in {rooms[1].name}"):
        services.set_pinned(event=event, proposal=proposal, pinned=True, version=seen.version, by=scheduler)

    assert not Slot.objects.get(proposal=proposal).pinned


@pytest.mark.parametrize("unscheduled", [False, True])
def test_set_pinned_refuses_a_session_not_on_the_schedule(event, scheduler, rooms, unscheduled):
    proposal = talk(event, title="Nowhere yet")
    version = 0
    if unscheduled:
        placed = place(event, proposal, rooms[0], at(event, 10), scheduler)
        version = services.unschedule_session(
            event=event, proposal=proposal, version=placed.version, by=scheduler
        ).version

    with pytest.raises(ServiceError, match="“Nowhere yet” is not on the schedule"):
        services.set_pinned(event=event, proposal=proposal, pinned=True, version=version, by=scheduler)

    assert not Slot.objects.filter(proposal=proposal, pinned=True).exists()


def test_set_pinned_refused_without_the_scheduling_permission(event, scheduler, rooms):
    proposal = talk(event)
    placed = place(event, proposal, rooms[0], at(event, 10), scheduler)
    reviewer = factories.team_member(event, name="Reviewers", can_review=True)

    with pytest.raises(NotAllowed):
        services.set_pinned(event=event, proposal=proposal, pinned=True, version=placed.version, by=reviewer)

    assert not Slot.objects.get(proposal=proposal).pinned


def test_set_pinned_refuses_a_session_of_another_event(event, scheduler, rooms):
    other = talk(factories.EventFactory())

    with pytest.raises(ServiceError, match="Choose a session of this event"):
        services.set_pinned(event=event, proposal=other, pinned=True, version=0, by=scheduler)
