"""Registration mails: names as typed (plain text), each paid ticket as a PDF with the QR code of its
signed token, the offer mail's link."""

import re

import pytest
from django.core import mail as django_mail
from django.utils import translation

from podium.mail import about
from podium.mail import services as outbox
from podium.mail.models import OutboxMail, SystemMailTemplate
from podium.registration import pdf, services, waiting_list
from podium.registration.tickets import read_token
from tests import factories
from tests.base.test_catalogues_german import real_catalogues  # noqa: F401 (a fixture)
from tests.pdf import pdf_text
from tests.registration import shop

pytestmark = pytest.mark.django_db

ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#[xX][0-9A-Fa-f]+);")
EVENT = 'Rock & Roll "Conf" <2030>'
TYPE = 'Q&A "panic" pass'


@pytest.fixture
def hostile(event, registration):
    event.name = EVENT
    event.save()
    return shop.ticket_type(event, TYPE, price="0")


def test_the_tickets_mail_shows_names_as_typed_and_carries_pdfs(event, hostile, buyer, settings):
    settings.PODIUM_DELIVER_MAIL_ON_COMMIT = False
    order = services.place_order(
        event=event, buyer=buyer, items=[(hostile, "Siobhán O'Brien", "s@example.org")], email=buyer.email
    )

    row = OutboxMail.objects.get(about=about.order(order.pk))
    assert (row.template, ENTITY.findall(row.subject + row.body)) == ("order_paid", [])
    assert EVENT in row.subject
    assert "Siobhán O'Brien" in row.body
    assert TYPE in row.body
    assert outbox.deliver() == 1
    [message] = django_mail.outbox
    [(filename, content, content_type)] = message.attachments
    assert (filename, content_type) == (
        f"ticket-{order.code}-{order.tickets.get().pk}.pdf",
        "application/pdf",
    )
    assert content.startswith(b"%PDF-")


def test_the_ticket_pdf_names_attendee_type_order_and_encodes_the_signed_token(
    event, hostile, buyer, monkeypatch
):
    order = shop.buy(event, buyer, hostile)
    ticket = order.tickets.get()
    encoded = []
    drawn = pdf.qr_code
    monkeypatch.setattr(pdf, "qr_code", lambda value, size: encoded.append(value) or drawn(value, size))

    document = pdf.ticket_pdf(ticket, compress=False)

    text = pdf_text(document)
    assert document.startswith(b"%PDF-")
    assert "Attendee 1" in text
    assert f"Order: {order.code}" in text
    assert 'Ticket: Q&A "panic" pass' in text  # the Paragraph markup is escaped once, never shown
    # The token carries the second it was signed in, so it is read back rather than compared.
    assert len(encoded) == 1
    assert read_token(event, encoded[0]) == ticket


def test_the_pending_mail_says_how_long_the_seats_are_held(event, standard, buyer):
    order = shop.buy(event, buyer, standard)

    row = OutboxMail.objects.get(about=about.order(order.pk))
    assert row.template == "order_pending"
    assert "Total: 100.00 EUR" in row.body
    assert row.attachments == []


def test_the_offer_mail_links_to_the_offer(event, registration, buyer):
    dinner = shop.ticket_type(event, "Dinner", quota=1)
    order = shop.buy(event, buyer, dinner)
    person = factories.UserFactory(name='Zoë "Z" D\'Arcy')
    entry = waiting_list.join_waiting_list(ticket_type=dinner, user=person)

    services.cancel_order(order=order, by=buyer)

    entry.refresh_from_db()
    row = OutboxMail.objects.get(about=about.waiting_offer(entry.pk))
    assert (row.to, row.template) == (person.email, "waiting_list_offer")
    assert f"https://podium.test/{event.slug}/tickets/offer/{entry.token}/" in row.body
    assert 'Hello Zoë "Z" D\'Arcy,' in row.body


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_tickets_mail_is_written_in_its_recipients_language(event, standard, organiser):
    german = factories.UserFactory(name="Ada", email="ada@example.org", language="de")

    with translation.override("en"):  # the organiser's request: English
        order = shop.buy(event, german, standard, 2)
        services.mark_paid(order=order, by=organiser)

    row = OutboxMail.objects.get(about=about.order(order.pk), template="order_paid")
    assert row.subject == f"[{event.name}] Tickets für Ihre Bestellung {order.code}"
    assert row.body.startswith(
        "Hallo Ada,\n\nvielen Dank, Ihre Zahlung ist eingegangen. Hier sind Ihre Tickets für "
        f"{event.name} (Bestellung {order.code}):\n\n  - Standard für Attendee 1\n"
    )


@pytest.mark.catalogues
@pytest.mark.usefixtures("real_catalogues")
def test_the_tickets_mails_values_follow_the_recipient_in_the_events_own_text(event, standard, organiser):
    SystemMailTemplate.objects.create(
        event=event, key="order_paid", subject="{tickets_word}", body="{payment_note}{here_are_your_tickets}."
    )
    french = factories.UserFactory(name="Ada", email="ada@example.org", language="fr")

    order = shop.buy(event, french, standard, 1)
    services.mark_paid(order=order, by=organiser)

    row = OutboxMail.objects.get(about=about.order(order.pk), template="order_paid")
    assert (row.subject, row.body) == (
        "billet",
        "merci, votre paiement est bien arrivé. Voici votre billet.\n",
    )
