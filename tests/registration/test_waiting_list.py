"""The waiting list: joining a sold-out type, freed seats offered in turn and held, offers taken up,
left or expired and passed on."""

import datetime as dt

import pytest
from django.utils import timezone

from podium.base.errors import NotAllowed, ServiceError
from podium.mail.models import OutboxMail
from podium.registration import services, waiting_list
from podium.registration.enums import OrderOrigin, OrderState, WaitingState
from podium.registration.models import TicketType, WaitingListEntry
from podium.registration.offers import offer_freed_seats
from podium.registration.seats import SoldOut
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def dinner(event, registration):
    return shop.ticket_type(event, "Dinner", price="40.00", quota=2)


@pytest.fixture
def sold_out(event, dinner, buyer):
    """Both dinner seats sold in one order (pending payment)."""
    return shop.buy(event, buyer, dinner, 2)


def _waiting(dinner, count):
    users = [factories.UserFactory(name=f"Waiting {n}") for n in range(1, count + 1)]
    return [waiting_list.join_waiting_list(ticket_type=dinner, user=user) for user in users]


def _taken(ticket_type) -> int:
    return TicketType.objects.get(pk=ticket_type.pk).seats_taken


def _state(entry) -> str:
    return WaitingListEntry.objects.get(pk=entry.pk).state


def test_join_only_when_sold_out_and_once(event, dinner, buyer):
    person = factories.UserFactory()
    with pytest.raises(ServiceError, match="not sold out"):
        waiting_list.join_waiting_list(ticket_type=dinner, user=person)
    shop.buy(event, buyer, dinner, 2)

    entry = waiting_list.join_waiting_list(ticket_type=dinner, user=person)

    assert (entry.state, entry.email, entry.token) == (WaitingState.WAITING, person.email, None)
    with pytest.raises(ServiceError, match="already"):
        waiting_list.join_waiting_list(ticket_type=dinner, user=person)


def test_join_refused_for_types_one_may_not_buy(event, registration, buyer):
    from django.contrib.auth.models import AnonymousUser

    crew = shop.ticket_type(event, "Crew", visibility="group", group="team", quota=0, price="0")
    hidden = shop.ticket_type(event, "Hidden", visibility="voucher", quota=0)

    with pytest.raises(NotAllowed):
        waiting_list.join_waiting_list(ticket_type=crew, user=buyer)
    with pytest.raises(NotAllowed, match="voucher only"):
        waiting_list.join_waiting_list(ticket_type=hidden, user=buyer)
    with pytest.raises(NotAllowed, match="Log in"):
        waiting_list.join_waiting_list(ticket_type=crew, user=AnonymousUser())


def test_a_cancellation_offers_the_seats_in_turn_and_keeps_them_held(event, dinner, sold_out, buyer):
    first, second, third = _waiting(dinner, 3)

    services.cancel_order(order=sold_out, by=buyer)

    assert [_state(entry) for entry in (first, second, third)] == ["offered", "offered", "waiting"]
    assert _taken(dinner) == 2
    offered = WaitingListEntry.objects.get(pk=first.pk)
    assert offered.token
    assert offered.offer_expires_at > timezone.now() + dt.timedelta(hours=23)
    mail = OutboxMail.objects.get(template="waiting_list_offer", to=first.email)
    assert f"/tickets/offer/{offered.token}/" in mail.body
    shop.assert_seats_add_up(event)
    with pytest.raises(SoldOut):
        shop.buy(event, factories.UserFactory(), dinner)


def test_accepting_an_offer_places_the_order_on_the_held_seat(event, dinner, sold_out, buyer):
    first, _second = _waiting(dinner, 2)
    services.cancel_order(order=sold_out, by=buyer)
    token = WaitingListEntry.objects.get(pk=first.pk).token

    order = waiting_list.accept_offer(event=event, token=token, user=first.user)

    assert (order.state, order.origin, order.total) == (OrderState.PENDING, OrderOrigin.WAITING_LIST, 40)
    assert order.tickets.get().attendee_name == "Waiting 1"
    entry = WaitingListEntry.objects.get(pk=first.pk)
    assert (entry.state, entry.order) == (WaitingState.ACCEPTED, order)
    assert _taken(dinner) == 2
    shop.assert_seats_add_up(event)
    with pytest.raises(ServiceError, match="taken up this offer already"):
        waiting_list.accept_offer(event=event, token=token, user=first.user)


