"""The API tokens page of the back office: make a token (its secret shown once), revoke one."""

import hashlib

import pytest

from podium.accounts.models import ApiToken
from podium.accounts.tokens import create_api_token, revoke_api_token
from tests import factories
from tests.api.conftest import make_token
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_tokens_page_makes_a_token_and_shows_the_secret_once(client, event, organiser_user):
    client.force_login(organiser_user)

    made = client.post(
        f"/orga/organiser/{event.organiser.slug}/tokens/",
        {"name": "sync", "scope": "write", "events": [str(event.pk)]},
    )
    listed = client.get(f"/orga/organiser/{event.organiser.slug}/tokens/")

    token = ApiToken.objects.get()
    secret = made.content.decode().split('<code id="new-token">')[1].split("</code>")[0]
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in listed.content.decode()
    assert token.prefix in listed.content.decode()
    assert list(token.events.all()) == [event]


def test_tokens_page_refuses_events_of_another_organiser(client, event, organiser_user):
    other = factories.EventFactory()
    factories.team_member(other, user=organiser_user, is_admin=True)
    client.force_login(organiser_user)

    response = client.post(
        f"/orga/organiser/{event.organiser.slug}/tokens/",
        {"name": "x", "scope": "read", "events": [event.pk, other.pk]},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_tokens_page_is_for_the_organisers_team_members(client, event):
    client.force_login(factories.UserFactory())

    assert client.get(f"/orga/organiser/{event.organiser.slug}/tokens/").status_code == 403


def test_tokens_page_revokes_only_the_users_own_tokens(client, event, organiser_user, reviewer):
    make_token(reviewer, event)
    client.force_login(organiser_user)

    response = client.post(
        f"/orga/organiser/{event.organiser.slug}/tokens/revoke/", {"token": ApiToken.objects.get().pk}
    )

    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_tokens_page_revokes_a_token(client, event, reviewer):
    make_token(reviewer, event)
    client.force_login(reviewer)

    response = client.post(
        f"/orga/organiser/{event.organiser.slug}/tokens/revoke/", {"token": ApiToken.objects.get().pk}
    )

    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None


def test_tokens_page_needs_a_login(client, event):
    assert client.get(f"/orga/organiser/{event.organiser.slug}/tokens/").status_code == 302


def test_tokens_page_query_count_does_not_grow(client, event, organiser_user, django_assert_max_num_queries):
    second = factories.EventFactory(organiser=event.organiser, setup=False)
    url = f"/orga/organiser/{event.organiser.slug}/tokens/"
    client.force_login(organiser_user)

    def grow(count):
        for index in range(count):
            token, _secret = create_api_token(
                user=organiser_user,
                organiser=event.organiser,
                name="sync",
                events=[event, second],
                scope="read",
            )
            if index % 2:
                revoke_api_token(token=token, by=organiser_user)

    assert_constant_queries(client, url, grow, small=3, large=30)

    with django_assert_max_num_queries(11):
        response = client.get(url)
    assert [len(token.events.all()) for token in response.context["tokens"]] == [2] * 30


def test_tokens_page_makes_a_check_in_device_token(client, event):
    door = factories.team_member(event, name="Door", can_check_in=True)
    client.force_login(door)

    page = client.get(f"/orga/organiser/{event.organiser.slug}/tokens/").content.decode()
    client.post(
        f"/orga/organiser/{event.organiser.slug}/tokens/",
        {"name": "Gate phone", "scope": "checkin", "events": [str(event.pk)]},
    )

    assert 'value="checkin"' in page
    assert "Check-in device (attendee list and check-ins only)" in page
    assert ApiToken.objects.get(name="Gate phone").scope == "checkin"
