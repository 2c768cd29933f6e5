"""API tokens: made for the events a user works on, stored as a hash, revoked by their owner or an
organiser admin."""

import hashlib

import pytest

from podium.accounts.models import ApiToken
from podium.accounts.tokens import create_api_token, revoke_api_token
from podium.base.errors import NotAllowed, ServiceError
from podium.base.models import AuditEntry
from tests import factories
from tests.api.conftest import make_token

pytestmark = pytest.mark.django_db


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


def test_revoke_api_token_is_refused_for_other_users(event, organiser_user, reviewer):
    make_token(reviewer, event)

    with pytest.raises(NotAllowed):
        revoke_api_token(token=ApiToken.objects.get(), by=factories.team_member(event, can_review=True))
    revoke_api_token(token=ApiToken.objects.get(), by=organiser_user)  # an organiser admin may

    assert ApiToken.objects.get().revoked_at is not None


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
