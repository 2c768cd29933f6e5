"""A speaker submits a proposal through the CfP pages, once, and gets bad input back to fix."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from tests.browser.actions import PASSWORD, field, form_data, log_in, sign_up

pytestmark = pytest.mark.browser

TITLE = "Async Django without tears"
ABSTRACT = "What changes when views are async, and what stays the same."


def _fill_profile_and_proposal(page, *, title: str = TITLE) -> None:
    field(page, "Bio").fill("Grace writes Python at a small consultancy.")
    if title:
        field(page, "Title").fill(title)
    field(page, "Abstract").fill(ABSTRACT)
    field(page, "Description").fill("## Outline\n\n1. Views\n2. The ORM")
    field(page, "Track").select_option(label="Web")
    field(page, "Session type").select_option(label="Talk (30 min)")


@pytest.fixture
def logged_in_speaker(page):
    user = User.objects.create_user(email="grace@example.org", name="Grace Speaker", password=PASSWORD)
    log_in(page, email=user.email)
    expect(page.get_by_role("heading", name="Hello Grace Speaker")).to_be_visible()
    return user


def test_cfp_visitor_signs_up_and_submits_a_proposal(page, event):
    page.goto(f"/{event.slug}/cfp/")
    page.get_by_role("button", name="Submit a proposal").click()  # a link styled as a button
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_role("link", name="Create an account").click()
    sign_up(page, name="Grace Speaker", email="grace@example.org")

    expect(page.get_by_role("heading", name=f"Submit a proposal to {event.name}")).to_be_visible()
    expect(field(page, "Name as it should appear in the program")).to_have_value("Grace Speaker")
    _fill_profile_and_proposal(page)
    page.get_by_role("button", name="Submit proposal").click()

    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    proposal = Proposal.objects.get(event=event)
    expect(page.get_by_role("status")).to_have_text(
        f"Thank you! Your proposal was submitted with the code {proposal.code}."
    )
    expect(page.locator("hgroup p")).to_contain_text(f"Code {proposal.code}")
    expect(page.locator("hgroup .badge")).to_have_text("Submitted")
    assert proposal.state == ProposalState.SUBMITTED
    assert [s.email for s in proposal.speakers.all()] == ["grace@example.org"]
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["grace@example.org"], f'[{event.name}] Received: your proposal "{TITLE}"')
    ]


def test_cfp_double_submit_creates_one_proposal(page, event, logged_in_speaker):
    page.goto(f"/{event.slug}/cfp/submit/")
    _fill_profile_and_proposal(page)
    sent = form_data(page.locator("form[data-once]"))

    page.get_by_role("button", name="Submit proposal").dblclick()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    # The same form sent again (a retry after a lost answer, a second tab): same key, same proposal.
    again = page.request.post(f"/{event.slug}/cfp/submit/", form=sent)

    proposal = Proposal.objects.get(event=event)
    assert again.ok
    assert again.url.endswith(f"/{event.slug}/me/proposals/{proposal.code}/")
    assert Proposal.objects.filter(event=event).count() == 1
    assert len(mail.outbox) == 1


def test_cfp_empty_title_shows_an_error_and_keeps_the_input(page, event, logged_in_speaker):
    page.goto(f"/{event.slug}/cfp/submit/")
    _fill_profile_and_proposal(page, title="")

    page.get_by_role("button", name="Submit proposal").click()

    expect(page.locator(".errorlist")).to_have_text("This field is required.")
    expect(field(page, "Title")).to_have_value("")
    expect(field(page, "Abstract")).to_have_value(ABSTRACT)
    expect(field(page, "Bio")).to_have_value("Grace writes Python at a small consultancy.")
    assert Proposal.objects.filter(event=event).count() == 0
