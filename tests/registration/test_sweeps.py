"""`podium cleanup` expires unpaid orders and waiting-list offers (or says it would)."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from podium.base.cleanup import SWEEPS
from podium.registration import services, sweeps, waiting_list
from podium.registration.enums import OrderState, WaitingState
from podium.registration.models import Order, WaitingListEntry
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


def test_both_sweeps_are_registered():
    assert sweeps.expired_orders in SWEEPS
    assert sweeps.expired_offers in SWEEPS


def test_dry_run_counts_and_changes_nothing(event, standard, buyer):
    order = shop.buy(event, buyer, standard)
    later = order.expires_at + dt.timedelta(minutes=1)

    removals = sweeps.expired_orders(now=later, dry_run=True)

    assert [(r.path, r.reason) for r in removals] == [("1 unpaid ticket order(s)", "payment deadline passed")]
    assert Order.objects.get(pk=order.pk).state == OrderState.PENDING


def test_cleanup_expires_orders_and_offers(event, registration, buyer):
    dinner = shop.ticket_type(event, "Dinner", quota=1)
    paid_then_cancelled = shop.buy(event, buyer, dinner)
    entry = waiting_list.join_waiting_list(ticket_type=dinner, user=factories.UserFactory())
    services.cancel_order(order=paid_then_cancelled, by=buyer)
    Order.objects.filter(pk=shop.buy(event, buyer, shop.ticket_type(event, "Standard")).pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    WaitingListEntry.objects.filter(pk=entry.pk).update(
        offer_expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    out = StringIO()

    call_command("cleanup", stdout=out)

    assert "1 unpaid ticket order(s)" in out.getvalue()
    assert "1 waiting-list offer(s)" in out.getvalue()
    assert WaitingListEntry.objects.get(pk=entry.pk).state == WaitingState.EXPIRED
    shop.assert_seats_add_up(event)
