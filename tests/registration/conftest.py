import pytest

from tests import factories
from tests.registration import shop


@pytest.fixture
def registration(event):
    return shop.open_registration(event)


@pytest.fixture
def standard(event, registration):
    """A paid ticket type with ten seats."""
    return shop.ticket_type(event, "Standard", price="100.00", quota=10)


@pytest.fixture
def buyer(db):
    return factories.UserFactory(name="Siobhán O'Brien", email="siobhan@example.org")


@pytest.fixture
def organiser(event):
    return factories.team_member(event, name="Organisers", can_edit_event=True)
