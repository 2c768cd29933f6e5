import datetime as dt

import pytest
from django.conf import settings

from podium.base.errors import NotAllowed, ServiceError, StaleEdit
from podium.base.models import AuditEntry
from podium.events import services
from podium.events.models import RESERVED_SLUGS, Event, Organiser, Room, SessionType, Team, TeamInvite, Track
from podium.mail.models import OutboxMail
from tests import factories

pytestmark = pytest.mark.django_db


def _event_data(**extra):
    return {
        "name": "NewConf 2031",
        "timezone": "Europe/Berlin",
        "date_from": dt.date(2031, 5, 14),
        "date_to": dt.date(2031, 5, 16),
        "day_start_hour": 4,
        "cfp_opens": dt.datetime(2031, 1, 1, 9, tzinfo=dt.UTC),
        "cfp_closes": dt.datetime(2031, 3, 1, 9, tzinfo=dt.UTC),
        "anonymise_review": False,
        "score_labels": [[0, "No"], [1, "Yes"]],
        "languages": [["en", "English"]],
        "is_public": True,
        "contact_email": "",
        "description": "",
        **extra,
    }


@pytest.fixture
def admin(event):
    return factories.team_member(event, name="Administrators", is_admin=True, can_edit_event=True)


def _admin_team(event):
    return event.organiser.teams.get(name="Administrators")


# --- Events ----------------------------------------------------------------------------------------


def test_create_event_adds_default_session_types_and_audit(event, admin):
    created = services.create_event(
        organiser=event.organiser, by=admin, slug="newconf-2031", data=_event_data()
    )

    assert created.organiser == event.organiser
    assert sorted(created.session_types.values_list("name", flat=True)) == ["Keynote", "Talk", "Tutorial"]
    assert AuditEntry.objects.filter(action="event.created", event_id=created.pk).count() == 1


@pytest.mark.parametrize("slug", sorted(RESERVED_SLUGS))
def test_create_event_refuses_reserved_slug(event, admin, slug):
    with pytest.raises(ServiceError, match="reserved") as caught:
        services.create_event(organiser=event.organiser, by=admin, slug=slug, data=_event_data())

    assert caught.value.field == "slug"
    assert Event.objects.count() == 1


@pytest.mark.parametrize("slug", ["a", "Upper", "has space", "-lead", "x" * 50, ""])
def test_create_event_refuses_malformed_slug(event, admin, slug):
    with pytest.raises(ServiceError, match="lowercase letters") as caught:
        services.create_event(organiser=event.organiser, by=admin, slug=slug, data=_event_data())

    assert caught.value.field == "slug"
    assert Event.objects.count() == 1


def test_create_event_refuses_taken_slug(event, admin):
    with pytest.raises(ServiceError, match="taken"):
        services.create_event(organiser=event.organiser, by=admin, slug=event.slug, data=_event_data())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"date_to": dt.date(2031, 5, 13)}, "date_to"),
        ({"date_to": dt.date(9999, 12, 31)}, "date_to"),  # its day's end would fall off the calendar
        ({"date_from": dt.date(1, 1, 1)}, "date_from"),
        ({"cfp_closes": dt.datetime(2030, 12, 31, tzinfo=dt.UTC)}, "cfp_closes"),
        ({"day_start_hour": 24}, "day_start_hour"),
        ({"score_labels": [[0, "Only one"]]}, "score_labels"),
        ({"score_labels": [[0, "No"], [0, "Again"]]}, "score_labels"),
        ({"score_labels": [["zero", "No"], [1, "Yes"]]}, "score_labels"),
        ({"languages": []}, "languages"),
        ({"name": "  "}, "name"),
    ],
)
def test_update_event_refuses_bad_settings_and_keeps_the_stored_ones(event, admin, changes, field):
    event.refresh_from_db()
    before = {name: getattr(event, name) for name in services.EVENT_FIELDS}

    with pytest.raises(ServiceError) as caught:
        services.update_event(event=event, by=admin, data=_event_data(**changes))

    assert caught.value.field == field
    assert {name: getattr(event, name) for name in services.EVENT_FIELDS} == before
    event.refresh_from_db()
    assert {name: getattr(event, name) for name in services.EVENT_FIELDS} == before


