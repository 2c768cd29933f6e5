"""The database keeps the registration invariants, whatever the code does."""

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from podium.registration.enums import new_order_code, new_ticket_secret
from podium.registration.models import Order, TicketType, Voucher, WaitingListEntry
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


def _refused(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError:
        return True
    return False


def test_a_ticket_type_can_never_hold_more_seats_than_its_quota(event):
    capped = shop.ticket_type(event, "Capped", quota=2)
    unlimited = shop.ticket_type(event, "Open")

    assert _refused(lambda: TicketType.objects.filter(pk=capped.pk).update(seats_taken=3))
    assert not _refused(lambda: TicketType.objects.filter(pk=capped.pk).update(seats_taken=2))
    assert not _refused(lambda: TicketType.objects.filter(pk=unlimited.pk).update(seats_taken=10_000))
    assert _refused(
        lambda: TicketType.objects.filter(pk=unlimited.pk).update(seats_taken=F("seats_taken") - 10_001)
    )


@pytest.mark.parametrize(
    ("visibility", "group", "refused"),
    [("group", "", True), ("group", "speakers", False), ("public", "team", True), ("public", "", False)],
)
def test_a_group_is_named_exactly_for_group_types(event, visibility, group, refused):
    assert _refused(lambda: shop.ticket_type(event, "T", visibility=visibility, group=group)) == refused


def test_the_sale_window_is_ordered(event):
    from django.utils import timezone

    now = timezone.now()

    assert _refused(lambda: shop.ticket_type(event, "Backwards", sale_start=now, sale_end=now))


def test_voucher_codes_are_unique_per_event_ignoring_case(event):
    shop.voucher(event, "Friends")

    assert _refused(lambda: shop.voucher(event, "FRIENDS"))
    assert not _refused(lambda: shop.voucher(factories.EventFactory(), "FRIENDS"))


def test_a_voucher_is_never_used_more_than_allowed(event):
    voucher = shop.voucher(event, "TWO", max_usages=2)

    assert _refused(lambda: Voucher.objects.filter(pk=voucher.pk).update(times_used=3))
    assert _refused(lambda: shop.voucher(event, "HALF", discount_kind="percent", discount_value=101))


def test_order_codes_are_unique_per_event_and_only_pending_orders_expire(event):
    from django.utils import timezone

    Order.objects.create(event=event, code="AAAAAAAA", email="a@example.org")

    assert _refused(lambda: Order.objects.create(event=event, code="AAAAAAAA", email="b@example.org"))
    assert _refused(
        lambda: Order.objects.create(
            event=event, code="BBBBBBBB", email="b@example.org", state="paid", expires_at=timezone.now()
        )
    )
    assert _refused(
        lambda: Order.objects.create(event=event, code="CCCCCCCC", email="c@example.org", state="lost")
    )


def test_codes_and_secrets_are_random_and_well_formed():
    codes = {new_order_code() for _ in range(200)}
    secrets = {new_ticket_secret() for _ in range(200)}

    assert len(codes) == 200
    assert all(len(code) == 8 and set(code) <= set("ACDEFGHJKMNPQRTUVWXY34679") for code in codes)
    assert len(secrets) == 200
    assert {len(secret) for secret in secrets} == {32}


def test_one_active_waiting_list_entry_per_person_and_type(event):
    dinner = shop.ticket_type(event, "Dinner", quota=0)
    user = factories.UserFactory()
    first = WaitingListEntry.objects.create(event=event, ticket_type=dinner, user=user, email=user.email)

    assert _refused(
        lambda: WaitingListEntry.objects.create(event=event, ticket_type=dinner, user=user, email=user.email)
    )
    WaitingListEntry.objects.filter(pk=first.pk).update(state="withdrawn")
    assert not _refused(
        lambda: WaitingListEntry.objects.create(event=event, ticket_type=dinner, user=user, email=user.email)
    )


def test_an_offer_has_a_token_and_an_expiry(event):
    dinner = shop.ticket_type(event, "Dinner", quota=0)
    user = factories.UserFactory()

    assert _refused(
        lambda: WaitingListEntry.objects.create(
            event=event, ticket_type=dinner, user=user, email=user.email, state="offered"
        )
    )


def test_a_sold_ticket_type_or_used_voucher_stays_but_the_whole_event_can_go(event, standard, buyer):
    from django.db.models import RestrictedError

    voucher = shop.voucher(event, "V")
    shop.buy(event, buyer, standard, voucher_code="V")

    with pytest.raises(RestrictedError):
        standard.delete()
    with pytest.raises(RestrictedError):
        voucher.delete()
    event.delete()
    assert (TicketType.objects.count(), Order.objects.count()) == (0, 0)
