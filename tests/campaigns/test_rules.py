import pytest

from podium.base.errors import NotAllowed
from podium.campaigns import rules
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("flags", "draft", "approve", "send"),
    [
        ({"can_draft_mail": True}, True, False, False),
        ({"can_approve_mail": True}, False, True, False),
        ({"can_send_mail": True}, True, False, True),
        ({"can_edit_event": True}, True, False, False),
        ({"is_admin": True}, True, True, True),
        ({"can_review": True}, False, False, False),
    ],
)
def test_the_flags_of_each_step(event, flags, draft, approve, send):
    user = factories.team_member(event, **flags)

    assert (rules.can_draft(user, event), rules.can_approve(user, event), rules.can_send(user, event)) == (
        draft,
        approve,
        send,
    )
    assert rules.can_see(user, event) == (draft or approve or send)


def test_an_operator_passes_every_check(event):
    rules.check_can_draft(None, event)
    rules.check_can_send(None, event)


def test_a_reviewer_is_refused(event, reviewer):
    with pytest.raises(NotAllowed):
        rules.check_can_draft(reviewer, event)
    with pytest.raises(NotAllowed):
        rules.check_can_see(reviewer, event)
