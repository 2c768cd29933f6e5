"""Who sees attendees, who manages orders, who may buy group tickets."""

import pytest

from podium.base.errors import NotAllowed
from podium.registration import rules
from podium.registration.enums import Group
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("flags", "sees", "manages"),
    [
        ({"can_check_in": True}, True, False),
        ({"can_edit_event": True}, True, True),
        ({"can_review": True}, False, False),
        ({"can_schedule": True, "can_send_mail": True}, False, False),
    ],
)
def test_attendee_data_and_orders_by_team_flag(event, flags, sees, manages):
    member = factories.team_member(event, **flags)

    assert (rules.can_see_attendees(member, event), rules.can_manage_orders(member, event)) == (sees, manages)


def test_another_events_team_sees_nothing(event):
    other = factories.EventFactory()
    member = factories.team_member(other, can_edit_event=True, can_check_in=True)

    assert (rules.can_see_attendees(member, event), rules.can_manage_orders(member, event)) == (False, False)
    with pytest.raises(NotAllowed):
        rules.check_can_see_attendees(member, event)
    with pytest.raises(NotAllowed):
        rules.check_can_manage_orders(member, event)
    rules.check_can_manage_orders(None, event)  # an operator on the command line


@pytest.mark.parametrize(
    ("state", "speaker"),
    [("submitted", False), ("accepted", True), ("confirmed", True), ("withdrawn", False)],
)
def test_speakers_are_people_with_an_accepted_or_confirmed_proposal(event, state, speaker):
    user = factories.UserFactory()
    factories.ProposalFactory(event=event, speakers=[user], state=state)

    assert rules.in_group(user, event, Group.SPEAKERS) == speaker
    assert rules.in_group(user, factories.EventFactory(), Group.SPEAKERS) is False


def test_team_and_volunteers(event):
    member = factories.team_member(event, can_review=True)

    assert rules.in_group(member, event, Group.TEAM) is True
    assert rules.in_group(factories.UserFactory(), event, Group.TEAM) is False
    assert rules.in_group(member, event, Group.VOLUNTEERS) is False
