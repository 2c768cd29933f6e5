import pytest
from django.urls import reverse

from podium.letters import services
from podium.letters.models import LetterRequest, LetterState
from tests import factories
from tests.registration import shop
from tests.visa import ask, event, issuer, letter, speaker  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _form(event, **overrides):
    data = {
        "passport_name": "Zoë Łukasiewicz",
        "nationality": "Polish",
        "passport_number": "PX1234567",
        "date_of_birth": "1990-05-17",
        "arrival": f"{event.date_from:%Y-%m-%d}",
        "departure": f"{event.date_to:%Y-%m-%d}",
        "address": "",
        "note": "",
    }
    return {**data, **overrides}


def test_the_page_needs_a_log_in(client, event):
    response = client.get(f"/{event.slug}/letter/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_someone_without_ticket_or_talk_is_told_who_may_ask(client, event):
    client.force_login(factories.UserFactory())
    page = client.get(f"/{event.slug}/letter/").content.decode()
    assert "paid ticket" in page
    assert 'name="passport_number"' not in page
    response = client.post(f"/{event.slug}/letter/", _form(event))
    assert response.status_code == 302
    assert LetterRequest.objects.count() == 0


def test_a_ticket_holder_asks_and_sees_the_request_waiting(client, event):
    user = factories.UserFactory()
    shop.open_registration(event)
    shop.buy(event, user, shop.ticket_type(event, price="0.00"))
    client.force_login(user)

    response = client.post(f"/{event.slug}/letter/", _form(event))

    assert response.status_code == 302
    saved = LetterRequest.objects.get()
    assert (saved.user, saved.role, saved.passport_name) == (user, "attendee", "Zoë Łukasiewicz")
    page = client.get(f"/{event.slug}/letter/").content.decode()
    assert "Waiting" in page
    assert "Change your request" in page
    assert 'value="PX1234567"' in page


def test_an_error_keeps_what_was_typed(client, event, speaker):
    client.force_login(speaker)
    response = client.post(
        f"/{event.slug}/letter/",
        _form(
            event,
            passport_number="PQ-777",
            arrival=f"{event.date_to:%Y-%m-%d}",
            departure=f"{event.date_from:%Y-%m-%d}",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "cannot be before the day you arrive" in page
    assert 'value="PQ-777"' in page
    assert 'value="Zoë Łukasiewicz"' in page
    assert LetterRequest.objects.count() == 0

    missing = client.post(f"/{event.slug}/letter/", _form(event, nationality="")).content.decode()
    assert "This field is required." in missing
    assert 'value="PQ-777"' not in missing
    assert 'value="PX1234567"' in missing


def test_a_stale_edit_is_refused_on_the_page(client, event, speaker):
    waiting = ask(event, speaker)
    services.save_request(event=event, by=speaker, data={**_form(event), "note": "other window"}, version=1)
    client.force_login(speaker)
    response = client.post(
        f"/{event.slug}/letter/", {**_form(event, note="mine"), "version": waiting.version}
    )
    assert response.status_code == 200
    assert "changed in another window" in response.content.decode()
    assert "other window</textarea>" in response.content.decode()  # the stored values, to edit again
    assert LetterRequest.objects.get().note == "other window"


def test_the_declined_reason_and_the_approved_letter_are_shown(client, event, speaker, issuer):
    declined = ask(event, speaker)
    services.decline_request(letter=declined, by=issuer, version=declined.version, reason="Dates unclear")
    client.force_login(speaker)
    page = client.get(f"/{event.slug}/letter/").content.decode()
    assert "Declined" in page
    assert "Reason: Dates unclear" in page
    assert "Ask for a letter" in page  # a new request may be made
    assert client.get(f"/{event.slug}/letter/letter.pdf").status_code == 404

    approved = letter(event, speaker, issuer)
    page = client.get(f"/{event.slug}/letter/").content.decode()
    assert "Download the letter (PDF)" in page
    assert 'name="passport_number"' not in page
    download = client.get(f"/{event.slug}/letter/letter.pdf")
    assert (download.status_code, download["Content-Type"]) == (200, "application/pdf")
    assert download.content.startswith(b"%PDF")
    client.force_login(factories.UserFactory())
    assert client.get(f"/{event.slug}/letter/letter.pdf").status_code == 404
    assert approved.state == LetterState.APPROVED


def test_verification_shows_only_the_name_the_event_and_validity(client, event, speaker, issuer):
    approved = letter(event, speaker, issuer, passport_name="Zoë Łukasiewicz")

    response = client.get(f"/{event.slug}/letters/verify/{approved.verification_code}/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Zoë Łukasiewicz" in page
    assert event.name in page
    assert "Valid" in page
    for secret in ("PX1234567", "Polish", "1990", "17 May", "Długa", "Consulate", speaker.email):
        assert secret not in page
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_the_verify_form_leads_to_the_code_and_an_unknown_code_says_so(client, event, speaker, issuer):
    approved = letter(event, speaker, issuer)
    form = client.get(f"/{event.slug}/letters/verify/")
    assert form.status_code == 200
    assert 'name="code"' in form.content.decode()
    response = client.get(f"/{event.slug}/letters/verify/", {"code": f" {approved.verification_code} "})
    assert response["Location"] == f"/{event.slug}/letters/verify/{approved.verification_code}/"

    unknown = client.get(f"/{event.slug}/letters/verify/not-a-real-code/")
    assert unknown.status_code == 404
    assert "No letter of" in unknown.content.decode()


def test_a_withdrawn_letter_is_not_valid_and_another_events_code_is_unknown(client, event, speaker, issuer):
    approved = letter(event, speaker, issuer)
    services.withdraw_letter(letter=approved, by=issuer, version=approved.version)
    page = client.get(f"/{event.slug}/letters/verify/{approved.verification_code}/").content.decode()
    assert "Not valid" in page
    other = factories.EventFactory()
    assert client.get(f"/{other.slug}/letters/verify/{approved.verification_code}/").status_code == 404


def test_the_speakers_proposals_and_the_buyers_tickets_link_the_letter_page(client, event, speaker):
    client.force_login(speaker)
    proposals = client.get(reverse("cfp:my_proposals", kwargs={"event": event.slug})).content.decode()
    assert f'href="/{event.slug}/letter/"' in proposals
    buyer = factories.UserFactory()
    shop.open_registration(event)
    shop.buy(event, buyer, shop.ticket_type(event, price="0.00"))
    client.force_login(buyer)
    orders = client.get(reverse("site:my_orders", kwargs={"event": event.slug})).content.decode()
    assert f'href="/{event.slug}/letter/"' in orders
