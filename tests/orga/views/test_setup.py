"""Event set-up pages of the back office: settings, a new event, rooms, tracks and session types. Who may
reach a page and edits two organisers make at once are checked here for the team pages too."""

import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podium.events import services
from podium.events.models import Event, Room, RoomAvailability, SessionType, Team, TeamInvite, Track
from podium.events.rules import FLAGS
from tests import factories

pytestmark = pytest.mark.django_db

# (URL name, which object fills <pk>); every page of this area.
EVENT_PAGES = [
    ("orga:event_settings", None),
    ("orga:rooms", None),
    ("orga:room_new", None),
    ("orga:room_edit", "rooms"),
    ("orga:tracks", None),
    ("orga:track_new", None),
    ("orga:track_edit", "tracks"),
    ("orga:session_types", None),
    ("orga:session_type_new", None),
    ("orga:session_type_edit", "session_types"),
]
ORGANISER_PAGES = [
    ("orga:event_new", None),
    ("orga:teams", None),
    ("orga:team_new", None),
    ("orga:team_edit", "teams"),
]


def _url(name, event, related=None):
    if (name, related) in ORGANISER_PAGES:
        kwargs = {"organiser": event.organiser.slug}
        owner = event.organiser
    else:
        kwargs = {"event": event.slug}
        owner = event
    if related:
        kwargs["pk"] = getattr(owner, related).order_by("pk").first().pk
    return reverse(name, kwargs=kwargs)


def _event_url(name, event, **kwargs):
    return reverse(name, kwargs={"event": event.slug, **kwargs})


def _team_url(name, organiser, **kwargs):
    return reverse(name, kwargs={"organiser": organiser.slug, **kwargs})


def _team_data(**changes):
    data = {"name": "Program committee", "can_review": "on", "all_events": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def admin_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


def _errors(response) -> str:
    """The text of the page, for asserting that an error message is shown."""
    return response.content.decode()


# --- Who may reach the pages ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "related"), EVENT_PAGES + ORGANISER_PAGES)
def test_setup_page_renders_for_an_admin(admin_client, event, name, related):
    response = admin_client.get(_url(name, event, related))

    assert response.status_code == 200


@pytest.mark.parametrize(("name", "related"), EVENT_PAGES + ORGANISER_PAGES)
def test_setup_page_refused_for_a_team_member_without_the_flag(client, event, reviewer, name, related):
    client.force_login(reviewer)

    response = client.get(_url(name, event, related))

    assert response.status_code == 403


@pytest.mark.parametrize(("name", "related"), EVENT_PAGES + ORGANISER_PAGES)
def test_setup_page_sends_an_anonymous_visitor_to_log_in(client, event, organiser_user, name, related):
    url = _url(name, event, related)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "related"), EVENT_PAGES + ORGANISER_PAGES)
def test_setup_page_refused_for_another_organisers_admin(client, event, organiser_user, name, related):
    other = factories.EventFactory()
    client.force_login(factories.team_member(other, is_admin=True, can_edit_event=True))

    response = client.get(_url(name, event, related))

    assert response.status_code == 403


def test_event_navigation_links_set_up_pages_for_editors_only(client, event, organiser_user, reviewer):
    url = reverse("orga:event", kwargs={"event": event.slug})
    settings_url = _event_url("orga:event_settings", event)

    client.force_login(organiser_user)
    editor_page = client.get(url).content.decode()
    client.force_login(reviewer)
    reviewer_page = client.get(url).content.decode()

    assert settings_url in editor_page
    assert settings_url not in reviewer_page


def test_organiser_page_links_new_event_and_teams(admin_client, event):
    response = admin_client.get(reverse("orga:organiser", kwargs={"organiser": event.organiser.slug}))

    html = response.content.decode()
    assert _team_url("orga:event_new", event.organiser) in html
    assert _team_url("orga:teams", event.organiser) in html


# --- Event settings ---------------------------------------------------------------------------------