def test_update_event_records_changed_fields(event, admin):
    services.update_event(event=event, by=admin, data={"name": "Renamed", "timezone": event.timezone})

    entry = AuditEntry.objects.get(action="event.updated")
    assert entry.data == {"fields": ["name"]}


# --- Rooms, tracks, session types ---------------------------------------------------------------------


def test_save_room_with_windows_stores_both(event, admin):
    start = dt.datetime(2031, 5, 14, 14, tzinfo=dt.UTC)
    windows = [(start, start + dt.timedelta(hours=8))]

    room = services.save_room(
        event=event, by=admin, data={"name": "Ballroom", "capacity": 900}, windows=windows
    )

    assert room.event == event
    assert [(w.start, w.end) for w in room.availabilities.all()] == windows


def test_save_room_with_overlapping_windows_saves_nothing(event, admin):
    start = dt.datetime(2031, 5, 14, 14, tzinfo=dt.UTC)
    windows = [
        (start, start + dt.timedelta(hours=3)),
        (start + dt.timedelta(hours=2), start + dt.timedelta(hours=5)),
    ]

    with pytest.raises(ServiceError, match="overlap"):
        services.save_room(event=event, by=admin, data={"name": "Ballroom"}, windows=windows)

    assert event.rooms.filter(name="Ballroom").exists() is False


def test_save_room_refuses_a_duplicate_name_in_any_case(event, admin):
    with pytest.raises(ServiceError, match="already a room") as caught:
        services.save_room(event=event, by=admin, data={"name": "hall a"})

    assert caught.value.field == "name"
    assert event.rooms.count() == 2


def test_save_room_same_name_in_another_event_is_fine(event, admin):
    other = factories.EventFactory(organiser=event.organiser)
    services.save_room(event=event, by=admin, data={"name": "Ballroom"})

    room = services.save_room(event=other, by=admin, data={"name": "Ballroom"})

    assert room.event == other


def test_save_room_refuses_another_events_room(event, admin):
    other_room = factories.EventFactory().rooms.first()

    with pytest.raises(NotAllowed):
        services.save_room(event=event, by=admin, data={"name": "Taken over"}, room=other_room)

    other_room.refresh_from_db()
    assert other_room.name == "Hall A"


def test_save_track_refuses_a_bad_colour(event, admin):
    with pytest.raises(ServiceError, match="colour") as caught:
        services.save_track(event=event, by=admin, data={"name": "Security", "colour": "red"})

    assert caught.value.field == "colour"
    assert event.tracks.filter(name="Security").exists() is False


@pytest.mark.parametrize("minutes", [0, 4, 24 * 60 + 1])
def test_save_session_type_refuses_a_duration_out_of_range(event, admin, minutes):
    with pytest.raises(ServiceError) as caught:
        services.save_session_type(
            event=event, by=admin, data={"name": "Lightning", "duration_minutes": minutes}
        )

    assert caught.value.field == "duration_minutes"
    assert event.session_types.count() == 3


def test_save_session_type_sets_its_suitable_rooms_and_keeps_them_when_not_given(event, admin):
    tutorial = event.session_types.get(name="Tutorial")
    small = event.rooms.get(name="Room 101")

    services.save_session_type(
        event=event, by=admin, session_type=tutorial, data={"name": "Tutorial", "rooms": [small]}
    )
    services.save_session_type(event=event, by=admin, session_type=tutorial, data={"duration_minutes": 120})

    assert list(tutorial.rooms.all()) == [small]
    assert SessionType.objects.get(pk=tutorial.pk).duration_minutes == 120


