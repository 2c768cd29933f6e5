"""Copying an event brings its registration set-up to the next edition, never its people's orders."""

import datetime as dt
from decimal import Decimal

import pytest

from podium.base.models import AuditEntry
from podium.events import copying
from podium.registration.enums import Group, QuestionKind, Visibility
from podium.registration.models import Order, RegistrationSettings, Voucher
from tests.registration import shop

pytestmark = pytest.mark.django_db

YEAR = dt.timedelta(days=364)


def _copy(event, actor, **extra):
    return copying.copy_event(
        actor=actor,
        source=event,
        name="Next edition",
        slug="next-edition",
        start=event.date_from + YEAR,
        **extra,
    )


def test_the_set_up_comes_along_closed_with_dates_moved_and_nothing_sold(event, organiser_user, buyer):
    opens = dt.datetime.combine(event.date_from - dt.timedelta(days=90), dt.time(9), tzinfo=event.tz)
    shop.open_registration(
        event,
        payment_deadline_hours=48,
        offer_hours=12,
        max_tickets_per_order=4,
        currency="CHF",
        name_change_until=opens + dt.timedelta(days=80),
        cancellation_until=opens + dt.timedelta(days=60),
    )
    standard = shop.ticket_type(
        event, "Standard", price="120.00", quota=3, description="Talks, lunch, «social»",
        sale_start=opens, sale_end=opens + dt.timedelta(days=85), position=2,
    )  # fmt: skip
    speakers = shop.ticket_type(
        event, "Speaker", price="0.00", visibility=Visibility.GROUP, group=Group.values[0], position=1
    )
    hidden = shop.ticket_type(event, "Old day pass", active=False, position=3)
    shop.buy(event, buyer, standard, 2)
    shop.question(event, "T-shirt size", types=[standard, speakers], kind=QuestionKind.CHOICE,
                  choices=["S", "M", "L"], required=True, position=1)  # fmt: skip
    shop.question(event, "Dietary needs", help_text="Anything we should know?", position=2)
    shop.voucher(event, "FRIENDS")

    copy = _copy(event, organiser_user)

    settings = RegistrationSettings.objects.get(event=copy)
    assert not settings.is_open
    assert (settings.payment_deadline_hours, settings.offer_hours, settings.max_tickets_per_order) == (
        48,
        12,
        4,
    )
    assert settings.currency == "CHF"
    assert settings.name_change_until == opens + dt.timedelta(days=80) + YEAR
    assert settings.cancellation_until == opens + dt.timedelta(days=60) + YEAR
    types = {kind.name: kind for kind in copy.ticket_types.all()}
    assert list(types) == ["Speaker", "Standard", "Old day pass"]
    new = types["Standard"]
    assert (new.price, new.quota, new.seats_taken) == (Decimal("120.00"), 3, 0)
    assert new.description == "Talks, lunch, «social»"
    assert (new.sale_start, new.sale_end) == (opens + YEAR, opens + dt.timedelta(days=85) + YEAR)
    assert (types["Speaker"].visibility, types["Speaker"].group) == (Visibility.GROUP, Group.values[0])
    assert not types[hidden.name].active
    questions = list(copy.registration_questions.all())
    assert [q.label for q in questions] == ["T-shirt size", "Dietary needs"]
    assert (questions[0].kind, questions[0].choices, questions[0].required) == (
        QuestionKind.CHOICE,
        ["S", "M", "L"],
        True,
    )
    assert sorted(kind.name for kind in questions[0].ticket_types.all()) == ["Speaker", "Standard"]
    assert all(kind.event == copy for kind in questions[0].ticket_types.all())
    assert questions[1].help_text == "Anything we should know?"
    assert not questions[1].ticket_types.exists()
    # The people of the source edition stay there.
    assert not Order.objects.filter(event=copy).exists()
    assert not Voucher.objects.filter(event=copy).exists()
    assert standard.tickets.count() == 2
    entry = AuditEntry.objects.get(action="registration.copied")
    assert (entry.event_id, entry.data) == (
        copy.pk,
        {"source": event.slug, "ticket_types": 3, "questions": 2},
    )


def test_an_event_without_registration_copies_none(event, organiser_user):
    copy = _copy(event, organiser_user)

    assert not RegistrationSettings.objects.filter(event=copy).exists()
    assert not copy.ticket_types.exists()
    assert not AuditEntry.objects.filter(action="registration.copied").exists()