def _settings_data(**changes):
    data = {
        "name": "PyConf Renamed",
        "timezone": "Europe/Berlin",
        "date_from": "2031-05-14",
        "date_to": "2031-05-16",
        "day_start_hour": "5",
        "cfp_opens": "2031-03-01T09:00",
        "cfp_closes": "2031-04-01T18:30",
        "anonymise_review": "on",
        "score_labels": "0: No\n1: Maybe\n2: Yes",
        "languages": "en: English\nde: Deutsch",
        "is_public": "on",
        "show_accepted_talks": "on",
        "contact_email": "program@example.org",
        "description": "The **best** conference.",
        "version": "1",  # the version of an event that was never edited
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _stored(event) -> dict:
    event = Event.objects.get(pk=event.pk)
    return {
        name: getattr(event, name)
        for name in (
            "name", "timezone", "date_from", "date_to", "day_start_hour", "cfp_opens", "cfp_closes",
            "anonymise_review", "score_labels", "languages", "is_public", "contact_email", "description",
        )
    }  # fmt: skip


def test_event_settings_save_stores_utc_and_shows_event_local_times(admin_client, event):
    url = _event_url("orga:event_settings", event)

    response = admin_client.post(url, _settings_data(), follow=True)

    event.refresh_from_db()
    assert event.name == "PyConf Renamed"
    assert event.timezone == "Europe/Berlin"
    # 09:00 in Berlin on 1 March is 08:00 UTC (winter time); 18:30 on 1 April is 16:30 UTC (summer time).
    assert event.cfp_opens == dt.datetime(2031, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert event.cfp_closes == dt.datetime(2031, 4, 1, 16, 30, tzinfo=dt.UTC)
    assert event.day_start_hour == 5
    assert event.anonymise_review is True
    assert event.score_labels == [[0, "No"], [1, "Maybe"], [2, "Yes"]]
    assert event.languages == [["en", "English"], ["de", "Deutsch"]]
    assert event.contact_email == "program@example.org"
    html = response.content.decode()
    assert 'value="2031-03-01T09:00"' in html
    assert 'value="2031-04-01T18:30"' in html
    assert "0: No\n1: Maybe\n2: Yes" in html
    assert "The event&#x27;s settings were saved." in html


def test_event_settings_unchecked_boxes_turn_flags_off(admin_client, event):
    event.anonymise_review = True
    event.save()

    event.show_accepted_talks = True
    event.save()

    admin_client.post(
        _event_url("orga:event_settings", event),
        _settings_data(anonymise_review=None, is_public=None, show_accepted_talks=None),
    )

    event.refresh_from_db()
    assert (event.anonymise_review, event.is_public, event.show_accepted_talks) == (False, False, False)


def test_event_settings_can_list_accepted_talks_publicly(admin_client, event):
    admin_client.post(_event_url("orga:event_settings", event), _settings_data())

    event.refresh_from_db()
    assert event.show_accepted_talks is True


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"timezone": "Mars/Olympus_Mons"}, "Select a valid choice."),
        ({"date_to": "2031-05-13"}, "The last day cannot be before the first day."),
        ({"cfp_closes": "2031-02-01T09:00"}, "The call for papers must close after it opens."),
        ({"cfp_opens": "tomorrow"}, "Enter a valid date/time."),
        ({"day_start_hour": "24"}, "less than or equal to 23"),
        ({"score_labels": "0: No"}, "at least two scores"),
        ({"score_labels": "0: No\nhigh: Yes"}, "Line 2: &quot;high&quot; is not a whole number."),
        ({"score_labels": "0: No\n0: Again"}, "Line 2: 0 is listed twice."),
        ({"score_labels": "0 No\n1: Yes"}, "Line 1: write"),
        ({"languages": ""}, "This field is required."),
        ({"languages": "English"}, "Line 1: write"),
        ({"contact_email": "nope"}, "Enter a valid email address."),
    ],
)
def test_event_settings_bad_input_rerenders_with_error_and_changes_nothing(
    admin_client, event, changes, message
):
    before = _stored(event)

    response = admin_client.post(_event_url("orga:event_settings", event), _settings_data(**changes))

    assert response.status_code == 200
    assert message in _errors(response)
    assert _stored(event) == before
    # The user's other input is kept.
    assert "The **best** conference." in response.content.decode()


def test_event_settings_save_the_minimum_pause_and_empty_means_none(admin_client, event):
    url = _event_url("orga:event_settings", event)

    admin_client.post(url, _settings_data(min_pause_minutes="10"))
    event.refresh_from_db()
    saved = event.min_pause_minutes
    admin_client.post(url, _settings_data(min_pause_minutes="", version=str(event.version)))
    event.refresh_from_db()

    assert (saved, event.min_pause_minutes) == (10, 0)
    assert 'name="min_pause_minutes"' in admin_client.get(url).content.decode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("241", "less than or equal to 240"),
        ("-5", "greater than or equal to 0"),
        ("ten", "Enter a whole number."),
    ],
)
def test_event_settings_refuse_a_minimum_pause_out_of_range(admin_client, event, value, message):
    response = admin_client.post(
        _event_url("orga:event_settings", event), _settings_data(min_pause_minutes=value)
    )

    assert message in _errors(response)
    assert Event.objects.get(pk=event.pk).min_pause_minutes == 0


