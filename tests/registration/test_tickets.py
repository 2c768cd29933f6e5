"""The signed token of a ticket's QR code admits the paid ticket it names, and nothing else."""

import pytest
from django.core import signing

from podium.registration import services, tickets
from podium.registration.tickets import InvalidTicket, read_token, token_for
from tests import factories
from tests.registration import shop

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(event, standard, buyer, organiser):
    order = services.mark_paid(order=shop.buy(event, buyer, standard), by=organiser)
    return order.tickets.get()


def _refusal(event, token) -> str:
    with pytest.raises(InvalidTicket) as caught:
        read_token(event, token)
    return caught.value.reason


def test_a_paid_tickets_token_reads_back_as_the_ticket(event, ticket):
    token = token_for(ticket)

    assert read_token(event, token) == ticket
    assert len(token) < 200  # fits a QR code that scans from a phone screen


def test_the_token_is_not_the_id_and_cannot_be_made_without_the_key(event, ticket):
    forged = signing.dumps([event.pk, ticket.pk, ticket.secret], salt=tickets.SALT, key="not-the-site-key")
    guessed = signing.dumps([event.pk, ticket.pk, ticket.secret], salt="another salt", compress=True)

    assert _refusal(event, str(ticket.pk)) == tickets.FORGED
    assert _refusal(event, forged) == tickets.FORGED
    assert _refusal(event, guessed) == tickets.FORGED
    assert _refusal(event, "") == tickets.FORGED
    assert _refusal(event, "<script>alert(1)</script>") == tickets.FORGED


@pytest.mark.parametrize("position", [0, 5, -3])
def test_an_altered_token_is_refused(event, ticket, position):
    token = token_for(ticket)
    index = position % len(token)
    altered = token[:index] + ("A" if token[index] != "A" else "B") + token[index + 1 :]

    assert _refusal(event, altered) == tickets.FORGED


def test_another_events_token_is_refused_without_naming_it(event, ticket):
    other = factories.EventFactory()

    with pytest.raises(InvalidTicket, match=r"^This ticket is for another event\.$") as caught:
        read_token(other, token_for(ticket))
    assert caught.value.reason == tickets.OTHER_EVENT
    assert event.name not in caught.value.message


def test_a_signed_token_for_another_events_ticket_is_refused(event, ticket):
    other = factories.EventFactory()
    crafted = signing.dumps([other.pk, ticket.pk, ticket.secret], salt=tickets.SALT, compress=True)

    assert _refusal(other, crafted) == tickets.UNKNOWN


def test_a_reissued_tickets_old_token_is_refused(event, ticket, buyer):
    old = token_for(ticket)

    services.change_attendee(ticket=ticket, name="New Person", email="new@example.org", by=buyer)

    ticket.refresh_from_db()
    assert _refusal(event, old) == tickets.REISSUED
    assert read_token(event, token_for(ticket)) == ticket


def test_cancelled_and_unpaid_tickets_are_refused(event, standard, buyer, ticket, organiser):
    pending = shop.buy(event, buyer, standard).tickets.get()
    token = token_for(ticket)
    services.cancel_order(order=ticket.order, by=organiser)

    assert _refusal(event, token_for(pending)) == tickets.UNPAID
    assert _refusal(event, token) == tickets.CANCELLED


def test_a_deleted_ticket_is_unknown(event, ticket):
    token = token_for(ticket)
    ticket.answers.all().delete()
    ticket.delete()

    assert _refusal(event, token) == tickets.UNKNOWN
