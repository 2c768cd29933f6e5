"""The whole first stage as people click it: a speaker submits, a reviewer scores, an organiser
accepts and sends the notifications, the speaker confirms from the link in the mail."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from podium.accounts.models import User
from podium.proposals.enums import ProposalState
from podium.proposals.models import Proposal
from podium.reviews.models import Review
from tests import factories
from tests.browser.actions import PASSWORD, field, log_in, sign_up

pytestmark = pytest.mark.browser

TITLE = "Pattern matching in practice"


def _log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_submit_review_accept_send_and_confirm_from_mail(page, event, live_url):
    reviewer = factories.team_member(
        event,
        User.objects.create_user(email="rita@example.org", name="Rita Reviewer", password=PASSWORD),
        name="Program committee",
        can_review=True,
    )
    organiser = factories.team_member(
        event,
        User.objects.create_user(email="olga@example.org", name="Olga Organiser", password=PASSWORD),
        name="Chairs",
        is_admin=True,
        can_edit_event=True,
        can_send_mail=True,
    )

    page.on(
        "dialog", lambda dialog: dialog.accept()
    )  # "Send these mails?" is answered yes, as a person would
    # The speaker signs up from the CfP and submits.
    page.goto(f"/{event.slug}/cfp/")
    page.get_by_role("button", name="Submit a proposal").click()
    page.get_by_role("link", name="Create an account").click()
    sign_up(page, name="Sam Speaker", email="sam@example.org")
    field(page, "Bio").fill("Sam maintains a parser.")
    field(page, "Title").fill(TITLE)
    field(page, "Abstract").fill("match/case beyond the tutorial.")
    field(page, "Track").select_option(label="Web")
    field(page, "Session type").select_option(label="Talk (30 min)")
    page.get_by_role("button", name="Submit proposal").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    proposal = Proposal.objects.get(event=event)
    _log_out(page)

    # The reviewer scores it from the queue.
    log_in(page, email=reviewer.email)
    page.goto(f"/orga/event/{event.slug}/reviews/")
    page.get_by_role("button", name=f"Review {proposal.code}").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    page.get_by_label("3: Yes, must have").check()
    field(page, "Comment").fill("Clear outline, good fit.")
    page.get_by_role("button", name="Save review", exact=True).click()
    expect(page.get_by_role("status")).to_be_visible()
    assert list(Review.objects.values_list("reviewer__email", "score")) == [("rita@example.org", 3)]
    _log_out(page)

    # The organiser accepts it on the overview, reviews the held mail and sends it.
    log_in(page, email=organiser.email)
    page.goto(f"/orga/event/{event.slug}/reviews/overview/")
    page.get_by_label(f"Select {proposal.code}").check()
    page.get_by_role("button", name="Accept selected").click()
    proposal.refresh_from_db()
    assert (proposal.state, proposal.pending_state) == (ProposalState.SUBMITTED, ProposalState.ACCEPTED)
    decision_mails = [m for m in mail.outbox if "Accepted" in m.subject]
    assert decision_mails == []  # held until the organiser sends it

    page.goto(f"/orga/event/{event.slug}/outbox/")
    expect(page.get_by_text("Accepted: please confirm")).to_be_visible()
    page.get_by_role("button", name="Send 1 notification").click()
    expect(page.get_by_role("status")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED
    accepted = [m for m in mail.outbox if m.to == ["sam@example.org"] and "Accepted" in m.subject]
    assert len(accepted) == 1
    _log_out(page)

    # The speaker, not logged in, confirms from the link in the mail.
    link = re.search(r"https://podium\.test(/\S+/confirm/\S+)", accepted[0].body).group(1)
    page.goto(live_url + link)
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ACCEPTED  # opening the link changes nothing
    page.get_by_role("button", name="Confirm: I will present").click()
    expect(page.get_by_text("Confirmed. Thank you!")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CONFIRMED