# --- A new event -------------------------------------------------------------------------------------


def test_event_new_creates_the_event_with_default_session_types(admin_client, event):
    url = _team_url("orga:event_new", event.organiser)

    response = admin_client.post(url, _settings_data(name="NewConf", slug="newconf-2031"), follow=True)

    created = Event.objects.get(slug="newconf-2031")
    assert created.organiser == event.organiser
    assert created.cfp_opens == dt.datetime(2031, 3, 1, 8, 0, tzinfo=dt.UTC)
    assert sorted(created.session_types.values_list("name", flat=True)) == ["Keynote", "Talk", "Tutorial"]
    assert response.redirect_chain == [(_event_url("orga:event_settings", created), 302)]
    assert "NewConf" in response.content.decode()


def test_event_new_form_starts_with_defaults(admin_client, event):
    response = admin_client.get(_team_url("orga:event_new", event.organiser))

    form = response.context["form"]
    assert form["day_start_hour"].value() == 4
    assert form["score_labels"].value() == "0: No\n1: Rather not\n2: Rather yes\n3: Yes, must have"


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("orga", "reserved for the site itself"),
        ("healthz", "reserved for the site itself"),
        ("Big-Conf", "lowercase letters"),
        ("a", "lowercase letters"),
        ("has space", "lowercase letters"),
        ("", "This field is required."),
        ("taken", "This short name is taken"),
    ],
)
def test_event_new_refuses_a_bad_slug_and_creates_nothing(admin_client, event, slug, message):
    if slug == "taken":
        slug = event.slug
    url = _team_url("orga:event_new", event.organiser)

    response = admin_client.post(url, _settings_data(name="NewConf", slug=slug))

    assert response.status_code == 200
    assert message in _errors(response)
    assert Event.objects.count() == 1


def test_event_new_refuses_the_last_day_before_the_first(admin_client, event):
    url = _team_url("orga:event_new", event.organiser)

    response = admin_client.post(url, _settings_data(slug="newconf", date_to="2031-05-01"))

    assert "The last day cannot be before the first day." in _errors(response)
    assert Event.objects.count() == 1


# --- Rooms --------------------------------------------------------------------------------------------


def _room_data(**changes):
    data = {
        "name": "Ballroom",
        "capacity": "900",
        "position": "3",
        "description": "Ground floor",
        "availability": "",
        "version": "1",  # the version of a room that was never edited
    }
    data.update(changes)
    return data


def test_room_new_saves_windows_in_utc_and_lists_the_room(admin_client, event):
    day = event.date_from.isoformat()
    windows = f"{day} 09:00 - {day} 12:30\n{day} 14:00 - {day} 18:00"

    response = admin_client.post(
        _event_url("orga:room_new", event), _room_data(availability=windows), follow=True
    )

    room = event.rooms.get(name="Ballroom")
    assert (room.capacity, room.position, room.description) == (900, 3, "Ground floor")
    starts = [w.start.astimezone(event.tz).strftime("%Y-%m-%d %H:%M") for w in room.availabilities.all()]
    assert starts == [f"{day} 09:00", f"{day} 14:00"]
    assert room.availabilities.first().start.utcoffset() == dt.timedelta(0)
    html = response.content.decode()
    assert "Ballroom" in html
    assert "2 windows" in html


