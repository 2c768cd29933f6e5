import pytest

from tests import factories
from tests.registration import shop


@pytest.fixture
def event(db):
    return factories.EventFactory(name="PyConf Kraków")


@pytest.fixture
def speaker(event):
    user = factories.UserFactory(name="Zoë Speaker")
    factories.ProposalFactory(event=event, speakers=[user], state="confirmed")
    return user


@pytest.fixture
def attendee(event):
    """A user holding a paid (free) ticket."""
    user = factories.UserFactory(name="Ada Attendee")
    shop.open_registration(event)
    shop.buy(event, user, shop.ticket_type(event, "Community", price="0.00"))
    return user


@pytest.fixture
def issuer(event):
    return factories.team_member(event, name="Visa desk", can_issue_letters=True)
