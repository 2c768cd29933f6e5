"""Badge PDFs: one badge per A6 page, eight labels per A4 sheet, every badge's QR code the ticket's
token, names that need a smaller size still on the badge."""

import pytest

from podium.checkin import badges
from podium.checkin.queries import badge_tickets
from podium.registration.tickets import read_token
from tests.checkin.conftest import sell
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def _pages(document: bytes) -> int:
    return document.count(b"/Type /Page\n")


@pytest.fixture
def drawn(monkeypatch):
    values = []
    original = badges.qr_code
    monkeypatch.setattr(badges, "qr_code", lambda value, size: values.append(value) or original(value, size))
    return values


def test_a6_has_a_page_per_badge_and_avery_eight_per_sheet(event, full, buyer, organiser, drawn):
    sell(event, full, buyer, organiser, *(f"Guest {n}" for n in range(9)))
    sell(event, full, buyer, organiser, *(f"Guest {n}" for n in range(9, 17)))
    tickets = badge_tickets(event)

    a6 = badges.badges_pdf(event, tickets, layout="a6", compress=False)
    avery = badges.badges_pdf(event, tickets, layout="avery", compress=False)

    assert (_pages(a6), _pages(avery)) == (17, 3)
    assert len(drawn) == 34
    assert {read_token(event, value).attendee_name for value in drawn} == {f"Guest {n}" for n in range(17)}


def test_only_paid_tickets_get_badges_and_one_by_id(event, full, buyer, organiser):
    paid = sell(event, full, buyer, organiser, "Paid Person")
    sell(event, full, buyer, organiser, "Unpaid Person", paid=False)
    ticket = paid.tickets.get()

    assert [t.attendee_name for t in badge_tickets(event)] == ["Paid Person"]
    assert list(badge_tickets(event, ticket.pk)) == [ticket]


def test_a_long_name_gets_a_smaller_size_and_an_empty_list_one_empty_page(event):
    long_name = "Maximiliane Theodora von Hohenzollern-Sigmaringen"

    assert badges._name_size("Ana", 200, 30) == 30
    assert 11 <= badges._name_size(long_name, 200, 30) < 30
    assert _pages(badges.badges_pdf(event, [], layout="avery", compress=False)) == 1
    with pytest.raises(ValueError, match="unknown badge layout"):
        badges.badges_pdf(event, [], layout="a0")


def test_the_badge_shows_name_company_type_and_event(event, full, buyer, organiser):
    sell(event, full, buyer, organiser, "Siobhán O'Brien", company="Acme & Co")

    document = badges.badges_pdf(event, badge_tickets(event), layout="avery", compress=False)

    text = pdf_text(document)
    for shown in ("Siobhán O'Brien", "Acme & Co", "Full conference", event.name):
        assert shown in text


def test_names_beyond_western_european_letters_print_as_written(event, full, buyer, organiser):
    names = ("Łukasz Dvořák", "Şule Öztürk", "Юлия Ковалёва")
    sell(event, full, buyer, organiser, *names, company="Zakład Żółć")

    text = pdf_text(badges.badges_pdf(event, badge_tickets(event), layout="a6"))

    for shown in (*names, "Zakład Żółć"):
        assert shown in text
