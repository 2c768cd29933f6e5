import pytest

from podium.base.errors import NotAllowed
from podium.schedule import rules
from tests import factories

pytestmark = pytest.mark.django_db


def test_check_can_schedule_lets_schedulers_and_the_command_line_through(event):
    scheduler = factories.team_member(event, can_schedule=True)

    assert rules.check_can_schedule(scheduler, event) is None
    assert rules.check_can_schedule(None, event) is None


@pytest.mark.parametrize(
    "flags", [{"can_review": True}, {"can_edit_event": True}, {"can_send_mail": True}, None]
)
def test_check_can_schedule_refuses_everyone_else(event, flags):
    user = factories.team_member(event, **flags) if flags is not None else factories.UserFactory()

    with pytest.raises(NotAllowed, match="You may not edit the schedule of this event"):
        rules.check_can_schedule(user, event)


def test_check_can_schedule_refuses_a_scheduler_of_another_event(event):
    elsewhere = factories.team_member(factories.EventFactory(), can_schedule=True)

    with pytest.raises(NotAllowed):
        rules.check_can_schedule(elsewhere, event)