def test_room_edit_shows_uuid_and_windows_in_event_time_and_replaces_them(admin_client, event):
    room = event.rooms.get(name="Hall A")
    day = event.date_from.isoformat()
    admin_client.post(
        _event_url("orga:room_edit", event, pk=room.pk),
        _room_data(name="Hall A", availability=f"{day} 09:00 - {day} 18:00"),
    )
    uuid_before = room.uuid

    response = admin_client.get(_event_url("orga:room_edit", event, pk=room.pk))
    page = response.content.decode()
    admin_client.post(
        _event_url("orga:room_edit", event, pk=room.pk),
        _room_data(name="Hall A", availability="", version=response.context["form"]["version"].value()),
    )

    room.refresh_from_db()
    assert str(uuid_before) in page
    assert f"{day} 09:00 - {day} 18:00" in page
    assert room.uuid == uuid_before
    assert room.availabilities.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "hall a"}, "There is already a room named"),
        ({"availability": "tomorrow morning"}, "Line 1: write"),
        ({"availability": "2031-05-14 25:00 - 2031-05-14 26:00"}, "Line 1: write"),
        (
            {"availability": "2031-05-14 12:00 - 2031-05-14 09:00"},
            "Line 1: the window must end after it starts.",
        ),
        (
            {"availability": "2031-05-14 09:00 - 2031-05-14 12:00\n2031-05-14 11:00 - 2031-05-14 13:00"},
            "must not overlap",
        ),
        ({"capacity": "-5"}, "greater than or equal to 0"),
    ],
)
def test_room_bad_input_rerenders_with_error_and_changes_nothing(admin_client, event, changes, message):
    room = event.rooms.get(name="Room 101")
    RoomAvailability.objects.create(
        room=room,
        start=dt.datetime(2031, 5, 14, 8, tzinfo=dt.UTC),
        end=dt.datetime(2031, 5, 14, 9, tzinfo=dt.UTC),
    )
    before = list(
        Room.objects.values_list("pk", "name", "capacity", "position", "description").order_by("pk")
    )
    windows_before = list(RoomAvailability.objects.values_list("room", "start", "end"))

    response = admin_client.post(_event_url("orga:room_edit", event, pk=room.pk), _room_data(**changes))

    assert response.status_code == 200
    assert message in _errors(response)
    assert (
        list(Room.objects.values_list("pk", "name", "capacity", "position", "description").order_by("pk"))
        == before
    )
    assert list(RoomAvailability.objects.values_list("room", "start", "end")) == windows_before
    assert "Edit room “Room 101”" in response.content.decode()


def test_room_new_duplicate_name_creates_nothing(admin_client, event):
    response = admin_client.post(_event_url("orga:room_new", event), _room_data(name="Hall A"))

    assert "There is already a room named" in _errors(response)
    assert event.rooms.count() == 2


def test_room_delete_removes_the_room(admin_client, event):
    room = event.rooms.get(name="Room 101")

    response = admin_client.post(_event_url("orga:room_delete", event, pk=room.pk), follow=True)

    assert list(event.rooms.values_list("name", flat=True)) == ["Hall A"]
    assert "The room “Room 101” was deleted." in response.content.decode()


def test_room_delete_refuses_get(admin_client, event):
    room = event.rooms.first()

    response = admin_client.get(_event_url("orga:room_delete", event, pk=room.pk))

    assert response.status_code == 405
    assert Room.objects.filter(pk=room.pk).exists()


# --- Tracks -------------------------------------------------------------------------------------------


def test_track_new_saves_and_lists_the_colour(admin_client, event):
    data = {"name": "Security", "colour": "#aa3300", "description": "Locks and keys."}

    response = admin_client.post(_event_url("orga:track_new", event), data, follow=True)

    track = event.tracks.get(name="Security")
    assert (track.colour, track.description) == ("#aa3300", "Locks and keys.")
    assert 'fill="#aa3300"' in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"colour": "red"}, "Use a colour like #1f6feb."),
        ({"colour": "#12345"}, "Use a colour like #1f6feb."),
        ({"name": "Data"}, "There is already a track named"),
    ],
)
def test_track_bad_input_rerenders_with_error_and_changes_nothing(admin_client, event, changes, message):
    track = event.tracks.get(name="Web")
    before = list(Track.objects.values_list("pk", "name", "colour", "description").order_by("pk"))

    response = admin_client.post(
        _event_url("orga:track_edit", event, pk=track.pk),
        {"name": "Web 2", "colour": "#000000", "version": track.version, **changes},
    )

    assert response.status_code == 200
    assert message in _errors(response)
    assert list(Track.objects.values_list("pk", "name", "colour", "description").order_by("pk")) == before


def test_track_delete_refused_while_a_team_is_limited_to_it(admin_client, event):
    web = event.tracks.get(name="Web")
    factories.team_member(event, name="Web reviewers", can_review=True, tracks=[web])

    response = admin_client.post(_event_url("orga:track_delete", event, pk=web.pk), follow=True)

    assert Track.objects.filter(pk=web.pk).exists()
    assert "Web reviewers" in response.content.decode()


# --- Session types ------------------------------------------------------------------------------------