def test_save_session_type_refuses_a_room_of_another_event(event, admin):
    tutorial = event.session_types.get(name="Tutorial")
    elsewhere = factories.EventFactory().rooms.get(name="Hall A")

    with pytest.raises(ServiceError, match="Choose rooms of this event") as caught:
        services.save_session_type(
            event=event, by=admin, session_type=tutorial, data={"name": "Tutorial", "rooms": [elsewhere]}
        )

    assert caught.value.field == "rooms"
    assert list(tutorial.rooms.all()) == []
    assert SessionType.objects.get(pk=tutorial.pk).version == tutorial.version


@pytest.mark.parametrize("minutes", [-1, 241, "10", None, True])
def test_update_event_refuses_a_minimum_pause_out_of_range(event, admin, minutes):
    with pytest.raises(ServiceError, match="0 to 240 minutes") as caught:
        services.update_event(event=event, by=admin, data={"min_pause_minutes": minutes})

    assert caught.value.field == "min_pause_minutes"
    assert Event.objects.get(pk=event.pk).min_pause_minutes == 0


def test_update_event_saves_a_minimum_pause(event, admin):
    services.update_event(event=event, by=admin, data={"min_pause_minutes": 240})

    assert Event.objects.get(pk=event.pk).min_pause_minutes == 240


def test_event_minimum_pause_is_bounded_by_the_database(event):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(min_pause_minutes=241)


def test_delete_setup_object_refuses_a_session_type_used_by_proposals(proposal, admin):
    used = proposal.session_type

    with pytest.raises(ServiceError, match="Proposals use"):
        services.delete_setup_object(obj=used, by=admin)

    assert SessionType.objects.filter(pk=used.pk).exists()


def test_delete_setup_object_deletes_an_unused_session_type_with_audit(event, admin):
    unused = event.session_types.get(name="Tutorial")

    services.delete_setup_object(obj=unused, by=admin)

    assert list(event.session_types.order_by("name").values_list("name", flat=True)) == ["Keynote", "Talk"]
    assert AuditEntry.objects.get(action="sessiontype.deleted").data == {"name": "Tutorial (180 min)"}


def test_delete_setup_object_refuses_a_track_a_team_is_limited_to(event, admin):
    web = event.tracks.get(name="Web")
    factories.team_member(event, name="Web reviewers", can_review=True, tracks=[web])

    with pytest.raises(ServiceError, match="Web reviewers"):
        services.delete_setup_object(obj=web, by=admin)

    assert Track.objects.filter(pk=web.pk).exists()


def test_delete_setup_object_deletes_a_room(event, admin):
    room = event.rooms.get(name="Room 101")

    services.delete_setup_object(obj=room, by=admin)

    assert Room.objects.filter(pk=room.pk).exists() is False


# --- Teams -------------------------------------------------------------------------------------------


def _team_data(team, **changes):
    data = {name: getattr(team, name) for name in services.TEAM_FIELDS}
    return {**data, **changes}


def test_save_team_last_admin_team_cannot_drop_its_admin_flag(event, admin):
    team = _admin_team(event)

    with pytest.raises(ServiceError, match="admin permission") as caught:
        services.save_team(
            organiser=event.organiser, by=admin, data=_team_data(team, is_admin=False), team=team
        )

    assert caught.value.field == "is_admin"
    assert Team.objects.get(pk=team.pk).is_admin is True


def test_save_team_admin_flag_may_drop_when_another_admin_team_has_members(event, admin):
    factories.team_member(event, name="Board", is_admin=True)
    team = _admin_team(event)

    services.save_team(organiser=event.organiser, by=admin, data=_team_data(team, is_admin=False), team=team)

    assert Team.objects.get(pk=team.pk).is_admin is False


def test_save_team_an_empty_admin_team_does_not_count_as_another_admin(event, admin):
    Team.objects.create(organiser=event.organiser, name="Empty board", is_admin=True)
    team = _admin_team(event)

    with pytest.raises(ServiceError, match="admin permission"):
        services.save_team(
            organiser=event.organiser, by=admin, data=_team_data(team, is_admin=False), team=team
        )


