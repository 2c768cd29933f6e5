import pytest

from podium.registration import services
from tests import factories
from tests.registration import shop


@pytest.fixture
def full(event):
    """A paid ticket type (orders stay pending until an organiser marks them paid)."""
    shop.open_registration(event)
    return shop.ticket_type(event, "Full conference", price="250.00")


@pytest.fixture
def organiser(event):
    return factories.team_member(event, name="Organisers", can_edit_event=True)


@pytest.fixture
def door(event):
    """A volunteer at the doors: checks people in, nothing else."""
    return factories.team_member(event, name="Door", can_check_in=True)


@pytest.fixture
def buyer(db):
    return factories.UserFactory(name="Buyer", email="buyer@example.org")


def sell(event, full, buyer, organiser, *names, paid: bool = True, company: str = ""):
    """One order with a ticket per name (attendee addresses made up from the name)."""
    items = [
        services.OrderItem(full, name, f"attendee{n}@example.org", attendee_company=company)
        for n, name in enumerate(names, start=1)
    ]
    order = services.place_order(event=event, buyer=buyer, items=items, email=buyer.email)
    if paid:
        order = services.mark_paid(order=order, by=organiser)
    return order


@pytest.fixture
def siobhan(event, full, buyer, organiser):
    """The paid ticket of Siobhán O'Brien."""
    return sell(event, full, buyer, organiser, "Siobhán O'Brien").tickets.select_related("order").get()