def test_session_type_new_saves_and_lists_it(admin_client, event):
    data = {"name": "Lightning talk", "duration_minutes": "5", "is_plenary": "on"}

    response = admin_client.post(_event_url("orga:session_type_new", event), data, follow=True)

    created = event.session_types.get(name="Lightning talk")
    assert (created.duration_minutes, created.is_plenary) == (5, True)
    assert "Lightning talk" in response.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"duration_minutes": "0"}, "greater than or equal to 5"),
        ({"duration_minutes": "1441"}, "less than or equal to 1440"),
        ({"duration_minutes": "half an hour"}, "Enter a whole number."),
        ({"name": "Keynote"}, "There is already a session type named"),
    ],
)
def test_session_type_bad_input_rerenders_with_error_and_changes_nothing(
    admin_client, event, changes, message
):
    talk = event.session_types.get(name="Talk")
    before = list(
        SessionType.objects.values_list("pk", "name", "duration_minutes", "is_plenary").order_by("pk")
    )

    response = admin_client.post(
        _event_url("orga:session_type_edit", event, pk=talk.pk),
        {"name": "Long talk", "duration_minutes": "40", "version": talk.version, **changes},
    )

    assert response.status_code == 200
    assert message in _errors(response)
    assert (
        list(SessionType.objects.values_list("pk", "name", "duration_minutes", "is_plenary").order_by("pk"))
        == before
    )


def test_session_type_edit_saves_its_suitable_rooms_and_lists_them(admin_client, event):
    tutorial = event.session_types.get(name="Tutorial")
    small = event.rooms.get(name="Room 101")
    url = _event_url("orga:session_type_edit", event, pk=tutorial.pk)
    data = {"name": "Tutorial", "duration_minutes": "180", "version": tutorial.version}

    response = admin_client.post(url, {**data, "rooms": [small.pk]}, follow=True)

    assert list(tutorial.rooms.all()) == [small]
    assert "<td>Room 101</td>" in response.content.decode()
    assert "<td>Any room</td>" in response.content.decode()  # the other types
    tutorial.refresh_from_db()
    admin_client.post(url, {**data, "version": tutorial.version})  # nothing ticked: any room again
    assert list(tutorial.rooms.all()) == []


def test_session_type_form_offers_only_this_events_rooms(admin_client, event):
    other_room = factories.EventFactory().rooms.get(name="Hall A")
    talk = event.session_types.get(name="Talk")
    url = _event_url("orga:session_type_edit", event, pk=talk.pk)

    offered = admin_client.get(url).context["form"].fields["rooms"].queryset
    response = admin_client.post(
        url, {"name": "Talk", "duration_minutes": "30", "version": talk.version, "rooms": [other_room.pk]}
    )

    assert sorted(offered.values_list("name", flat=True)) == ["Hall A", "Room 101"]
    assert "Select a valid choice." in _errors(response)
    assert list(talk.rooms.all()) == []
    assert SessionType.objects.get(pk=talk.pk).version == talk.version


def test_session_type_delete_refused_while_proposals_use_it(admin_client, event, proposal):
    used = proposal.session_type

    response = admin_client.post(_event_url("orga:session_type_delete", event, pk=used.pk), follow=True)

    assert SessionType.objects.filter(pk=used.pk).exists()
    assert (
        "Proposals use the session type &quot;Talk&quot;; move them to another type first."
        in response.content.decode()
    )


def test_session_type_delete_removes_an_unused_type(admin_client, event):
    tutorial = event.session_types.get(name="Tutorial")

    admin_client.post(_event_url("orga:session_type_delete", event, pk=tutorial.pk))

    assert sorted(event.session_types.values_list("name", flat=True)) == ["Keynote", "Talk"]


# --- Isolation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "related"),
    [
        ("orga:room_edit", "rooms"),
        ("orga:track_edit", "tracks"),
        ("orga:session_type_edit", "session_types"),
    ],
)
def test_another_events_object_under_this_events_url_is_404(admin_client, event, name, related):
    # Same organiser, so the admin may edit both events: only the scoping stands in the way.
    second = factories.EventFactory(organiser=event.organiser)
    foreign = getattr(second, related).first()

    get = admin_client.get(_event_url(name, event, pk=foreign.pk))
    post = admin_client.post(
        _event_url(name, event, pk=foreign.pk),
        {"name": "Hijacked", "colour": "#000000", "duration_minutes": "30"},
    )

    assert (get.status_code, post.status_code) == (404, 404)
    assert type(foreign).objects.filter(name="Hijacked").exists() is False