def test_an_offer_is_only_for_the_person_it_was_made_to(event, dinner, sold_out, buyer):
    (first,) = _waiting(dinner, 1)
    services.cancel_order(order=sold_out, by=buyer)
    token = WaitingListEntry.objects.get(pk=first.pk).token

    with pytest.raises(NotAllowed, match="someone else"):
        waiting_list.accept_offer(event=event, token=token, user=buyer)
    with pytest.raises(ServiceError, match="not valid"):
        waiting_list.accept_offer(event=event, token="made-up", user=first.user)
    with pytest.raises(ServiceError, match="not valid"):
        waiting_list.accept_offer(event=factories.EventFactory(), token=token, user=first.user)
    assert _state(first) == WaitingState.OFFERED


def test_an_expired_offer_passes_on_to_the_next_person(event, dinner, buyer):
    shop.buy(event, buyer, dinner)
    order = shop.buy(event, buyer, dinner)
    first, second = _waiting(dinner, 2)
    services.cancel_order(order=order, by=buyer)
    offer = WaitingListEntry.objects.get(pk=first.pk)

    assert waiting_list.expire_offers(now=offer.offer_expires_at - dt.timedelta(seconds=1)) == 0
    assert waiting_list.expire_offers(now=offer.offer_expires_at) == 1

    assert [_state(first), _state(second)] == [WaitingState.EXPIRED, WaitingState.OFFERED]
    assert _taken(dinner) == 2
    with pytest.raises(ServiceError, match="expired"):
        waiting_list.accept_offer(event=event, token=offer.token, user=first.user)
    assert OutboxMail.objects.filter(template="waiting_list_offer", to=second.email).count() == 1
    shop.assert_seats_add_up(event)


def test_an_offer_past_its_time_cannot_be_taken_up_before_the_sweep(event, dinner, sold_out, buyer):
    (first,) = _waiting(dinner, 1)
    services.cancel_order(order=sold_out, by=buyer)
    WaitingListEntry.objects.filter(pk=first.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    token = WaitingListEntry.objects.get(pk=first.pk).token

    with pytest.raises(ServiceError, match="expired"):
        waiting_list.accept_offer(event=event, token=token, user=first.user)


def test_an_expired_offer_with_nobody_waiting_frees_the_seat(event, dinner, sold_out, buyer):
    (first,) = _waiting(dinner, 1)
    services.cancel_order(order=sold_out, by=buyer)
    assert _taken(dinner) == 1  # one seat offered, the other freed

    waiting_list.expire_offers(now=timezone.now() + dt.timedelta(days=2))

    assert (_state(first), _taken(dinner)) == (WaitingState.EXPIRED, 0)
    shop.assert_seats_add_up(event)


def test_leaving_with_an_offer_passes_it_on(event, dinner, sold_out, buyer, organiser):
    first, second, third = _waiting(dinner, 3)
    services.cancel_order(order=sold_out, by=buyer)

    waiting_list.leave_waiting_list(entry=first, by=first.user)
    waiting_list.leave_waiting_list(entry=third, by=organiser)

    assert [_state(e) for e in (first, second, third)] == ["withdrawn", "offered", "withdrawn"]
    assert _taken(dinner) == 1
    with pytest.raises(ServiceError, match="no longer on the waiting list"):
        waiting_list.leave_waiting_list(entry=first, by=first.user)
    with pytest.raises(NotAllowed):
        waiting_list.leave_waiting_list(entry=second, by=buyer)
    shop.assert_seats_add_up(event)


def test_an_expired_order_offers_its_seats(event, dinner, sold_out):
    (first,) = _waiting(dinner, 1)

    services.expire_orders(now=sold_out.expires_at)

    assert (_state(first), _taken(dinner)) == (WaitingState.OFFERED, 1)
    shop.assert_seats_add_up(event)


def test_two_seats_freed_never_go_to_one_person(event, dinner, sold_out):
    (first,) = _waiting(dinner, 1)

    offered = offer_freed_seats(ticket_type=dinner, count=2)

    assert [entry.pk for entry in offered] == [first.pk]
    assert _taken(dinner) == 1  # the order's two seats: one held for the offer, one freed
