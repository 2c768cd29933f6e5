import pytest

from podium.letters import pdf, services
from tests.pdf import fonts, page_count, pdf_text
from tests.visa import ask

pytestmark = pytest.mark.django_db


def _approved(event, user, issuer, **values):
    request = ask(event, user, **values)
    return services.approve_request(letter=request, by=issuer, version=request.version)


def test_the_letter_states_who_is_invited_to_what_and_how_to_verify_it(event, speaker, issuer):
    letter = _approved(event, speaker, issuer, passport_name="Zoë Łukasiewicz-Dvořák Ğüneş")
    content = pdf.letter_pdf(letter, compress=False)
    text = " ".join(pdf_text(content).split())

    assert page_count(content) == 1
    assert {"DejaVuSans", "DejaVuSans-Bold"} <= fonts(content)
    assert "Zoë Łukasiewicz-Dvořák Ğüneş" in text
    assert "To whom it may concern" in text
    assert f"invited to speak at {event.name}" in text
    for value in ("Polish", "PX1234567", "17 May 1990", event.organiser.name, issuer.name):
        assert value in text
    assert f"arrive on {letter.arrival:%d %B %Y}" in text
    assert "do not pay for travel" in text
    assert letter.verification_code in text
    assert f"/{event.slug}/letters/verify/" in text


def test_an_attendee_is_invited_to_attend(event, attendee, issuer):
    letter = _approved(event, attendee, issuer)
    text = " ".join(pdf_text(pdf.letter_pdf(letter, compress=False)).split())
    assert f"invited to attend {event.name}" in text
