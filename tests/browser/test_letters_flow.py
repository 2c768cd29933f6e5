"""On a phone, a confirmed speaker asks for a visa invitation letter; an organiser who issues letters
approves it; the speaker downloads the PDF; a visitor checks its code on the public page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from podium.letters.models import LetterRequest, LetterState
from tests import factories
from tests.browser.actions import PASSWORD, field, log_in
from tests.pdf import pdf_text

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _user(**kwargs):
    user = factories.UserFactory(**kwargs)
    user.set_password(PASSWORD)
    user.save()
    return user


def test_a_speaker_gets_a_letter_that_a_visitor_verifies(page, event, tmp_path):
    speaker = _user(name="Zoë Dvořák")
    factories.ProposalFactory(event=event, speakers=[speaker], state="confirmed")
    organiser = factories.team_member(event, user=_user(name="Ola Organiser"), can_issue_letters=True)
    page.set_viewport_size(PHONE)

    # The speaker asks.
    log_in(page, email=speaker.email)
    page.goto(f"/{event.slug}/letter/")
    expect(page.get_by_role("heading", name="Ask for a letter")).to_be_visible()
    assert _fits_the_screen(page)
    field(page, "Name as in your passport").fill("Zoë Łukasiewicz-Dvořák")
    field(page, "Nationality").fill("Czech")
    field(page, "Passport number").fill("CZ7654321")
    field(page, "Date of birth").fill("1991-02-03")
    field(page, "Arrival").fill(f"{event.date_from - dt.timedelta(days=1):%Y-%m-%d}")
    field(page, "Departure").fill(f"{event.date_to:%Y-%m-%d}")
    page.get_by_role("button", name="Ask for the letter").click()
    expect(page.get_by_text("Your request is saved.")).to_be_visible()
    expect(page.get_by_text("Waiting", exact=True)).to_be_visible()
    request = LetterRequest.objects.get()
    assert (request.passport_name, request.role) == ("Zoë Łukasiewicz-Dvořák", "speaker")

    # The organiser approves it from the Organise menu.
    page.context.clear_cookies()
    log_in(page, email=organiser.email)
    page.goto(f"/orga/event/{event.slug}/letters/")
    expect(page.get_by_role("heading", name="Visa letters")).to_be_visible()
    page.get_by_role("link", name="Zoë Łukasiewicz-Dvořák").click()
    expect(page.get_by_text("CZ7654321")).to_be_visible()
    page.get_by_role("button", name="Approve and send the letter").click()
    expect(page.get_by_text("Approved; the requester was sent the letter.")).to_be_visible()
    request.refresh_from_db()
    assert request.state == LetterState.APPROVED

    # The speaker downloads it.
    page.context.clear_cookies()
    log_in(page, email=speaker.email)
    page.goto(f"/{event.slug}/letter/")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download the letter (PDF)").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    text = " ".join(pdf_text(path.read_bytes()).split())
    assert "Zoë Łukasiewicz-Dvořák" in text
    assert request.verification_code in text

    # A visitor (a consulate) checks the code.
    page.context.clear_cookies()
    page.goto(f"/{event.slug}/letters/verify/")
    field(page, "Verification code").fill(request.verification_code)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_text("Zoë Łukasiewicz-Dvořák")).to_be_visible()
    expect(page.get_by_text("Valid", exact=True)).to_be_visible()
    assert "CZ7654321" not in page.content()
    assert _fits_the_screen(page)