def test_save_team_refuses_another_organisers_event(event, admin):
    other = factories.EventFactory()

    with pytest.raises(NotAllowed):
        services.save_team(
            organiser=event.organiser, by=admin, data={"name": "Sneaky", "all_events": False}, events=[other]
        )

    assert event.organiser.teams.filter(name="Sneaky").exists() is False


def test_save_team_refuses_a_track_of_an_event_out_of_its_scope(event, admin):
    second = factories.EventFactory(organiser=event.organiser)

    with pytest.raises(ServiceError, match="cannot reach") as caught:
        services.save_team(
            organiser=event.organiser,
            by=admin,
            data={"name": "Reviewers", "all_events": False, "can_review": True},
            events=[event],
            tracks=[second.tracks.first()],
        )

    assert caught.value.field == "limit_tracks"


def test_save_team_limited_to_no_event_is_refused(event, admin):
    with pytest.raises(ServiceError, match="Choose the events") as caught:
        services.save_team(
            organiser=event.organiser, by=admin, data={"name": "Nowhere", "all_events": False}, events=[]
        )

    assert caught.value.field == "limit_events"


def test_save_team_refuses_a_duplicate_name(event, admin):
    with pytest.raises(ServiceError, match="already a team"):
        services.save_team(organiser=event.organiser, by=admin, data={"name": "administrators"})


def test_invite_team_member_queues_mail_with_a_link_to_join(event, admin):
    team = _admin_team(event)

    invite = services.invite_team_member(team=team, email=" New.Person@Example.org ", by=admin)

    mail = OutboxMail.objects.get()
    assert invite.email == "new.person@example.org"
    assert mail.to == "new.person@example.org"
    assert f"{settings.BASE_URL}/orga/invite/{invite.token}/" in mail.body


def test_invite_team_member_refuses_a_member_and_a_bad_address(event, admin):
    team = _admin_team(event)

    with pytest.raises(ServiceError, match="member of the team already"):
        services.invite_team_member(team=team, email=admin.email.upper(), by=admin)
    with pytest.raises(ServiceError, match="valid e-mail"):
        services.invite_team_member(team=team, email="not an address", by=admin)

    assert TeamInvite.objects.count() == 0
    assert OutboxMail.objects.count() == 0


def test_accept_team_invite_joins_once(event, admin):
    team = _admin_team(event)
    invite = services.invite_team_member(team=team, email="new@example.org", by=admin)
    newcomer = factories.UserFactory(email="new@example.org")

    services.accept_team_invite(invite=invite, user=newcomer)
    with pytest.raises(ServiceError, match="used already"):
        services.accept_team_invite(invite=invite, user=factories.UserFactory())

    assert sorted(team.members.values_list("email", flat=True)) == sorted([admin.email, "new@example.org"])


def test_remove_team_member_refuses_the_last_administrator(event, admin):
    team = _admin_team(event)

    with pytest.raises(ServiceError, match="last administrator"):
        services.remove_team_member(team=team, user=admin, by=admin)

    assert list(team.members.all()) == [admin]


def test_remove_team_member_works_when_another_admin_stays(event, admin):
    team = _admin_team(event)
    colleague = factories.UserFactory()
    team.members.add(colleague)

    services.remove_team_member(team=team, user=admin, by=colleague)

    assert list(team.members.all()) == [colleague]


def test_create_event_by_admin_of_limited_team_gives_that_team_the_new_event(db):
    from podium.events import rules, services
    from tests import factories

    first = factories.EventFactory()
    admin = factories.team_member(first, is_admin=True, can_edit_event=True, events=[first])

    new = services.create_event(
        organiser=first.organiser,
        by=admin,
        slug="second-conf",
        data={"name": "Second", "date_from": first.date_from, "date_to": first.date_to, "timezone": "UTC"},
    )

    assert rules.permissions_for(admin, new).can_edit_event is True


# --- Versions: a stale edit is refused, never saved over the other one ----------------------------------

AFTER_STALE = "while you were editing. The form shows the current values; make your change again."


