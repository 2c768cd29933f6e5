"""The team pages of the back office: teams with their flags and event and track limits, invitations,
members, and who may change them."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from podium.events.models import Team, TeamInvite
from podium.mail.models import OutboxMail
from podium.proposals.rules import team_visible_proposals
from tests import factories

pytestmark = pytest.mark.django_db


def _event_url(name, event, **kwargs):
    return reverse(name, kwargs={"event": event.slug, **kwargs})


def _team_url(name, organiser, **kwargs):
    return reverse(name, kwargs={"organiser": organiser.slug, **kwargs})


@pytest.fixture
def admin_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


def _errors(response) -> str:
    """The text of the page, for asserting that an error message is shown."""
    return response.content.decode()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def _team_data(**changes):
    data = {"name": "Program committee", "can_review": "on", "all_events": "on"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_team_new_saves_flags_and_shows_them(admin_client, event):
    response = admin_client.post(
        _team_url("orga:team_new", event.organiser), _team_data(can_schedule="on"), follow=True
    )

    team = event.organiser.teams.get(name="Program committee")
    assert (team.can_review, team.can_schedule, team.is_admin, team.all_events) == (True, True, False, True)
    assert response.redirect_chain == [(_team_url("orga:team_edit", event.organiser, pk=team.pk), 302)]
    listing = admin_client.get(_team_url("orga:teams", event.organiser)).content.decode()
    assert "Program committee" in listing
    assert '<span class="badge">Schedule</span>' in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "team 1"}, "There is already a team named"),
        ({"all_events": None}, "Choose the events this team works on, or give it all events."),
    ],
)
def test_team_bad_input_rerenders_with_error_and_changes_nothing(
    admin_client, event, organiser_user, changes, message
):
    before = list(Team.objects.values_list("pk", "name", "can_review", "all_events").order_by("pk"))

    response = admin_client.post(_team_url("orga:team_new", event.organiser), _team_data(**changes))

    assert response.status_code == 200
    assert message in _errors(response)
    assert list(Team.objects.values_list("pk", "name", "can_review", "all_events").order_by("pk")) == before


def test_team_edit_refuses_to_drop_the_last_admin_flag(admin_client, event, organiser_user):
    team = event.organiser.teams.get(members=organiser_user)

    response = admin_client.post(
        _team_url("orga:team_edit", event.organiser, pk=team.pk),
        _team_data(name="Renamed admins", can_edit_event="on", version=team.version),
    )

    assert "At least one team with members must keep the admin permission." in _errors(response)
    team.refresh_from_db()
    assert (team.is_admin, team.name) == (True, "Team 1")
    assert "Team “Team 1”" in response.content.decode()


def test_team_limited_to_one_event_gives_no_access_to_another(client, admin_client, event):
    second = factories.EventFactory(organiser=event.organiser)
    admin_client.post(
        _team_url("orga:team_new", event.organiser),
        _team_data(
            name="Editors", can_edit_event="on", can_review=None, all_events=None, limit_events=[event.pk]
        ),
    )
    team = event.organiser.teams.get(name="Editors")
    editor = factories.UserFactory()
    team.members.add(editor)
    client.force_login(editor)

    allowed = client.get(_event_url("orga:rooms", event))
    refused = client.get(_event_url("orga:rooms", second))

    assert list(team.limit_events.all()) == [event]
    assert (allowed.status_code, refused.status_code) == (200, 403)


def test_team_limited_to_a_track_sees_only_that_tracks_proposals(admin_client, event):
    web, data = event.tracks.get(name="Web"), event.tracks.get(name="Data")
    in_web = factories.ProposalFactory(event=event, track=web)
    factories.ProposalFactory(event=event, track=data, title="Data talk the team must not see")
    admin_client.post(
        _team_url("orga:team_new", event.organiser), _team_data(name="Web reviewers", limit_tracks=[web.pk])
    )
    reviewer = factories.UserFactory()
    event.organiser.teams.get(name="Web reviewers").members.add(reviewer)

    visible = list(team_visible_proposals(reviewer, event))

    assert visible == [in_web]


def test_team_edit_shows_limits_members_and_pending_invites(admin_client, event, organiser_user):
    web = event.tracks.get(name="Web")
    team = Team.objects.create(organiser=event.organiser, name="Reviewers of web", can_review=True)
    team.limit_tracks.set([web])
    member = factories.UserFactory(name="Rita Reviewer")
    team.members.add(member)
    TeamInvite.objects.create(
        team=team, email="pending@example.org", token="t" * 40, invited_by=organiser_user
    )

    response = admin_client.get(_team_url("orga:team_edit", event.organiser, pk=team.pk))

    form = response.context["form"]
    html = response.content.decode()
    assert form["limit_tracks"].value() == [web.pk]
    assert "Rita Reviewer" in html
    assert "pending@example.org" in html


def test_team_invite_flow_mails_a_link_and_the_invited_person_joins(
    client, admin_client, event, organiser_user
):
    team = event.organiser.teams.get(members=organiser_user)

    response = admin_client.post(
        _team_url("orga:team_invite_send", event.organiser, pk=team.pk),
        {"email": "Newbie@Example.org"},
        follow=True,
    )

    mail = OutboxMail.objects.get()
    assert mail.to == "newbie@example.org"
    link = re.search(r"https://podium\.test(/orga/invite/[\w-]+/)", mail.body)
    assert link is not None
    assert "newbie@example.org" in response.content.decode()  # listed as pending
    newbie = factories.UserFactory(email="newbie@example.org")
    client.force_login(newbie)
    assert client.get(link.group(1)).status_code == 200
    client.post(link.group(1))
    assert sorted(team.members.values_list("email", flat=True)) == sorted(
        [organiser_user.email, "newbie@example.org"]
    )
    assert TeamInvite.objects.get().accepted_at is not None


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not an address", "Enter a valid email address."),
        ("member", "This person is a member of the team already."),
    ],
)
def test_team_invite_bad_address_rerenders_with_error(admin_client, event, organiser_user, email, message):
    team = event.organiser.teams.get(members=organiser_user)
    if email == "member":
        email = organiser_user.email

    response = admin_client.post(
        _team_url("orga:team_invite_send", event.organiser, pk=team.pk), {"email": email}
    )

    assert response.status_code == 200
    assert message in _errors(response)
    assert (TeamInvite.objects.count(), OutboxMail.objects.count()) == (0, 0)


def test_team_member_remove_takes_the_member_off(admin_client, event, organiser_user):
    team = event.organiser.teams.get(members=organiser_user)
    colleague = factories.UserFactory(name="Colleague")
    team.members.add(colleague)

    admin_client.post(
        _team_url("orga:team_member_remove", event.organiser, pk=team.pk), {"user": colleague.pk}
    )

    assert list(team.members.all()) == [organiser_user]


def test_team_member_remove_refuses_the_last_administrator(admin_client, event, organiser_user):
    team = event.organiser.teams.get(members=organiser_user)

    response = admin_client.post(
        _team_url("orga:team_member_remove", event.organiser, pk=team.pk),
        {"user": organiser_user.pk},
        follow=True,
    )

    assert list(team.members.all()) == [organiser_user]
    assert "The last administrator cannot be removed" in response.content.decode()


def test_team_member_remove_of_someone_not_on_the_team_is_404(admin_client, event, organiser_user, reviewer):
    team = event.organiser.teams.get(members=organiser_user)

    response = admin_client.post(
        _team_url("orga:team_member_remove", event.organiser, pk=team.pk), {"user": reviewer.pk}
    )

    assert response.status_code == 404
    assert reviewer.teams.count() == 1


# --- Query counts --------------------------------------------------------------------------------------


def _add_teams(event, count, prefix):
    for n in range(count):
        team = Team.objects.create(
            organiser=event.organiser, name=f"{prefix} {n}", can_review=True, all_events=False
        )
        team.limit_events.set([event])
        team.limit_tracks.set(event.tracks.all())
        team.members.add(factories.UserFactory(), factories.UserFactory())
        TeamInvite.objects.create(
            team=team, email=f"{prefix}{n}@example.org".replace(" ", ""), token=f"{prefix}-{n}-{'x' * 30}"
        )


def test_teams_list_query_count_does_not_grow(admin_client, event, django_assert_num_queries):
    url = _team_url("orga:teams", event.organiser)
    _add_teams(event, 2, "First")
    admin_client.get(url)  # warm-up: content types and the session are loaded once
    small = _queries(admin_client, url)

    _add_teams(event, 12, "More")
    with django_assert_num_queries(small):
        response = admin_client.get(url)

    assert len(response.context["teams"]) == 15
