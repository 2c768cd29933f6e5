"""Bearer tokens on the organiser API: a token reaches the events it names while its user is active and
on their team; missing, unknown and revoked ones get a 401."""

import pytest

from podium.accounts.models import ApiToken
from podium.accounts.tokens import revoke_api_token
from podium.base.models import AuditEntry
from tests import factories
from tests.api.conftest import bearer, make_token

pytestmark = pytest.mark.django_db

PROPOSALS = "/api/v1/orga/events/{}/proposals"


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