@pytest.mark.parametrize(
    ("name", "related"),
    [
        ("orga:room_delete", "rooms"),
        ("orga:track_delete", "tracks"),
        ("orga:session_type_delete", "session_types"),
    ],
)
def test_another_events_object_cannot_be_deleted_through_this_event(admin_client, event, name, related):
    second = factories.EventFactory(organiser=event.organiser)
    foreign = getattr(second, related).order_by("pk").last()

    response = admin_client.post(_event_url(name, event, pk=foreign.pk))

    assert response.status_code == 404
    assert type(foreign).objects.filter(pk=foreign.pk).exists()


@pytest.mark.parametrize(
    ("name", "related"),
    [
        ("orga:room_delete", "rooms"),
        ("orga:track_delete", "tracks"),
        ("orga:session_type_delete", "session_types"),
    ],
)
def test_another_organisers_admin_cannot_delete_this_events_objects(client, event, name, related):
    client.force_login(factories.team_member(factories.EventFactory(), is_admin=True, can_edit_event=True))
    target = getattr(event, related).order_by("pk").last()

    response = client.post(_event_url(name, event, pk=target.pk))

    assert response.status_code == 403
    assert type(target).objects.filter(pk=target.pk).exists()


def test_another_organisers_admin_cannot_change_this_organisers_teams(client, event, organiser_user):
    client.force_login(factories.team_member(factories.EventFactory(), is_admin=True, can_edit_event=True))
    team = event.organiser.teams.get(members=organiser_user)

    edit = client.post(_team_url("orga:team_edit", event.organiser, pk=team.pk), {"name": "Hijacked"})
    invite = client.post(
        _team_url("orga:team_invite_send", event.organiser, pk=team.pk), {"email": "x@example.org"}
    )
    remove = client.post(
        _team_url("orga:team_member_remove", event.organiser, pk=team.pk), {"user": organiser_user.pk}
    )

    assert (edit.status_code, invite.status_code, remove.status_code) == (403, 403, 403)
    assert Team.objects.get(pk=team.pk).name == team.name
    assert list(team.members.all()) == [organiser_user]
    assert TeamInvite.objects.count() == 0


def test_another_organisers_team_under_this_organisers_url_is_404(admin_client, event):
    other_event = factories.EventFactory()
    factories.team_member(other_event, name="Their admins", is_admin=True)
    foreign = other_event.organiser.teams.get(name="Their admins")

    get = admin_client.get(_team_url("orga:team_edit", event.organiser, pk=foreign.pk))
    post = admin_client.post(
        _team_url("orga:team_invite_send", event.organiser, pk=foreign.pk), {"email": "x@example.org"}
    )

    assert (get.status_code, post.status_code) == (404, 404)
    assert TeamInvite.objects.count() == 0


# --- Query counts --------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _add_rooms(event, count, prefix):
    for n in range(count):
        room = Room.objects.create(event=event, name=f"{prefix} room {n}", position=10 + n)
        start = dt.datetime(2031, 5, 14, 8, tzinfo=dt.UTC)
        RoomAvailability.objects.create(room=room, start=start, end=start + dt.timedelta(hours=4))


def _add_tracks(event, count, prefix):
    for n in range(count):
        track = Track.objects.create(event=event, name=f"{prefix} track {n}")
        factories.ProposalFactory(event=event, track=track)


def _add_session_types(event, count, prefix):
    for n in range(count):
        session_type = SessionType.objects.create(
            event=event, name=f"{prefix} type {n}", duration_minutes=20 + n
        )
        factories.ProposalFactory(event=event, session_type=session_type)


@pytest.mark.parametrize(
    ("name", "add"),
    [("orga:rooms", _add_rooms), ("orga:tracks", _add_tracks), ("orga:session_types", _add_session_types)],
)
def test_event_setup_list_query_count_does_not_grow(
    admin_client, event, django_assert_num_queries, name, add
):
    url = _event_url(name, event)
    add(event, 1, "First")
    admin_client.get(url)  # warm-up: content types and the session are loaded once
    small = _queries(admin_client, url)

    add(event, 12, "More")
    with django_assert_num_queries(small):
        response = admin_client.get(url)

    assert len(response.context[name.split(":")[1]]) >= 13


# --- Edits two organisers make at once ----------------------------------------------------------------

AFTER_STALE = "while you were editing. The form shows the current values; make your change again."
OUT_OF_DATE = "This page is out of date. Reload it and make your change again."


@pytest.fixture
def colleague(event):
    """A second organiser who saves while the first one still has the form open."""
    return factories.team_member(event, name="Colleagues", is_admin=True, can_edit_event=True)