def test_update_event_refuses_a_stale_version_and_keeps_the_first_edit(event, admin):
    mine, theirs = Event.objects.get(pk=event.pk), Event.objects.get(pk=event.pk)

    services.update_event(event=mine, by=admin, data={"name": "First edit"}, version=mine.version)
    with pytest.raises(StaleEdit) as caught:
        services.update_event(
            event=theirs, by=admin, data={"name": "Second edit", "is_public": False}, version=theirs.version
        )

    stored = Event.objects.get(pk=event.pk)
    assert caught.value.message == f"Someone else changed the event's settings {AFTER_STALE}"
    assert (stored.name, stored.is_public, stored.version) == ("First edit", True, 2)
    assert AuditEntry.objects.filter(action="event.updated").count() == 1


def test_save_room_refuses_a_stale_version_and_keeps_the_first_edit_and_its_windows(event, admin):
    start = dt.datetime(2031, 5, 14, 8, tzinfo=dt.UTC)
    first_windows = [(start, start + dt.timedelta(hours=4))]
    mine, theirs = event.rooms.get(name="Hall A"), event.rooms.get(name="Hall A")

    services.save_room(
        event=event,
        by=admin,
        data={"name": "Hall A1"},
        room=mine,
        windows=first_windows,
        version=mine.version,
    )
    with pytest.raises(StaleEdit) as caught:
        services.save_room(
            event=event,
            by=admin,
            data={"name": "Hall A2", "capacity": 5},
            room=theirs,
            windows=[(start, start + dt.timedelta(hours=10))],
            version=theirs.version,
        )

    stored = Room.objects.get(pk=mine.pk)
    assert caught.value.message == f"Someone else changed this room {AFTER_STALE}"
    assert (stored.name, stored.capacity, stored.version) == ("Hall A1", mine.capacity, 2)
    assert [(w.start, w.end) for w in stored.availabilities.all()] == first_windows


def test_save_track_refuses_a_stale_version_and_keeps_the_first_edit(event, admin):
    mine, theirs = event.tracks.get(name="Web"), event.tracks.get(name="Web")

    services.save_track(event=event, by=admin, data={"colour": "#111111"}, track=mine, version=mine.version)
    with pytest.raises(StaleEdit) as caught:
        services.save_track(
            event=event, by=admin, data={"colour": "#222222"}, track=theirs, version=theirs.version
        )

    stored = Track.objects.get(pk=mine.pk)
    assert caught.value.message == f"Someone else changed this track {AFTER_STALE}"
    assert (stored.colour, stored.version) == ("#111111", 2)


def test_save_session_type_refuses_a_stale_version_and_keeps_the_first_edit(event, admin):
    mine, theirs = event.session_types.get(name="Talk"), event.session_types.get(name="Talk")

    services.save_session_type(
        event=event, by=admin, data={"duration_minutes": 40}, session_type=mine, version=mine.version
    )
    with pytest.raises(StaleEdit) as caught:
        services.save_session_type(
            event=event, by=admin, data={"duration_minutes": 25}, session_type=theirs, version=theirs.version
        )

    stored = SessionType.objects.get(pk=mine.pk)
    assert caught.value.message == f"Someone else changed this session type {AFTER_STALE}"
    assert (stored.duration_minutes, stored.version) == (40, 2)


def test_save_team_refuses_a_stale_version_and_keeps_the_first_edit_and_its_limits(event, admin):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    team = Team.objects.create(organiser=event.organiser, name="Reviewers", can_review=True)
    mine, theirs = Team.objects.get(pk=team.pk), Team.objects.get(pk=team.pk)

    services.save_team(
        organiser=event.organiser,
        by=admin,
        data=_team_data(mine, can_schedule=True),
        tracks=[web],
        team=mine,
        version=mine.version,
    )
    with pytest.raises(StaleEdit) as caught:
        services.save_team(
            organiser=event.organiser,
            by=admin,
            data=_team_data(theirs, name="Data reviewers"),
            tracks=[data],
            team=theirs,
            version=theirs.version,
        )

    stored = Team.objects.get(pk=team.pk)
    assert caught.value.message == f"Someone else changed this team {AFTER_STALE}"
    assert (stored.name, stored.can_schedule, stored.version) == ("Reviewers", True, 2)
    assert list(stored.limit_tracks.all()) == [web]


