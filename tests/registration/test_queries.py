"""Reads: settings with defaults, the seat invariant check, speaker ticket types, vouchers by code."""

import pytest
from django.db.models import F

from podium.registration import queries
from podium.registration.models import TicketType, Voucher
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


def test_settings_default_to_closed_without_a_row(event):
    found = queries.settings_for(event)

    assert (found.pk, found.is_open, found.payment_deadline_hours, found.offer_hours, found.currency) == (
        None,
        False,
        72,
        24,
        "EUR",
    )


def test_seat_count_drift_finds_a_counter_that_disagrees_with_its_rows(event, standard, buyer):
    shop.buy(event, buyer, standard, 2)
    voucher = shop.voucher(event, "V", max_usages=5)
    assert queries.seat_count_drift(event) == {}

    TicketType.objects.filter(pk=standard.pk).update(seats_taken=F("seats_taken") + 1)
    Voucher.objects.filter(pk=voucher.pk).update(times_used=1)

    assert queries.seat_count_drift(event) == {"Standard": (3, 2), "voucher V": (1, 0)}


def test_the_speaker_type_is_the_first_active_speakers_group(event):
    shop.ticket_type(
        event, "Retired speakers", visibility="group", group="speakers", active=False, position=0
    )
    chosen = shop.ticket_type(event, "Speakers", visibility="group", group="speakers", position=1)
    shop.ticket_type(event, "Late speakers", visibility="group", group="speakers", position=2)
    shop.ticket_type(event, "Team", visibility="group", group="team", position=0)

    assert queries.speaker_ticket_type(event) == chosen
    assert queries.speaker_ticket_type(factories.EventFactory()) is None


def test_vouchers_are_found_in_any_letter_case_within_the_event(event):
    voucher = shop.voucher(event, "Friends-2030")
    shop.voucher(factories.EventFactory(), "OTHER")

    assert queries.find_voucher(event, " friends-2030 ") == voucher
    assert queries.find_voucher(event, "OTHER") is None
    assert queries.find_voucher(event, "") is None


def test_orders_of_a_buyer(event, standard, buyer):
    mine = shop.buy(event, buyer, standard)
    shop.buy(event, factories.UserFactory(), standard)

    assert list(queries.orders_of(buyer, event)) == [mine]