def _shown_version(client, url):
    """The version an edit page puts in its form, as the organiser's open page holds it."""
    return client.get(url).context["form"]["version"].value()


def _snapshot(event) -> dict:
    """Everything the set-up pages can change, versions included: a refused edit leaves it as it was."""
    return {
        "event": {**_stored(event), "version": Event.objects.get(pk=event.pk).version},
        "rooms": list(
            Room.objects.values_list("pk", "name", "capacity", "position", "description", "version").order_by(
                "pk"
            )
        ),
        "windows": list(RoomAvailability.objects.values_list("room", "start", "end").order_by("pk")),
        "tracks": list(
            Track.objects.values_list("pk", "name", "colour", "description", "version").order_by("pk")
        ),
        "session_types": list(
            SessionType.objects.values_list(
                "pk", "name", "duration_minutes", "is_plenary", "version"
            ).order_by("pk")
        ),
        "teams": list(Team.objects.values_list("pk", "name", *FLAGS, "all_events", "version").order_by("pk")),
        "team_events": list(Team.limit_events.through.objects.values_list("team", "event").order_by("pk")),
        "team_tracks": list(Team.limit_tracks.through.objects.values_list("team", "track").order_by("pk")),
    }


EDIT_PAGES = [
    ("orga:event_settings", None),
    ("orga:room_edit", "rooms"),
    ("orga:track_edit", "tracks"),
    ("orga:session_type_edit", "session_types"),
    ("orga:team_edit", "teams"),
]


@pytest.mark.parametrize(("name", "related"), EDIT_PAGES)
def test_setup_edit_page_carries_the_stored_version_in_a_hidden_field(admin_client, event, name, related):
    response = admin_client.get(_url(name, event, related))

    assert response.context["form"]["version"].value() == 1
    assert '<input type="hidden" name="version" value="1"' in response.content.decode()


@pytest.mark.parametrize(
    "name", ["orga:event_new", "orga:room_new", "orga:track_new", "orga:session_type_new", "orga:team_new"]
)
def test_setup_new_page_has_no_version(admin_client, event, name):
    response = admin_client.get(_url(name, event))

    assert "version" not in response.context["form"].fields
    assert 'name="version"' not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "related", "data"),
    [
        ("orga:event_settings", None, {k: v for k, v in _settings_data().items() if k != "version"}),
        ("orga:room_edit", "rooms", {"name": "Renamed room", "position": "0"}),
        ("orga:track_edit", "tracks", {"name": "Renamed track", "colour": "#000000"}),
        ("orga:session_type_edit", "session_types", {"name": "Renamed type", "duration_minutes": "30"}),
        ("orga:team_edit", "teams", _team_data(name="Renamed team", is_admin="on")),
        ("orga:room_edit", "rooms", {"name": "Renamed room", "position": "0", "version": "one"}),
    ],
)
def test_setup_edit_without_a_version_is_refused_as_out_of_date(admin_client, event, name, related, data):
    before = _snapshot(event)

    response = admin_client.post(_url(name, event, related), data)

    assert response.status_code == 200
    assert response.content.decode().count(OUT_OF_DATE) == 1
    assert _snapshot(event) == before


def test_event_settings_stale_version_shows_the_conflict_and_the_stored_settings(
    admin_client, event, colleague
):
    url = _event_url("orga:event_settings", event)
    shown = _shown_version(admin_client, url)
    services.update_event(event=Event.objects.get(pk=event.pk), by=colleague, data={"name": "Colleague name"})
    before = _snapshot(event)

    response = admin_client.post(url, _settings_data(version=shown))

    form = response.context["form"]
    assert response.status_code == 200
    assert (
        response.content.decode().count(
            html.escape(f"Someone else changed the event's settings {AFTER_STALE}")
        )
        == 1
    )
    assert _snapshot(event) == before
    assert (form["name"].value(), form["timezone"].value(), form["version"].value()) == (
        "Colleague name",
        event.timezone,
        2,
    )


def _colleague_saves_room(event, room, colleague):
    """Capacity 50, available 09:00 to 18:00 on the first day."""
    start = dt.datetime.combine(event.date_from, dt.time(9), tzinfo=event.tz)
    services.save_room(
        event=event,
        by=colleague,
        data={"capacity": 50},
        room=Room.objects.get(pk=room.pk),
        windows=[(start, start + dt.timedelta(hours=9))],
    )


