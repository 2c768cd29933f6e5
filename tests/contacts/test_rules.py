"""Who keeps an organiser's contacts."""

import pytest
from django.contrib.auth.models import AnonymousUser

from podium.base.errors import NotAllowed
from podium.contacts.rules import can_manage_contacts, check_can_manage_contacts
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("flags", "allowed"),
    [
        ({"is_admin": True}, True),
        ({"can_send_mail": True}, True),
        ({"can_draft_mail": True}, True),
        ({"can_approve_mail": True}, False),
        ({"can_edit_event": True, "can_review": True, "can_schedule": True}, False),
    ],
)
def test_admins_and_mail_teams_keep_the_contacts(flags, allowed):
    event = factories.EventFactory()
    user = factories.team_member(event, **flags)

    assert can_manage_contacts(user, event.organiser) is allowed


def test_a_team_limited_to_one_event_still_counts():
    event = factories.EventFactory()
    user = factories.team_member(event, events=[event], can_send_mail=True)

    assert can_manage_contacts(user, event.organiser)


def test_another_organisers_team_anonymous_users_and_site_admins():
    event = factories.EventFactory()
    stranger = factories.team_member(factories.EventFactory(), is_admin=True, can_send_mail=True)
    admin = factories.UserFactory(is_superuser=True)

    assert not can_manage_contacts(stranger, event.organiser)
    assert not can_manage_contacts(AnonymousUser(), event.organiser)
    assert can_manage_contacts(admin, event.organiser)
    with pytest.raises(NotAllowed):
        check_can_manage_contacts(stranger, event.organiser)
    check_can_manage_contacts(None, event.organiser)  # an operator on the command line