def test_setup_versions_start_at_one_and_every_saved_edit_adds_one(event, admin):
    room = services.save_room(event=event, by=admin, data={"name": "Ballroom"})
    team = services.save_team(organiser=event.organiser, by=admin, data={"name": "Helpers"})
    created = (room.version, team.version)

    # Callers without a version (scripts, the demo) are not compared, but still count as an edit.
    services.save_room(event=event, by=admin, data={"name": "Ballroom 2"}, room=room)
    services.save_room(event=event, by=admin, data={"name": "Ballroom 3"}, room=room, version=2)
    services.save_team(organiser=event.organiser, by=admin, data={"can_review": True}, team=team)
    services.update_event(event=event, by=admin, data={"name": "Renamed"})

    assert created == (1, 1)
    assert Room.objects.get(pk=room.pk).version == 3
    assert Team.objects.get(pk=team.pk).version == 2
    assert Event.objects.get(pk=event.pk).version == 2


def test_save_track_refused_for_bad_input_keeps_the_version(event, admin):
    web = event.tracks.get(name="Web")

    with pytest.raises(ServiceError, match="colour"):
        services.save_track(event=event, by=admin, data={"colour": "red"}, track=web, version=web.version)

    assert Track.objects.get(pk=web.pk).version == 1


# --- Who may call the services: the same people the pages that call them let in -----------------------


def _snapshot(event) -> dict:
    """What the refused calls below could have changed."""
    organiser = event.organiser
    return {
        "organisers": sorted(Event.objects.values_list("organiser__slug", flat=True).distinct()),
        "events": sorted(Event.objects.values_list("slug", "name", "version")),
        "rooms": sorted(Room.objects.values_list("event_id", "name", "version")),
        "windows": Room.objects.filter(event=event, availabilities__isnull=False).count(),
        "tracks": sorted(Track.objects.values_list("event_id", "name", "colour", "version")),
        "types": sorted(SessionType.objects.values_list("event_id", "name", "duration_minutes", "version")),
        "teams": sorted(organiser.teams.values_list("name", "is_admin", "version")),
        "members": sorted(organiser.teams.values_list("name", "members__email")),
        "invites": TeamInvite.objects.count(),
        "mails": OutboxMail.objects.count(),
    }


EVENT_EDITING = {
    "update_event": lambda event, by: services.update_event(event=event, by=by, data={"name": "Taken over"}),
    "save_room new": lambda event, by: services.save_room(event=event, by=by, data={"name": "Annex"}),
    "save_room edit": lambda event, by: services.save_room(
        event=event, by=by, data={"name": "Annex"}, room=event.rooms.get(name="Hall A")
    ),
    "set_room_availability": lambda event, by: services.set_room_availability(
        room=event.rooms.get(name="Hall A"),
        by=by,
        windows=[(dt.datetime(2031, 5, 14, 9, tzinfo=dt.UTC), dt.datetime(2031, 5, 14, 12, tzinfo=dt.UTC))],
    ),
    "save_track": lambda event, by: services.save_track(
        event=event, by=by, data={"name": "Security", "colour": "#aa0000"}
    ),
    "save_session_type": lambda event, by: services.save_session_type(
        event=event, by=by, data={"name": "Lightning", "duration_minutes": 5}
    ),
    "delete room": lambda event, by: services.delete_setup_object(obj=event.rooms.get(name="Hall A"), by=by),
    "delete track": lambda event, by: services.delete_setup_object(obj=event.tracks.get(name="Web"), by=by),
}