def test_room_edit_stale_version_shows_the_conflict_and_the_stored_room(admin_client, event, colleague):
    room = event.rooms.get(name="Hall A")
    url = _event_url("orga:room_edit", event, pk=room.pk)
    day = event.date_from.isoformat()
    shown = _shown_version(admin_client, url)
    _colleague_saves_room(event, room, colleague)
    before = _snapshot(event)

    response = admin_client.post(
        url,
        _room_data(name="Hall B", capacity="900", availability=f"{day} 10:00 - {day} 12:00", version=shown),
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert response.content.decode().count(f"Someone else changed this room {AFTER_STALE}") == 1
    assert _snapshot(event) == before
    assert (form["name"].value(), form["capacity"].value(), form["version"].value()) == ("Hall A", 50, 2)
    assert form["availability"].value() == f"{day} 09:00 - {day} 18:00"
    assert "Edit room “Hall A”" in response.content.decode()


def test_room_edit_after_a_conflict_saves_the_change_made_again(admin_client, event, colleague):
    room = event.rooms.get(name="Hall A")
    url = _event_url("orga:room_edit", event, pk=room.pk)
    stale = _shown_version(admin_client, url)
    _colleague_saves_room(event, room, colleague)
    form = admin_client.post(url, _room_data(name="Hall A", capacity="900", version=stale)).context["form"]

    response = admin_client.post(
        url,
        _room_data(
            name="Hall A",
            capacity="900",
            availability=form["availability"].value(),
            version=form["version"].value(),
        ),
    )

    stored = Room.objects.get(pk=room.pk)
    assert response.status_code == 302
    assert (stored.capacity, stored.version, stored.availabilities.count()) == (900, 3, 1)


def test_track_edit_stale_version_shows_the_conflict_and_the_stored_track(admin_client, event, colleague):
    track = event.tracks.get(name="Web")
    url = _event_url("orga:track_edit", event, pk=track.pk)
    shown = _shown_version(admin_client, url)
    services.save_track(
        event=event, by=colleague, data={"colour": "#111111"}, track=Track.objects.get(pk=track.pk)
    )
    before = _snapshot(event)

    response = admin_client.post(url, {"name": "Web 2", "colour": "#222222", "version": shown})

    form = response.context["form"]
    assert response.status_code == 200
    assert response.content.decode().count(f"Someone else changed this track {AFTER_STALE}") == 1
    assert _snapshot(event) == before
    assert (form["name"].value(), form["colour"].value(), form["version"].value()) == ("Web", "#111111", 2)


def test_session_type_edit_stale_version_shows_the_conflict_and_the_stored_type(
    admin_client, event, colleague
):
    talk = event.session_types.get(name="Talk")
    url = _event_url("orga:session_type_edit", event, pk=talk.pk)
    shown = _shown_version(admin_client, url)
    services.save_session_type(
        event=event,
        by=colleague,
        data={"duration_minutes": 40},
        session_type=SessionType.objects.get(pk=talk.pk),
    )
    before = _snapshot(event)

    response = admin_client.post(url, {"name": "Long talk", "duration_minutes": "60", "version": shown})

    form = response.context["form"]
    assert response.status_code == 200
    assert response.content.decode().count(f"Someone else changed this session type {AFTER_STALE}") == 1
    assert _snapshot(event) == before
    assert (form["name"].value(), form["duration_minutes"].value(), form["version"].value()) == (
        "Talk",
        40,
        2,
    )


def test_team_edit_stale_version_shows_the_conflict_and_the_stored_team(admin_client, event, colleague):
    web = event.tracks.get(name="Web")
    team = Team.objects.create(organiser=event.organiser, name="Reviewers", can_review=True)
    url = _team_url("orga:team_edit", event.organiser, pk=team.pk)
    shown = _shown_version(admin_client, url)
    services.save_team(
        organiser=event.organiser,
        by=colleague,
        data={"can_schedule": True},
        tracks=[web],
        team=Team.objects.get(pk=team.pk),
    )
    before = _snapshot(event)

    response = admin_client.post(url, _team_data(name="Renamed reviewers", version=shown))

    form = response.context["form"]
    assert response.status_code == 200
    assert response.content.decode().count(f"Someone else changed this team {AFTER_STALE}") == 1
    assert _snapshot(event) == before
    assert (form["name"].value(), form["can_schedule"].value(), form["limit_tracks"].value()) == (
        "Reviewers",
        True,
        [web.pk],
    )
    assert form["version"].value() == 2
