"""Many buyers at the same moment: the seats of a ticket type and the uses of a voucher are never
oversold.

Each buyer runs in its own thread and database connection, released together, with committed
transactions. This runs on SQLite and, in the PostgreSQL pass of the suite, on PostgreSQL.
"""

import pytest

from podium.base.errors import ServiceError
from podium.registration import services
from podium.registration.models import Order, TicketType, Voucher
from podium.registration.seats import SoldOut
from tests import factories
from tests.races import outcomes, race
from tests.registration import shop


@pytest.mark.django_db(transaction=True)
def test_fifty_buyers_for_the_last_ten_seats_give_ten_orders_and_forty_refusals():
    event = factories.EventFactory()
    shop.open_registration(event)
    standard = shop.ticket_type(event, "Standard", quota=30)
    early = factories.UserFactory()
    for _ in range(4):  # 20 sold before the rush
        shop.buy(event, early, standard, 5)
    buyers = [factories.UserFactory() for _ in range(50)]

    def buy(buyer):
        return lambda: shop.buy(event, buyer, standard)

    results = race(*(buy(buyer) for buyer in buyers))

    assert outcomes(results) == {"Order": 10, "SoldOut": 40}, [
        r for r in results if not isinstance(r, Order | SoldOut)
    ]
    assert {result.message for result in results if isinstance(result, SoldOut)} == {
        "“Standard” is sold out."
    }
    assert TicketType.objects.get(pk=standard.pk).seats_taken == 30
    assert Order.objects.filter(event=event).exclude(buyer=early).count() == 10
    shop.assert_seats_add_up(event)


@pytest.mark.django_db(transaction=True)
def test_orders_for_two_types_at_once_never_oversell_either():
    event = factories.EventFactory()
    shop.open_registration(event)
    conference = shop.ticket_type(event, "Conference", quota=10)
    dinner = shop.ticket_type(event, "Dinner", quota=5)
    buyers = [factories.UserFactory() for _ in range(12)]

    def buy(buyer):
        items = [(conference, "A", "a@example.org"), (dinner, "A", "a@example.org")]
        return lambda: services.place_order(event=event, buyer=buyer, items=items, email=buyer.email)

    results = race(*(buy(buyer) for buyer in buyers))

    assert outcomes(results) == {"Order": 5, "SoldOut": 7}, results
    assert (
        TicketType.objects.get(pk=conference.pk).seats_taken,
        TicketType.objects.get(pk=dinner.pk).seats_taken,
    ) == (5, 5)
    shop.assert_seats_add_up(event)


@pytest.mark.django_db(transaction=True)
def test_twenty_buyers_for_a_voucher_of_five_uses_give_five_orders():
    event = factories.EventFactory()
    shop.open_registration(event)
    standard = shop.ticket_type(event, "Standard")
    voucher = shop.voucher(event, "FIVE", max_usages=5, discount_kind="percent", discount_value=50)
    buyers = [factories.UserFactory() for _ in range(20)]

    def buy(buyer):
        return lambda: shop.buy(event, buyer, standard, voucher_code="five")

    results = race(*(buy(buyer) for buyer in buyers))

    assert outcomes(results) == {"Order": 5, "ServiceError": 15}, results
    assert {r.message for r in results if isinstance(r, ServiceError)} == {"This voucher has been used up."}
    assert Voucher.objects.get(pk=voucher.pk).times_used == 5
    assert TicketType.objects.get(pk=standard.pk).seats_taken == 5
    shop.assert_seats_add_up(event)


@pytest.mark.django_db(transaction=True)
def test_two_cancellations_at_once_free_the_seats_once():
    event = factories.EventFactory()
    shop.open_registration(event)
    standard = shop.ticket_type(event, "Standard", quota=10)
    buyer = factories.UserFactory()
    organiser = factories.team_member(event, can_edit_event=True)
    order = shop.buy(event, buyer, standard, 3)
    shop.buy(event, buyer, standard, 2)

    results = race(
        lambda: services.cancel_order(order=order, by=buyer),
        lambda: services.cancel_order(order=order, by=organiser),
    )

    assert outcomes(results) == {"Order": 1, "ServiceError": 1}, results
    assert TicketType.objects.get(pk=standard.pk).seats_taken == 2
    shop.assert_seats_add_up(event)
