import pytest

from podium.base.errors import NotAllowed
from podium.letters import rules
from podium.letters.models import LetterRole
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


def test_a_confirmed_speaker_asks_as_a_speaker(event, speaker):
    assert rules.check_may_ask(speaker, event) == LetterRole.SPEAKER


def test_a_paid_ticket_holder_asks_as_an_attendee(event, attendee):
    assert rules.check_may_ask(attendee, event) == LetterRole.ATTENDEE


def test_a_ticket_issued_to_ones_address_counts(event):
    user = factories.UserFactory(email="guest@example.org")
    shop.open_registration(event)
    buyer = factories.UserFactory()
    from podium.registration import services

    services.place_order(
        event=event,
        buyer=buyer,
        items=[(shop.ticket_type(event, price="0.00"), "Guest", "GUEST@example.org", {})],
        email=buyer.email,
    )
    assert rules.role_of(user, event) == LetterRole.ATTENDEE


@pytest.mark.parametrize("state", ["submitted", "accepted", "rejected"])
def test_a_speaker_not_confirmed_is_refused(event, state):
    user = factories.UserFactory()
    factories.ProposalFactory(event=event, speakers=[user], state=state)
    with pytest.raises(NotAllowed, match="paid ticket"):
        rules.check_may_ask(user, event)


def test_an_unpaid_order_or_another_events_ticket_is_refused(event):
    user = factories.UserFactory()
    shop.open_registration(event)
    shop.buy(event, user, shop.ticket_type(event, price="50.00"))  # pending payment
    other = factories.EventFactory()
    shop.open_registration(other)
    shop.buy(other, user, shop.ticket_type(other, price="0.00"))
    with pytest.raises(NotAllowed):
        rules.check_may_ask(user, event)


def test_only_the_flag_or_an_admin_issues_letters(event, issuer):
    admin = factories.team_member(event, is_admin=True)
    editor = factories.team_member(event, can_edit_event=True, can_check_in=True)
    elsewhere = factories.team_member(factories.EventFactory(), can_issue_letters=True)
    assert [rules.can_issue_letters(user, event) for user in (issuer, admin, editor, elsewhere)] == [
        True,
        True,
        False,
        False,
    ]
    with pytest.raises(NotAllowed):
        rules.check_can_issue_letters(editor, event)
    rules.check_can_issue_letters(None, event)
