import pytest

from podium.base.errors import NotAllowed, ServiceError
from podium.sponsors import rules
from podium.sponsors.models import Stage
from tests import factories

pytestmark = pytest.mark.django_db

P, C, CO, IN, PA, D = (
    Stage.PROSPECT,
    Stage.CONTACTED,
    Stage.COMMITTED,
    Stage.INVOICED,
    Stage.PAID,
    Stage.DECLINED,
)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        (P, C, True),
        (P, PA, True),  # forward several steps
        (C, IN, True),
        (IN, CO, True),  # back one
        (PA, IN, True),
        (PA, CO, False),  # back two
        (IN, P, False),
        (C, C, False),
        (P, D, True),
        (PA, D, True),
        (D, P, True),
        (D, C, True),
        (D, CO, False),
        (D, PA, False),
        (D, D, False),
        (P, "won", False),
    ],
)
def test_the_pipeline_moves(current, target, allowed):
    assert rules.may_move(current, target) is allowed


def test_the_moves_offered_follow_the_rule():
    assert rules.moves_from(IN) == [CO, PA, D]
    assert rules.moves_from(D) == [P, C]
    assert rules.moves_from(P) == [C, CO, IN, PA, D]


def test_a_refused_move_says_where_it_may_go():
    with pytest.raises(ServiceError, match="can move to committed, paid, declined; not to prospect"):
        rules.check_move(IN, P)
    with pytest.raises(ServiceError, match="declined already"):
        rules.check_move(D, D)


def test_who_manages_sponsors(event):
    manager = factories.team_member(event, can_manage_sponsors=True)
    admin = factories.team_member(event, is_admin=True)
    reviewer = factories.team_member(event, can_review=True)
    editor = factories.team_member(event, can_edit_event=True)
    other = factories.team_member(factories.EventFactory(), can_manage_sponsors=True)
    assert [rules.can_manage_sponsors(user, event) for user in (manager, admin, reviewer, editor, other)] == [
        True,
        True,
        False,
        False,
        False,
    ]
    rules.check_can_manage_sponsors(None, event)  # an operator
    with pytest.raises(NotAllowed):
        rules.check_can_manage_sponsors(reviewer, event)


def test_a_team_limited_to_another_event_does_not_manage_this_one(event):
    other = factories.EventFactory(organiser=event.organiser)
    limited = factories.team_member(event, events=[other], can_manage_sponsors=True)
    assert not rules.can_manage_sponsors(limited, event)
    assert rules.can_manage_sponsors(limited, other)
