"""Registration set-ups for tests, built like the organisers would (settings, ticket types, questions)."""

from decimal import Decimal

from podium.registration import services
from podium.registration.models import Question, RegistrationSettings, TicketType, Voucher
from podium.registration.queries import seat_count_drift


def open_registration(event, **values) -> RegistrationSettings:
    settings, _ = RegistrationSettings.objects.update_or_create(
        event=event, defaults={"is_open": True, **values}
    )
    return settings


def ticket_type(event, name: str = "Standard", *, price: str = "100.00", **fields) -> TicketType:
    return TicketType.objects.create(event=event, name=name, price=Decimal(price), **fields)


def question(event, label: str, *, types=(), **fields) -> Question:
    created = Question.objects.create(event=event, label=label, **fields)
    created.ticket_types.set(types)
    return created


def voucher(event, code: str = "FRIENDS", **fields) -> Voucher:
    return Voucher.objects.create(event=event, code=code, **fields)


def items(ticket_type, count: int = 1, **answers) -> list:
    return [(ticket_type, f"Attendee {n}", f"attendee{n}@example.org", answers) for n in range(1, count + 1)]


def buy(event, buyer, ticket_type, count: int = 1, **kwargs):
    """Place an order of `count` tickets of one type, one attendee each."""
    return services.place_order(
        event=event, buyer=buyer, items=items(ticket_type, count), email=buyer.email, **kwargs
    )


def assert_seats_add_up(event) -> None:
    """Every counter agrees with the rows (tickets of pending and paid orders, open offers, vouchers)."""
    assert seat_count_drift(event) == {}
