"""Signing up on the way somewhere: from the log-in page's header, and from a co-speaker invitation."""

import re

import pytest
from playwright.sync_api import expect

from podium.accounts.models import User
from tests import factories
from tests.browser.actions import PASSWORD, field

pytestmark = pytest.mark.browser


def test_sign_up_from_the_log_in_pages_header_goes_on_to_the_proposal_form(page, event):
    page.goto(f"/{event.slug}/cfp/")
    page.get_by_role("button", name="Submit a proposal").click()  # a link styled as a button
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    field(page, "Your name").fill("Grace Speaker")
    field(page, "E-mail").fill("grace@example.org")
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", name=f"Submit a proposal to {event.name}")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/{event.slug}/cfp/submit/$"))
    expect(page.get_by_role("button", name="Log in")).to_have_count(0)


def test_co_speaker_signs_up_with_the_invited_address_prefilled_and_joins(page, event):
    author = factories.UserFactory(name="Ada Author")
    proposal = factories.ProposalFactory(event=event, speakers=[author], title="Pair talk")
    invite = proposal.invites.create(
        email="co.speaker@example.org", token="invitation-token", invited_by=author
    )

    page.goto(f"/{event.slug}/invite/{invite.token}/")
    page.get_by_role("main").get_by_role("button", name="Sign up").click()  # a link styled as a button

    expect(field(page, "E-mail")).to_have_value("co.speaker@example.org")
    field(page, "Your name").fill("Cole Speaker")
    field(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    page.get_by_role("button", name="Join as speaker").click()

    expect(page.get_by_role("status").first).to_contain_text("You are now a speaker of this proposal")
    assert set(proposal.speakers.values_list("email", flat=True)) == {author.email, "co.speaker@example.org"}
    assert User.objects.filter(email="co.speaker@example.org").count() == 1
