import hashlib

import pytest

from podium.accounts.models import ApiToken
from podium.accounts.tokens import create_api_token, revoke_api_token
from podium.base.errors import NotAllowed, ServiceError
from podium.base.models import AuditEntry
from tests import factories
from tests.api.conftest import bearer, make_token
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PROPOSALS = "/api/v1/orga/events/{}/proposals"


def test_create_api_token_stores_only_the_hash(event, organiser_user):
    token, secret = create_api_token(
        user=organiser_user, organiser=event.organiser, name="sync", events=[event], scope="write"
    )

    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert secret.startswith(token.prefix)
    assert AuditEntry.objects.filter(action="api_token.created", object_id=str(token.pk)).exists()


def test_create_api_token_refuses_events_the_user_does_not_work_on(event, organiser_user):
    other = factories.EventFactory()
    stranger = factories.UserFactory()

    with pytest.raises(NotAllowed):
        create_api_token(
            user=organiser_user, organiser=event.organiser, name="x", events=[other], scope="read"
        )
    with pytest.raises(NotAllowed):
        create_api_token(user=stranger, organiser=event.organiser, name="x", events=[event], scope="read")
    assert not ApiToken.objects.exists()


def test_create_api_token_needs_a_name_scope_and_event(event, organiser_user):
    def make(**changes):
        args = {
            "user": organiser_user,
            "organiser": event.organiser,
            "name": "n",
            "events": [event],
            "scope": "read",
        }
        create_api_token(**{**args, **changes})

    for bad in ({"name": " "}, {"scope": "admin"}, {"events": []}):
        with pytest.raises(ServiceError):
            make(**bad)


def test_token_authenticates_and_notes_last_use(client, event, organiser_user):
    secret = make_token(organiser_user, event)

    response = client.get(PROPOSALS.format(event.slug), **bearer(secret))

    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer pod_unknown", "Basic abc"])
def test_organiser_endpoints_refuse_missing_or_unknown_tokens(client, event, header):
    response = client.get(PROPOSALS.format(event.slug), HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_revoked_token_is_refused_and_audited(client, event, organiser_user):
    secret = make_token(organiser_user, event)
    token = ApiToken.objects.get()

    revoke_api_token(token=token, by=organiser_user)

    assert client.get(PROPOSALS.format(event.slug), **bearer(secret)).status_code == 401
    assert AuditEntry.objects.filter(action="api_token.revoked", object_id=str(token.pk)).exists()


def test_revoke_api_token_is_refused_for_other_users(event, organiser_user, reviewer):
    make_token(reviewer, event)

    with pytest.raises(NotAllowed):
        revoke_api_token(token=ApiToken.objects.get(), by=factories.team_member(event, can_review=True))
    revoke_api_token(token=ApiToken.objects.get(), by=organiser_user)  # an organiser admin may

    assert ApiToken.objects.get().revoked_at is not None


def test_token_of_an_inactive_user_is_refused(client, event, organiser_user):
    secret = make_token(organiser_user, event)
    organiser_user.is_active = False
    organiser_user.save()

    assert client.get(PROPOSALS.format(event.slug), **bearer(secret)).status_code == 401


def test_token_only_reaches_the_events_it_names(client, event, organiser_user):
    sibling = factories.EventFactory(organiser=event.organiser)
    secret = make_token(organiser_user, event)

    assert client.get(PROPOSALS.format(sibling.slug), **bearer(secret)).status_code == 404


def test_token_loses_access_with_its_users_team(client, event, organiser_user):
    secret = make_token(organiser_user, event)
    organiser_user.teams.clear()

    response = client.get(PROPOSALS.format(event.slug), **bearer(secret))

    assert response.status_code == 403


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


def test_token_events_agree_with_the_permissions_of_each_event_in_few_queries(
    event, django_assert_max_num_queries
):
    from podium.accounts.tokens import token_events
    from podium.events.models import Team
    from podium.events.rules import permissions_for

    organiser = event.organiser
    others = [factories.EventFactory(organiser=organiser) for _ in range(4)]
    limited = factories.team_member(event, events=[others[0], others[1]], can_review=True)
    flagless = factories.team_member(event, events=[others[2]])  # a team with no flag gives nothing
    factories.team_member(event, user=flagless, events=[others[3]], can_schedule=True)
    everywhere = factories.team_member(event, can_send_mail=True)
    admin = factories.UserFactory(is_superuser=True)
    stranger = factories.UserFactory()
    assert Team.objects.filter(members=flagless).count() == 2
    for user in (limited, flagless, everywhere, admin, stranger):
        expected = sorted(e.pk for e in organiser.events.all() if permissions_for(user, e).is_team_member)
        with django_assert_max_num_queries(3):
            found = sorted(e.pk for e in token_events(user, organiser))
        assert found == expected
    assert sorted(e.pk for e in token_events(limited, organiser)) == sorted([others[0].pk, others[1].pk])
