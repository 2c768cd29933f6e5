"""API tokens: made for the events a user works on, stored as a hash, revoked by their owner or an
organiser admin."""

import contextlib
import hashlib
import sqlite3
import threading
from unittest import mock

import pytest
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet

from podium.accounts.models import ApiToken
from podium.accounts.tokens import create_api_token, revoke_api_token, token_for_secret
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


@contextlib.contextmanager
def _token_row_locked_elsewhere(token):
    """Another connection holds the lock a write to the token needs (SQLite: the database's write
    lock, as another process would; PostgreSQL: the row's lock); this connection gives up after 0.1 s."""
    if connection.vendor == "sqlite":
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 100")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
            connection.close()  # the next connection has the configured busy timeout again
        return
    held, done = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                ApiToken.objects.select_for_update().get(pk=token.pk)
                held.set()
                done.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '100ms'")
    try:
        yield
    finally:
        done.set()
        holder.join(10)
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")


def test_a_token_is_accepted_when_its_last_use_cannot_be_noted(transactional_db):
    """The "last used" stamp is advisory: a database too busy to write it must not fail the call."""
    event = factories.EventFactory()
    door = factories.team_member(event, can_check_in=True)
    secret = make_token(door, event, scope="checkin")
    token = ApiToken.objects.get()

    with _token_row_locked_elsewhere(token):
        found = token_for_secret(secret)

    assert found is not None
    assert found.pk == token.pk
    assert ApiToken.objects.get().last_used_at is None  # skipped, tried again on a later call
    assert token_for_secret(secret).last_used_at is not None
    assert ApiToken.objects.get().last_used_at is not None


def test_a_failed_stamp_inside_a_transaction_leaves_the_transaction_usable(event, organiser_user):
    secret = make_token(organiser_user, event)

    with transaction.atomic():
        with mock.patch.object(QuerySet, "update", side_effect=OperationalError("database is locked")):
            assert token_for_secret(secret) is not None
        assert ApiToken.objects.get().last_used_at is None  # the transaction still answers