@pytest.mark.parametrize("call", list(EVENT_EDITING))
@pytest.mark.parametrize(
    "who",
    ["reviewer", "scheduler", "editor of another event", "editor of another organiser", "stranger"],
)
def test_event_editing_services_refuse_whoever_may_not_edit_the_event(event, call, who):
    users = {
        "reviewer": lambda: factories.team_member(event, can_review=True),
        "scheduler": lambda: factories.team_member(event, can_schedule=True),
        "editor of another event": lambda: factories.team_member(
            event, can_edit_event=True, events=[factories.EventFactory(organiser=event.organiser)]
        ),
        "editor of another organiser": lambda: factories.team_member(
            factories.EventFactory(), can_edit_event=True
        ),
        "stranger": factories.UserFactory,
    }
    user = users[who]()
    before = _snapshot(event)

    with pytest.raises(NotAllowed, match="may not change the set-up of this event"):
        EVENT_EDITING[call](event, user)

    assert _snapshot(event) == before


@pytest.mark.parametrize("call", list(EVENT_EDITING))
@pytest.mark.parametrize("who", ["event editor", "command line"])
def test_event_editing_services_let_an_event_editor_and_the_command_line_through(event, call, who):
    editor = factories.team_member(event, can_edit_event=True)
    by = editor if who == "event editor" else None
    before = _snapshot(event)

    EVENT_EDITING[call](event, by)

    assert _snapshot(event) != before
    assert AuditEntry.objects.filter(actor=by).exists()


def _organiser_admin_calls(event, by):
    team = _admin_team(event)
    return {
        "create_event": lambda: services.create_event(
            organiser=event.organiser, by=by, slug="takeover-2031", data=_event_data()
        ),
        "save_team new": lambda: services.save_team(organiser=event.organiser, by=by, data={"name": "Mine"}),
        "save_team edit": lambda: services.save_team(
            organiser=event.organiser, by=by, data=_team_data(team, name="Renamed"), team=team
        ),
        "invite_team_member": lambda: services.invite_team_member(team=team, email="new@example.org", by=by),
        "remove_team_member": lambda: services.remove_team_member(
            team=team, user=team.members.order_by("pk").first(), by=by
        ),
    }


ORGANISER_ADMIN_CALLS = [
    "create_event",
    "save_team new",
    "save_team edit",
    "invite_team_member",
    "remove_team_member",
]


@pytest.mark.parametrize("call", ORGANISER_ADMIN_CALLS)
@pytest.mark.parametrize("who", ["event editor", "admin of another organiser", "stranger"])
def test_organiser_services_refuse_whoever_does_not_administer_the_organiser(event, admin, call, who):
    users = {
        "event editor": lambda: factories.team_member(event, can_edit_event=True, can_review=True),
        "admin of another organiser": lambda: factories.team_member(
            factories.EventFactory(), is_admin=True, can_edit_event=True
        ),
        "stranger": factories.UserFactory,
    }
    user = users[who]()
    before = _snapshot(event)

    with pytest.raises(NotAllowed, match="Only the organiser's administrators may do this"):
        _organiser_admin_calls(event, user)[call]()

    assert _snapshot(event) == before


@pytest.mark.parametrize("call", ORGANISER_ADMIN_CALLS)
def test_organiser_services_let_an_organiser_admin_through(event, admin, call):
    colleague = factories.UserFactory()
    _admin_team(event).members.add(colleague)

    _organiser_admin_calls(event, colleague)[call]()

    assert AuditEntry.objects.filter(actor=colleague).count() == 1


def test_create_organiser_refuses_a_creator_who_is_not_a_site_administrator(event, admin):
    with pytest.raises(NotAllowed, match="Only site administrators may create organisers"):
        services.create_organiser(name="Rogue", slug="rogue", admin=admin, by=admin)

    assert not Organiser.objects.filter(slug="rogue").exists()


def test_create_organiser_by_a_site_administrator_or_the_command_line(db):
    root = factories.UserFactory(is_superuser=True)

    by_root = services.create_organiser(name="Root's", slug="roots", admin=root, by=root)
    by_operator = services.create_organiser(name="Operator's", slug="operators", admin=root)

    assert sorted(Organiser.objects.values_list("slug", flat=True)) == sorted(
        [by_root.slug, by_operator.slug]
    )
